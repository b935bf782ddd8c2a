namespace PubSub.Sensitive;

/// <summary>What may be shown of a finding: enough to recognise it, never enough to use it.</summary>
internal static class Masking
{
    public static string Mask(string detector, string value) => detector switch
    {
        Detectors.CreditCard => "************" + Last(Checks.DigitsOf(value), 4),
        Detectors.UsSsn => "***-**-" + Last(Checks.DigitsOf(value), 4),
        Detectors.Email => MaskEmail(value),
        Detectors.Phone => new string('*', Math.Max(0, Checks.DigitsOf(value).Length - 2)) + Last(Checks.DigitsOf(value), 2),
        Detectors.Iban => Compact(value) is { Length: >= 12 } iban ? iban[..4] + "************" + Last(iban, 4) : Hidden(value),
        Detectors.AwsAccessKey => value.Length >= 16 ? value[..4] + "************" + Last(value, 4) : Hidden(value),
        Detectors.PrivateKey => "-----BEGIN … PRIVATE KEY----- (" + value.Length + " characters)",
        Detectors.Jwt => "eyJ… (" + value.Length + " characters)",
        _ => Hidden(value),
    };

    /// <summary>A finding reported whole because its regular expression timed out need not have an e-mail's
    /// shape: then nothing of it is shown.</summary>
    private static string MaskEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        var dot = value.LastIndexOf('.');
        return at > 0 && dot > at + 1 ? value[..1] + "***@" + value[at + 1] + "***" + value[dot..] : Hidden(value);
    }

    private static string Hidden(string value) => new('*', Math.Min(value.Length, 8));

    /// <summary>An IBAN as its letters and digits, however it was separated.</summary>
    private static string Compact(string value) => string.Concat(value.Where(char.IsAsciiLetterOrDigit)).ToUpperInvariant();

    private static string Last(string text, int count) => text.Length <= count ? text : text[^count..];
}
