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
        Detectors.Iban => Compact(value)[..4] + "************" + Last(Compact(value), 4),
        Detectors.AwsAccessKey => value[..4] + "************" + Last(value, 4),
        Detectors.PrivateKey => "-----BEGIN … PRIVATE KEY----- (" + value.Length + " characters)",
        Detectors.Jwt => "eyJ… (" + value.Length + " characters)",
        _ => new string('*', Math.Min(value.Length, 8)),
    };

    private static string MaskEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        var dot = value.LastIndexOf('.');
        return value[..1] + "***@" + value[at + 1] + "***" + value[dot..];
    }

    /// <summary>An IBAN as its letters and digits, however it was separated.</summary>
    private static string Compact(string value) => string.Concat(value.Where(char.IsAsciiLetterOrDigit)).ToUpperInvariant();

    private static string Last(string text, int count) => text.Length <= count ? text : text[^count..];
}
