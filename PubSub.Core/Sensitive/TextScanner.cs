using System.Text.RegularExpressions;

namespace PubSub.Sensitive;

/// <summary>Finds sensitive data in one string. Each detector is a regular expression for the
/// shape and a check for the meaning (Luhn for cards, mod 97 for IBANs, valid ranges for SSNs,
/// a JSON header for JWTs), behind a cheap gate, so that ordinary data is neither slow nor flagged.</summary>
internal static partial class TextScanner
{
    /// <summary>Matches kept per text: a token is redacted as a whole anyway, and a hostile string with
    /// thousands of matches must not make the overlap checks quadratic.</summary>
    public const int MaxMatches = 64;

    /// <param name="propertyName">The JSON member holding the string, as context (an <c>ssn</c>
    /// member may hold nine digits without dashes).</param>
    public static List<TextMatch> Find(string text, string? propertyName) => Find(text, propertyName, TextProfile.Of(text));

    /// <summary>With the profile already worked out (from the raw bytes, before decoding). The text is
    /// normalised first when it is not ASCII; its percent-encoded and base64 parts are decoded (at most
    /// twice over) and scanned too (their matches span the encoded part).</summary>
    public static List<TextMatch> Find(string text, string? propertyName, TextProfile profile)
    {
        if (!profile.MayContainSomething)
        {
            return [];
        }

        string? split = null;
        if (profile.NeedsNormalising)
        {
            (text, split) = TextNormalizer.Readings(text);
            profile = TextProfile.Of(text);
        }

        var matches = FindPlain(text, propertyName, profile);
        if (profile.MayBeEncoded)
        {
            AddDecoded(matches, text, propertyName);
        }

        AddSplit(matches, split, propertyName);
        return matches;
    }

    private static void AddDecoded(List<TextMatch> matches, string text, string? propertyName)
    {
        var direct = matches.Count;
        var budget = text.Length;
        foreach (var (start, length, decoded) in EncodedText.Base64Texts(text) ?? [])
        {
            if (!matches.Take(direct).Any(m => start < m.Start + m.Length && m.Start < start + length))
            {
                AddFrom(matches, decoded, propertyName, start, length, ref budget);
            }
        }

        // Its own budget: base64 runs that decode to something encoded-looking (any 12 letters with a capital) must
        // not use up what the whole token's percent-decoding needs for its second decode. Linear still: twice the length.
        var percentBudget = text.Length;
        if (EncodedText.PercentDecoded(text) is { } unescaped)
        {
            AddFrom(matches, unescaped, propertyName, 0, text.Length, ref percentBudget);
        }
    }

    /// <summary>Decoded text is scanned, and its own encoded parts are decoded once more (percent-encoding
    /// twice, base64 of percent-encoded text), never a third time; the second decodes read at most as many
    /// characters as the token has in all (<paramref name="budget"/>), so the work stays linear.</summary>
    private static void AddFrom(List<TextMatch> matches, string decoded, string? propertyName, int start, int length, ref int budget)
    {
        var (text, split) = TextNormalizer.Readings(decoded);
        var profile = TextProfile.Of(text);
        var found = FindPlain(text, propertyName, profile);
        AddSplit(found, split, propertyName);

        if (profile.MayBeEncoded && budget >= text.Length)
        {
            budget -= text.Length;
            foreach (var (_, _, inner) in EncodedText.Base64Texts(text) ?? [])
            {
                AddNew(found, FindInReadings(inner, propertyName));
            }

            if (EncodedText.PercentDecoded(text) is { } unescaped)
            {
                AddNew(found, FindInReadings(unescaped, propertyName));
            }
        }

        foreach (var match in found)
        {
            if (matches.Count < MaxMatches && !matches.Exists(m => SameValue(m, match)))
            {
                matches.Add(match with { Start = start, Length = length });
            }
        }
    }

    /// <summary>Both readings of decoded text, with nothing decoded further.</summary>
    private static List<TextMatch> FindInReadings(string decoded, string? propertyName)
    {
        var (text, split) = TextNormalizer.Readings(decoded);
        var found = FindPlain(text, propertyName, TextProfile.Of(text));
        AddSplit(found, split, propertyName);
        return found;
    }

