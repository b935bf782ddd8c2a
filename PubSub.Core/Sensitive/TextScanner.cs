using System.Text.RegularExpressions;

namespace PubSub.Sensitive;

/// <summary>Finds sensitive data in one string. Each detector is a regular expression for the
/// shape and a check for the meaning (Luhn for cards, mod 97 for IBANs, valid ranges for SSNs,
/// a JSON header for JWTs), behind a cheap gate, so that ordinary data is neither slow nor flagged.</summary>
internal static partial class TextScanner
{
    /// <param name="propertyName">The JSON member holding the string, as context (an <c>ssn</c>
    /// member may hold nine digits without dashes).</param>
    public static List<TextMatch> Find(string text, string? propertyName) => Find(text, propertyName, TextProfile.Of(text));

    /// <summary>With the profile already worked out (from the raw bytes, before decoding).</summary>
    public static List<TextMatch> Find(string text, string? propertyName, TextProfile profile)
    {
        var matches = new List<TextMatch>();
        if (!profile.MayContainSomething)
        {
            return matches;
        }

        if (profile.HasDashes)
        {
            Add(matches, Detectors.PrivateKey, PrivateKeyPattern(), text, static _ => true);
        }

        if (profile.HasJwtStart)
        {
            Add(matches, Detectors.Jwt, JwtPattern(), text, Checks.IsJwt);
        }

        if (profile.MayHaveAwsKey)
        {
            Add(matches, Detectors.AwsAccessKey, AwsAccessKeyPattern(), text, static _ => true);
        }

        if (profile.MayHaveCard)
        {
            Add(matches, Detectors.CreditCard, CreditCardPattern(), text, Checks.IsCardNumber);
        }

        if (profile.MayHaveIban)
        {
            Add(matches, Detectors.Iban, IbanPattern(), text, Checks.IsIban);
        }

        if (profile.MayHaveSsn)
        {
            Add(matches, Detectors.UsSsn, SsnPattern(), text, Checks.IsSsn);
            if (propertyName is not null && SsnMemberName().IsMatch(propertyName))
            {
                Add(matches, Detectors.UsSsn, BareSsnPattern(), text, Checks.IsSsn);
            }
        }

        if (profile.HasAt)
        {
            Add(matches, Detectors.Email, EmailPattern(), text, static _ => true);
        }

        if (profile.MayHavePhone)
        {
            Add(matches, Detectors.Phone, PhonePattern(), text, Checks.IsPhone);
        }

        return WithoutOverlaps(matches);
    }

    private static void Add(List<TextMatch> matches, string detector, Regex pattern, string text, Func<string, bool> check)
    {
        try
        {
            foreach (var match in pattern.EnumerateMatches(text))
            {
                if (check(text.Substring(match.Index, match.Length)))
                {
                    matches.Add(new TextMatch(detector, match.Index, match.Length));
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // A pathological string: report the whole of it rather than let it pass unseen.
            matches.Add(new TextMatch(detector, 0, text.Length));
        }
    }

    /// <summary>Earlier detectors (the list above is by priority) win where matches overlap.</summary>
    private static List<TextMatch> WithoutOverlaps(List<TextMatch> matches)
    {
        if (matches.Count < 2)
        {
            return matches;
        }

        var kept = new List<TextMatch>(matches.Count);
        foreach (var match in matches)
        {
            if (!kept.Exists(k => match.Start < k.Start + k.Length && k.Start < match.Start + match.Length))
            {
                kept.Add(match);
            }
        }

        kept.Sort((a, b) => a.Start.CompareTo(b.Start));
        return kept;
    }

    [GeneratedRegex(@"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:.*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|.*)",
        RegexOptions.Singleline | RegexOptions.CultureInvariant, 250)]
    private static partial Regex PrivateKeyPattern();

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{2,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*(?![A-Za-z0-9_-])",
        RegexOptions.CultureInvariant, 250)]
    private static partial Regex JwtPattern();

    [GeneratedRegex(@"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Z0-9])",
        RegexOptions.CultureInvariant, 250)]
    private static partial Regex AwsAccessKeyPattern();

    // 13-19 digits in a row, or groups of four (or Amex's 4-6-5) separated by one space or dash.
    [GeneratedRegex(@"(?<![0-9])(?:[0-9]{13,19}|[0-9]{4}([ -])[0-9]{4}\1[0-9]{4}\1[0-9]{1,7}|[0-9]{4}([ -])[0-9]{6}\2[0-9]{4,5})(?![0-9])",
        RegexOptions.CultureInvariant, 250)]
    private static partial Regex CreditCardPattern();

    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])",
        RegexOptions.CultureInvariant, 250)]
    private static partial Regex IbanPattern();

    [GeneratedRegex(@"(?<![0-9-])[0-9]{3}([- ])[0-9]{2}\1[0-9]{4}(?![0-9-])", RegexOptions.CultureInvariant, 250)]
    private static partial Regex SsnPattern();

    [GeneratedRegex(@"(?<![0-9])[0-9]{9}(?![0-9])", RegexOptions.CultureInvariant, 250)]
    private static partial Regex BareSsnPattern();

    [GeneratedRegex(@"ssn|social.?security", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 250)]
    private static partial Regex SsnMemberName();

    [GeneratedRegex(@"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])",
        RegexOptions.CultureInvariant, 250)]
    private static partial Regex EmailPattern();

    // International (+ and 8-15 digits, with optional single separators) or North American
    // ((NXX) NXX-XXXX with a separator before the last four).
    [GeneratedRegex(@"(?<![\w.+-])(?:\+[1-9](?:[ .-]?[0-9]){7,14}|\(?[2-9][0-9]{2}\)?[ .-]?[2-9][0-9]{2}[ .-][0-9]{4})(?![\w]|[.-][0-9])",
        RegexOptions.CultureInvariant, 250)]
    private static partial Regex PhonePattern();
}
