using System.Text;
using System.Text.Json;
using PubSub.Sensitive;

namespace PubSub.UnitTests.Sensitive;

public sealed class SensitiveDataScannerTests
{
    private static string[] DetectorsIn(string text, string? member = null) =>
        [.. SensitiveDataScanner.ScanText(text, "$.x", member).Select(f => f.Detector)];

    [Theory]
    [InlineData("4111111111111111")]
    [InlineData("card 4111 1111 1111 1111 on file")]
    [InlineData("4111-1111-1111-1111")]
    [InlineData("5555555555554444")]
    [InlineData("2223003122003222")]
    [InlineData("378282246310005")]
    [InlineData("3782 822463 10005")]
    [InlineData("6011111111111117")]
    [InlineData("3566002020360505")]
    public void Card_numbers_that_pass_luhn_are_found(string text) => Assert.Equal([Detectors.CreditCard], DetectorsIn(text));

    [Theory]
    [InlineData("4111111111111112")] // fails Luhn
    [InlineData("1234567812345670")] // no card network starts with 12
    [InlineData("41111111111111111111")] // 20 digits
    public void Digit_runs_that_are_not_card_numbers_are_not_found(string text) => Assert.Empty(DetectorsIn(text));

    [Theory]
    [InlineData("123-45-6789")]
    [InlineData("SSN 078 05 1120")]
    public void Social_security_numbers_with_separators_are_found(string text) => Assert.Equal([Detectors.UsSsn], DetectorsIn(text));

    [Theory]
    [InlineData("000-12-3456")]
    [InlineData("666-12-3456")]
    [InlineData("912-12-3456")]
    [InlineData("123-00-4567")]
    [InlineData("123-45-0000")]
    [InlineData("123-45-67890")]
    public void Social_security_numbers_in_impossible_ranges_are_not_found(string text) => Assert.Empty(DetectorsIn(text));

    [Fact]
    public void Nine_bare_digits_count_as_a_social_security_number_only_in_an_ssn_member()
    {
        Assert.Equal([Detectors.UsSsn], DetectorsIn("123456789", "customerSsn"));
        Assert.Empty(DetectorsIn("123456789", "orderNumber"));
    }

    [Theory]
    [InlineData("jane.doe@example.com")]
    [InlineData("Contact: J.Doe+orders@mail.example.co.uk!")]
    public void Email_addresses_are_found(string text) => Assert.Equal([Detectors.Email], DetectorsIn(text));

    [Theory]
    [InlineData("+14155552671")]
    [InlineData("+44 20 7946 0958")]
    [InlineData("(415) 555-2671")]
    [InlineData("call 415-555-2671 now")]
    [InlineData("415.555.2671")]
    public void Phone_numbers_are_found(string text) => Assert.Equal([Detectors.Phone], DetectorsIn(text));

    [Theory]
    [InlineData("DE89370400440532013000")]
    [InlineData("GB82 WEST 1234 5698 7654 32")]
    [InlineData("NL91ABNA0417164300")]
    public void Ibans_with_a_valid_check_are_found(string text) => Assert.Equal([Detectors.Iban], DetectorsIn(text));

    [Theory]
    [InlineData("DE89370400440532013001")] // wrong check digits
    [InlineData("ZZ89370400440532013000")] // no such country
    [InlineData("DE8937040044053201300")] // wrong length for DE
    public void Iban_lookalikes_are_not_found(string text) => Assert.Empty(DetectorsIn(text));

    [Fact]
    public void Aws_access_key_ids_are_found_but_not_longer_tokens()
    {
        Assert.Equal([Detectors.AwsAccessKey], DetectorsIn("key=AKIAIOSFODNN7EXAMPLE"));
        Assert.Equal([Detectors.AwsAccessKey], DetectorsIn("ASIAY34FZKBOKMUTVV7A"));
        Assert.Empty(DetectorsIn("AKIAIOSFODNN7EXAMPLEX"));
    }

    [Fact]
    public void Pem_private_keys_are_found_but_not_public_keys()
    {
        Assert.Equal([Detectors.PrivateKey], DetectorsIn("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA75\n-----END RSA PRIVATE KEY-----"));
        Assert.Equal([Detectors.PrivateKey], DetectorsIn("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg"));
        Assert.Empty(DetectorsIn("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqh\n-----END PUBLIC KEY-----"));
    }

    [Fact]
    public void Jwts_are_found_when_their_header_is_json_naming_an_algorithm()
    {
        const string jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

        Assert.Equal([Detectors.Jwt], DetectorsIn("Bearer " + jwt));
        Assert.Empty(DetectorsIn("eyJub3QiOiJhIGp3dCJ9.eyJhIjoxfQ.x"));
    }

    [Theory]
    [InlineData("550e8400-e29b-41d4-a716-446655440000")]
    [InlineData("12345678-1234-1234-1234-123456789012")]
    [InlineData("2024-05-01T12:34:56.789Z")]
    [InlineData("2024-05-01 12:34:56+02:00")]
    [InlineData("1714567890123")]
    [InlineData("1714567890123456789")]
    [InlineData("ORD-2024-000123")]
    [InlineData("ORD-555-123-4567")]
    [InlineData("PO-98765432")]
    [InlineData("19.99")]
    [InlineData("1,299,999.00")]
    [InlineData("10.0.401")]
    [InlineData("v2.15.3-beta.1+build.20240501")]
    [InlineData("123456789012")]
    [InlineData("9007199254740993")]
    [InlineData("20240501123456")]
    [InlineData("192.168.100.200")]
    [InlineData("1234567890")]
    [InlineData("SKU-ABC-1234567")]
    [InlineData("THISISALONGUPPERCASEIDENTIFIER12345")]
    [InlineData("user@host")]
    public void Ordinary_data_is_not_flagged(string text) => Assert.Empty(DetectorsIn(text));

