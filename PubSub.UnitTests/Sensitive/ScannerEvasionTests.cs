using System.Text;
using System.Text.Json;
using PubSub.Sensitive;

namespace PubSub.UnitTests.Sensitive;

/// <summary>What a publisher might do to slip a value past the detectors: look-alike digits, invisible
/// characters, other separators, encodings, numbers and member names instead of strings.</summary>
public sealed class ScannerEvasionTests
{
    private static string[] DetectorsIn(string text, string? member = null) =>
        [.. SensitiveDataScanner.ScanText(text, "$.x", member).Select(f => f.Detector)];

    [Theory]
    [InlineData("４１１１１１１１１１１１１１１１")] // full-width
    [InlineData("٤١١١١١١١١١١١١١١١")] // Arabic-Indic
    [InlineData("۴۱۱۱۱۱۱۱۱۱۱۱۱۱۱۱")] // extended Arabic-Indic
    [InlineData("४१११११११११११११११")] // Devanagari
    [InlineData("4111\u200B1111\u200C1111\u200D1111")] // zero-width space, non-joiner, joiner
    [InlineData("\uFEFF4111111111111111")] // BOM
    [InlineData("4111\u00AD1111\u00AD1111\u00AD1111")] // soft hyphen
    [InlineData("4111\u00A01111\u00A01111\u00A01111")] // no-break space
    [InlineData("4111\u202F1111\u20091111\u30001111")] // narrow, thin and ideographic spaces
    [InlineData("4111.1111.1111.1111")]
    [InlineData("4111/1111/1111/1111")]
    [InlineData("4111 1111-1111.1111")] // mixed
    [InlineData("4111\u20131111\u20141111\u22121111")] // en dash, em dash, minus sign
    [InlineData("4111 - 1111 - 1111 - 1111")]
    [InlineData("4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1")]
    [InlineData("card: 4111 1111 1111 1111 5")] // a digit after the number
    [InlineData("4\u0301111111111111111")] // a combining mark
    [InlineData("NDExMTExMTExMTExMTExMQ==")] // base64
    [InlineData("NDExMTExMTExMTExMTExMQ")] // base64 without padding
    [InlineData("ref:NDExMTExMTExMTExMTExMQ")] // base64 after a few letters
    [InlineData("4111%201111%201111%201111")] // percent-encoded spaces
    [InlineData("%34%31%31%31%31%31%31%31%31%31%31%31%31%31%31%31")]
    public void Card_numbers_are_found_however_they_are_written(string text) => Assert.Equal([Detectors.CreditCard], DetectorsIn(text));

    [Theory]
    [InlineData("078.05.1120")]
    [InlineData("078/05/1120")]
    [InlineData("078 05-1120")]
    [InlineData("０７８-０５-１１２０")]
    [InlineData("078\u200B-05-1120")]
    [InlineData("MDc4LTA1LTExMjA=")] // base64 of 078-05-1120
    public void Social_security_numbers_are_found_however_they_are_written(string text) => Assert.Equal([Detectors.UsSsn], DetectorsIn(text));

    [Theory]
    [InlineData("0.7.8.0.5.1.1.2.0")]
    [InlineData("078 051 120")]
    public void Nine_digits_in_any_grouping_are_a_social_security_number_in_an_ssn_member(string text) =>
        Assert.Equal([Detectors.UsSsn], DetectorsIn(text, "ssn"));

    [Theory]
    [InlineData("jane.doe%40example.com")]
    [InlineData("ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ")]
    [InlineData("jane\u200B@example.com")]
    [InlineData("amFuZS5kb2VAZXhhbXBsZS5jb20=")]
    [InlineData("amFuZS5kb2VAZXhhbXBsZS5jb20")]
    public void Email_addresses_are_found_however_they_are_written(string text) => Assert.Equal([Detectors.Email], DetectorsIn(text));

    [Theory]
    [InlineData("+1\u00A0415\u00A0555\u00A02671")]
    [InlineData("415/555/2671")]
    [InlineData("(٤١٥) ٥٥٥-٢٦٧١")]
    public void Phone_numbers_are_found_however_they_are_written(string text) => Assert.Equal([Detectors.Phone], DetectorsIn(text));

    [Theory]
    [InlineData("de89 3704 0044 0532 0130 00")]
    [InlineData("DE89.3704.0044.0532.0130.00")]
    [InlineData("DE89-3704-0044-0532-0130-00")]
    [InlineData("ＤＥ８９３７０４００４４０５３２０１３０００")]
    public void Ibans_are_found_however_they_are_written(string text) => Assert.Equal([Detectors.Iban], DetectorsIn(text));

