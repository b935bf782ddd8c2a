using PubSub.Sensitive;

namespace PubSub.UnitTests.Sensitive;

/// <summary>A sample shows enough to recognise a value, never enough to use it.</summary>
public sealed class MaskingTests
{
    [Theory]
    [InlineData(Detectors.CreditCard, "4111 1111 1111 1234", "************1234")]
    [InlineData(Detectors.UsSsn, "078-05-1120", "***-**-1120")]
    [InlineData(Detectors.Email, "jane.doe@mail.example.com", "j***@m***.com")]
    [InlineData(Detectors.Phone, "+1 415 555 2671", "*********71")]
    [InlineData(Detectors.Phone, "7", "7")]
    [InlineData(Detectors.Iban, "GB82 WEST 1234 5698 7654 32", "GB82************5432")]
    [InlineData(Detectors.AwsAccessKey, "AKIAIOSFODNN7EXAMPLE", "AKIA************MPLE")]
    [InlineData(Detectors.PrivateKey, "-----BEGIN PRIVATE KEY-----abc", "-----BEGIN … PRIVATE KEY----- (30 characters)")]
    [InlineData(Detectors.Jwt, "eyJa.eyJb.c", "eyJ… (11 characters)")]
    [InlineData("Other", "abcdefghijkl", "********")]
    [InlineData("Other", "abc", "***")]
    [InlineData(Detectors.CreditCard, "123", "************123")]
    public void Each_detector_has_its_mask(string detector, string value, string sample) => Assert.Equal(sample, Masking.Mask(detector, value));

    /// <summary>A regular expression that times out (a pathological string, a loaded machine) reports the whole
    /// string as its finding, which need not have the detector's shape: the mask must still not throw.</summary>
    [Theory]
    [InlineData(Detectors.Email, "no at sign and no dot", "********")]
    [InlineData(Detectors.Email, "a@b", "***")]
    [InlineData(Detectors.Email, "x.y@z", "*****")]
    [InlineData(Detectors.Email, "", "")]
    [InlineData(Detectors.Iban, "GB8", "***")]
    [InlineData(Detectors.AwsAccessKey, "AKIA", "****")]
    [InlineData(Detectors.CreditCard, "", "************")]
    public void A_value_without_the_detectors_shape_is_masked_whole(string detector, string value, string sample) =>
        Assert.Equal(sample, Masking.Mask(detector, value));

    [Fact]
    public void Samples_of_findings_never_hold_the_value()
    {
        var findings = SensitiveDataScanner.ScanText("4111111111111111 078-05-1120 jane@example.com +14155552671 DE89370400440532013000", "$");

        Assert.Equal(5, findings.Count);
        Assert.All(findings, f => Assert.DoesNotContain(f.Sample, "4111111111111111 078-05-1120 jane@example.com +14155552671 DE89370400440532013000"));
    }
}