    [Fact]
    public void Findings_carry_the_json_path_and_a_masked_sample_never_the_value()
    {
        var json = """{"customer":{"email":"jane.doe@example.com","cards":["4111111111111111"]},"odd key":"415-555-2671","n":42}""";

        var findings = SensitiveDataScanner.Scan(Encoding.UTF8.GetBytes(json), "$.data");

        Assert.Equal(
        [
            new SensitiveFinding(Detectors.Email, "$.data.customer.email", "j***@e***.com"),
            new SensitiveFinding(Detectors.CreditCard, "$.data.customer.cards[0]", "************1111"),
            new SensitiveFinding(Detectors.Phone, "$.data['odd key']", "********71"),
        ], findings);
    }

    [Fact]
    public void Redaction_replaces_whole_tokens_and_keeps_the_rest_of_the_document_as_sent()
    {
        var json = """{"note":"mail jane@example.com or call +14155552671","n":1.50, "ok":true,"none":null,"list":[{"ssn":"123-45-6789"}]}""";

        var redacted = Encoding.UTF8.GetString(SensitiveDataScanner.Redact(Encoding.UTF8.GetBytes(json)));

        Assert.Equal("""{"note":"[REDACTED:Email,Phone]","n":1.50, "ok":true,"none":null,"list":[{"ssn":"[REDACTED:UsSsn]"}]}""", redacted);
        Assert.Empty(SensitiveDataScanner.Scan(Encoding.UTF8.GetBytes(redacted)));
    }

    [Fact]
    public void Escaped_strings_are_scanned_as_their_decoded_text()
    {
        var findings = SensitiveDataScanner.Scan("""{"e":"jane\u0040example.com"}"""u8.ToArray());

        Assert.Equal(Detectors.Email, Assert.Single(findings).Detector);
    }

    [Fact]
    public void Overlapping_matches_are_reported_once_by_the_stronger_detector()
    {
        // A card number also looks like a long run of digits for the phone detector.
        Assert.Equal([Detectors.CreditCard], DetectorsIn("+4111111111111111"));
    }

    [Fact]
    public void Not_json_is_an_error_the_caller_can_report()
    {
        Assert.ThrowsAny<JsonException>(() => SensitiveDataScanner.Scan("{\"a\":"u8.ToArray()));
    }

    [Theory]
    [InlineData("""{"device":"356938035643809"}""")]
    [InlineData("""{"device":358240051111110}""")]
    [InlineData("""{"imei":"35-824005-111111-0"}""")]
    [InlineData("""{"ean":"4006381333023"}""")]
    [InlineData("""{"productEan":4006381333023}""")]
    [InlineData("""{"gtin":"04006381333023"}""")]
    [InlineData("""{"barcode":"4006381333023"}""")]
    public void Imeis_and_product_barcodes_are_not_cards(string json) =>
        Assert.Empty(SensitiveDataScanner.Scan(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""{"note":"4222222222222"}""")]
    [InlineData("""{"sku":"4111111111111111"}""")]
    [InlineData("""{"mean":"4222222222222"}""")]
    public void Card_numbers_stay_cards_where_no_product_code_member_explains_them(string json) =>
        Assert.Equal([Detectors.CreditCard], SensitiveDataScanner.Scan(Encoding.UTF8.GetBytes(json)).Select(f => f.Detector));

    [Theory]
    [InlineData("""{"jane@example.com":"a","[REDACTED:Email]#1":"b"}""")]
    [InlineData("""{"[REDACTED:Email]#1":"b","jane@example.com":"a"}""")]
    [InlineData("""{"jane@example.com":"a","\u005BREDACTED:Email]#1":"b","bob@example.com":{"[REDACTED:Email]#2":1,"x@example.com":2}}""")]
    public void Redacted_member_names_never_repeat_a_name_of_their_object(string json)
    {
        var redacted = SensitiveDataScanner.Redact(Encoding.UTF8.GetBytes(json));

        var reader = new Utf8JsonReader(redacted);
        Assert.True(reader.Read());
        Assert.Null(new PubSub.Json.JsonValueChecker(redacted, 4096).Check(reader));
        using var _ = JsonDocument.Parse(redacted);
    }

    [Theory]
    [InlineData("906c352d-1060-4692-8871-17935e0141fc")] // joined groups "1060-4692-8871-17935" pass Luhn
    [InlineData("fdb72147-259f-4942-8357-25820fe01722")]
    [InlineData("08de97cf-6478-4786-8580-3257354d3eaa")]
    public void Uuids_are_not_cards(string uuid) =>
        Assert.Empty(SensitiveDataScanner.Scan(System.Text.Encoding.UTF8.GetBytes($"{{\"id\":\"{uuid}\"}}")));

    [Fact]
    public void Thousands_of_random_uuids_hold_no_finding()
    {
        var random = new Random(20261130);
        var bytes = new byte[16];
        var ids = Enumerable.Range(0, 5_000).Select(i =>
        {
            random.NextBytes(bytes);
            return $"\"u{i}\":\"{new Guid(bytes)}\"";
        });

        Assert.Empty(SensitiveDataScanner.Scan(System.Text.Encoding.UTF8.GetBytes("{" + string.Join(',', ids) + "}")));
    }

    [Theory]
    [InlineData("4111.1111 1111-1111")]
    [InlineData("card: 4111-1111-1111-1111.")]
    public void Cards_joined_by_separators_are_still_found(string text) =>
        Assert.NotEmpty(SensitiveDataScanner.Scan(System.Text.Encoding.UTF8.GetBytes($"{{\"note\":\"{text}\"}}")));
}