    [Theory]
    [InlineData("550e8400-e29b-41d4-a716-446655440000")]
    [InlineData("ORD-2024-000123-0001")]
    [InlineData("2024-05-01T12:34:56.789Z")]
    [InlineData("2024/05/01 12.34.56")]
    [InlineData("1.2.3.4.5.6")]
    [InlineData("v10.2.3.4567")]
    [InlineData("dGhpcyBpcyBqdXN0IHRleHQ=")] // base64 of "this is just text"
    [InlineData("customerAccountNumber")]
    [InlineData("SGVsbG8gV29ybGQhIDEyMzQ1Njc4OQ==")] // "Hello World! 123456789" outside an ssn member
    [InlineData("100%25 done")]
    [InlineData("Straße 12, München")]
    [InlineData("٢٠٢٤-٠٥-٠١")] // an Arabic-Indic date
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")] // a SHA-256
    [InlineData("AbCdEfGhIjKlMnOpQrStUvWxYz0123456789")]
    public void Ordinary_data_is_still_not_flagged(string text) => Assert.Empty(DetectorsIn(text));

    [Fact]
    public void Numbers_and_member_names_are_scanned_and_names_are_hidden_in_paths()
    {
        var json = """{"card":4111111111111111,"jane@example.com":{"ssn":123456789},"n":[1,2.5,-3e7],"ok":"4111111111111112"}""";

        var findings = SensitiveDataScanner.Scan(Encoding.UTF8.GetBytes(json), "$.data");

        Assert.Equal(
        [
            new SensitiveFinding(Detectors.CreditCard, "$.data.card", "************1111"),
            new SensitiveFinding(Detectors.Email, "$.data[*]", "j***@e***.com"),
            new SensitiveFinding(Detectors.UsSsn, "$.data[*].ssn", "***-**-6789"),
        ], findings);
    }

    [Fact]
    public void Redaction_turns_a_number_into_a_string_and_keeps_member_names_unique()
    {
        var json = """{"a":{"jane@example.com":1,"john@example.com":2},"card":4111111111111111,"n":42}""";

        var redacted = Encoding.UTF8.GetString(SensitiveDataScanner.Redact(Encoding.UTF8.GetBytes(json)));

        Assert.Equal("""{"a":{"[REDACTED:Email]#1":1,"[REDACTED:Email]#2":2},"card":"[REDACTED:CreditCard]","n":42}""", redacted);
        using var document = JsonDocument.Parse(redacted);
        Assert.Equal(2, document.RootElement.GetProperty("a").EnumerateObject().Count());
    }

    [Fact]
    public void Redaction_replaces_an_escaped_or_encoded_string_as_a_whole()
    {
        var json = """{"a":"x\u0040y.com jane\u0040example.com","b":"id=amFuZS5kb2VAZXhhbXBsZS5jb20= tail","c":"\u00e9t\u00e9"}""";

        var redacted = Encoding.UTF8.GetString(SensitiveDataScanner.Redact(Encoding.UTF8.GetBytes(json)));

        Assert.Equal("""{"a":"[REDACTED:Email]","b":"[REDACTED:Email]","c":"\u00e9t\u00e9"}""", redacted);
    }

    [Fact]
    public void A_string_with_an_escaped_lone_surrogate_is_invalid_json_not_a_crash()
    {
        Assert.ThrowsAny<JsonException>(() => SensitiveDataScanner.Scan("""{"x":"4111111111111111\ud800"}"""u8.ToArray()));
        Assert.Empty(DetectorsIn("\ud800 not a card"));
    }

    [Fact]
    public void Each_value_is_decoded_at_most_twice_so_the_work_stays_bounded()
    {
        static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

        Assert.Equal([Detectors.CreditCard], DetectorsIn(Base64(Base64("4111111111111111"))));
        Assert.Empty(DetectorsIn(Base64(Base64(Base64("4111111111111111")))));
    }

    [Theory]
    [InlineData("jane%2540example.com")] // percent-encoding twice
    [InlineData("amFuZSU0MGV4YW1wbGUuY29t")] // base64 of jane%40example.com
    [InlineData("AAAAamFuZUBleGFtcGxlLmNvbQ==")] // four base64 characters glued in front
    [InlineData("AAAAAAAAamFuZUBleGFtcGxlLmNvbQ==")] // eight
    [InlineData("QUFBQWFtRnVaVUJsZUdGdGNHeGxMbU52YlE9PQ==")] // base64 of the glued value
    public void Nested_encodings_are_unwrapped_once_more(string text) => Assert.Equal([Detectors.Email], DetectorsIn(text));

    [Fact]
    public void Scanning_a_long_hostile_string_stays_fast()
    {
        var hostile = string.Concat(Enumerable.Repeat("4 1\u200B1%201 ", 40_000)) + new string('A', 100_000) + string.Concat(Enumerable.Repeat("aB3+", 50_000));

        var watch = System.Diagnostics.Stopwatch.StartNew();
        _ = SensitiveDataScanner.ScanText(hostile, "$.x");

        Assert.InRange(watch.ElapsedMilliseconds, 0, 5000);
    }
}