    private static void AddSplit(List<TextMatch> matches, string? split, string? propertyName)
    {
        if (split is not null)
        {
            AddNew(matches, FindPlain(split, propertyName, TextProfile.Of(split)));
        }
    }

    /// <summary>The matches of a second reading of the same text that the first did not find (its
    /// positions are in that reading: redaction takes the whole token anyway).</summary>
    private static void AddNew(List<TextMatch> matches, List<TextMatch> found)
    {
        foreach (var match in found)
        {
            if (matches.Count < MaxMatches && !matches.Exists(m => SameValue(m, match)))
            {
                matches.Add(match);
            }
        }
    }

    /// <summary>One value found twice, perhaps with a boundary where the other reading had none.</summary>
    private static bool SameValue(TextMatch a, TextMatch b) =>
        a.Detector == b.Detector && a.Value.Replace(" ", "", StringComparison.Ordinal) == b.Value.Replace(" ", "", StringComparison.Ordinal);

    private static List<TextMatch> FindPlain(string text, string? propertyName, TextProfile profile)
    {
        var matches = new List<TextMatch>();
        if (!profile.MayMatch)
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

        // Before cards: an IBAN's digit groups can hold a card-like window, and its check is stronger.
        if (profile.MayHaveIban)
        {
            Add(matches, Detectors.Iban, IbanPattern(), text, Checks.IsIban);
        }

        List<(int Start, int End)>? groups = null;
        if (profile.MayHaveCard)
        {
            var before = matches.Count;
            DigitGroups.FindCards(text, matches, groups ??= []);
            if (propertyName is not null && ProductCodeMemberName().IsMatch(propertyName))
            {
                // An EAN-13 (400-440 is Germany) or GTIN-14 is Luhn-like and can look like a 13- or 14-digit
                // card; under a member that names such a code only the 16-19 digits no barcode has count.
                for (var i = matches.Count - 1; i >= before; i--)
                {
                    if (Checks.DigitsOf(matches[i].Value).Length < 16)
                    {
                        matches.RemoveAt(i);
                    }
                }
            }
        }

        if (profile.MayHaveSsn)
        {
            DigitGroups.FindSsns(text, propertyName is not null && SsnMemberName().IsMatch(propertyName), matches, groups ??= []);
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
                if (matches.Count >= MaxMatches)
                {
                    return;
                }

                var value = text.Substring(match.Index, match.Length);
                if (check(value))
                {
                    matches.Add(new TextMatch(detector, match.Index, match.Length, value));
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // A pathological string: report the whole of it rather than let it pass unseen.
            matches.Add(new TextMatch(detector, 0, text.Length, text));
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

    [GeneratedRegex(@"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?:[ .-]?[A-Z0-9]{4}){2,7}(?:[ .-]?[A-Z0-9]{1,3})?(?![A-Za-z0-9])",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 250)]
    private static partial Regex IbanPattern();

    // "ean" only as a word or a camel-case part ("ean13", "productEan"), not inside "mean" or "boolean".
    [GeneratedRegex(@"(?i:imei|gtin|upc|isbn|barcode|sku)|(?<![a-z])ean|Ean|EAN", RegexOptions.CultureInvariant, 250)]
    private static partial Regex ProductCodeMemberName();

    [GeneratedRegex(@"ssn|social.?security", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 250)]
    private static partial Regex SsnMemberName();

    [GeneratedRegex(@"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])",
        RegexOptions.CultureInvariant, 250)]
    private static partial Regex EmailPattern();

    // International (+ and 8-15 digits, with optional single separators) or North American
    // ((NXX) NXX-XXXX with a separator before the last four).
    [GeneratedRegex(@"(?<![\w.+/-])(?:\+[1-9](?:[ ./-]?[0-9]){7,14}|\(?[2-9][0-9]{2}\)?[ ./-]?[2-9][0-9]{2}[ ./-][0-9]{4})(?![\w]|[./-][0-9])",
        RegexOptions.CultureInvariant, 250)]
    private static partial Regex PhonePattern();
}
