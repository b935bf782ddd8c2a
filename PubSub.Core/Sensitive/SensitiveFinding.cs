namespace PubSub.Sensitive;

/// <summary>One piece of sensitive data: which detector found it, where (a JSON path such as
/// <c>$.data.customer.email</c>), and a masked sample that never holds the whole value.</summary>
public sealed record SensitiveFinding(string Detector, string Path, string Sample);

/// <summary>The detectors' names, as findings, metrics and alerts carry them.</summary>
public static class Detectors
{
    public const string CreditCard = "CreditCard";
    public const string UsSsn = "UsSsn";
    public const string Email = "Email";
    public const string Phone = "Phone";
    public const string Iban = "Iban";
    public const string AwsAccessKey = "AwsAccessKey";
    public const string PrivateKey = "PrivateKey";
    public const string Jwt = "Jwt";

    public static IReadOnlyList<string> All { get; } = [CreditCard, UsSsn, Email, Phone, Iban, AwsAccessKey, PrivateKey, Jwt];
}
