using System.Text;
using PubSub.Sensitive;

namespace PubSub.UnitTests.Sensitive;

/// <summary>Cases written against the scanner's surviving mutants (dotnet-stryker over Sensitive/):
/// each pins a decision a mutant could flip without another test noticing.</summary>
public sealed class ScannerMutationTests
{
    private static List<SensitiveFinding> Scan(string text, string? member = null) =>
        SensitiveDataScanner.ScanText(text, "$.x", member);

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData("4111%071111%071111%071111")] // percent-encoded BEL between the groups
    [InlineData("4111%001111%001111%001111")] // percent-encoded NUL
    [InlineData("4111%7F1111%7F1111%7F1111")] // DEL
    [InlineData("%34%31%31%31%31%31%31%31%31%31%31%31%31%31%31%31%00%30")] // a NUL, then a digit glued on if dropped
    [InlineData("4111111111111111%00%00%070")] // a run of controls
    [InlineData("é 4111111111111111\u00000")] // the non-ASCII path too
    public void Control_characters_are_a_boundary_that_neither_hides_nor_glues_a_value(string text) =>
        Assert.Equal([Detectors.CreditCard], Scan(text).Select(f => f.Detector));

    [Theory]
    [InlineData("4111111111111111\u200B0")] // a zero-width space, then a digit that dropping it would glue on
    [InlineData("4111111111111111\u00AD0")] // a soft hyphen
    [InlineData("4111111111111111\u20600")] // a word joiner
    [InlineData("4111111111111111\u03010")] // a combining mark
    [InlineData("0\u200B4111111111111111")] // a digit glued on in front
    public void An_invisible_character_next_to_a_card_neither_hides_nor_glues_it(string text) =>
        Assert.Equal([Detectors.CreditCard], Scan(text).Select(f => f.Detector));

    [Theory]
    [InlineData("jane\u0000@example.com", Detectors.Email)] // dropped, the NUL leaves the address whole
    [InlineData("jane\u0007@exam\u001Fple.com", Detectors.Email)]
    [InlineData("4111\u00001111\u00001111\u00001111", Detectors.CreditCard)] // plain ASCII with controls
    [InlineData("078\u000005\u00001120", Detectors.UsSsn)]
    public void A_control_character_inside_a_value_does_not_hide_it(string text, string detector) =>
        Assert.Equal([detector], Scan(text).Select(f => f.Detector));

    [Theory]
    [InlineData("4111\u00011111\u00011111\u00011111", Detectors.CreditCard)]
    [InlineData("4111111111111111\u0001", Detectors.CreditCard)]
    [InlineData("jane\u0000@example.com", Detectors.Email)]
    [InlineData("\u0000\u00004111111111111111\u00000", Detectors.CreditCard)]
    public void Base64_of_text_with_control_characters_between_its_characters_is_still_read(string text, string detector) =>
        Assert.Equal([detector], Scan(Base64(text)).Select(f => f.Detector));

    [Fact]
    public void A_value_found_in_both_readings_is_reported_once()
    {
        // Joined, "4111 1111 1111 1111" (the zero-width spaces dropped); split, "4111 1111 1111 1111": one card.
        Assert.Single(Scan("4111\u200B1111\u200B1111\u200B1111"));
        Assert.Equal(2, TextScannerMatches("jane\u200B@example.com 4111111111111111\u200B0"));
    }

    [Fact]
    public void A_base64_note_before_a_percent_escaped_base64_value_does_not_use_up_its_budget()
    {
        var card = Base64("card 4111 1111 1111 1111");
        var escaped = card[..10] + "%" + ((int)card[10]).ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + card[11..];

        Assert.Equal([Detectors.CreditCard], Scan(escaped).Select(f => f.Detector));
        Assert.Equal([Detectors.CreditCard], Scan(Base64("see ReferenceNumber1 ok") + " " + escaped).Select(f => f.Detector));
    }

    [Fact]
    public void Base64_of_random_bytes_still_holds_no_finding()
    {
        var random = new Random(20261201);
        var bytes = new byte[48];
        for (var i = 0; i < 5_000; i++)
        {
            random.NextBytes(bytes);
            Assert.Empty(Scan(Convert.ToBase64String(bytes)));
        }
    }

    [Fact]
    public void A_line_break_is_kept_as_a_boundary_not_dropped_as_an_invisible_character()
    {
        // Dropped, the break would glue 16 and 2 digits into 18, which no card network issues; kept, the
        // first line is a card on its own. Non-ASCII text (the é) takes the normalising path.
        Assert.Equal([Detectors.CreditCard], Scan("é 4111111111111111\n22").Select(f => f.Detector));
        Assert.Equal([Detectors.CreditCard], Scan("é 4111111111111111\t22").Select(f => f.Detector));
    }

    [Fact]
    public void A_jwt_is_reported_as_a_jwt_not_also_as_what_its_base64_parts_decode_to()
    {
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}""");
        var payload = Base64Url("""{"sub":"jane.doe@example.com"}""");
        var jwt = $"{header}.{payload}.c2lnbmF0dXJl";
        Assert.Equal([Detectors.Jwt], Scan(jwt).Select(f => f.Detector));
    }

    [Fact]
    public void A_value_found_both_plain_and_encoded_in_one_string_is_reported_once()
    {
        var text = "jane.doe@example.com " + Base64("jane.doe@example.com");
        Assert.Equal([Detectors.Email], Scan(text).Select(f => f.Detector));
    }

    [Fact]
    public void Different_values_of_one_detector_found_plain_and_encoded_are_each_kept() =>
        Assert.Equal(2, TextScannerMatches("jane.doe@example.com " + Base64("john.roe@example.org")));

    [Fact]
    public void At_most_MaxMatches_matches_are_kept_per_string()
    {
        var text = string.Join(' ', Enumerable.Range(0, TextScanner.MaxMatches + 10).Select(i => $"user{i}@example.com"));
        Assert.Equal(TextScanner.MaxMatches, TextScannerMatches(text));
        Assert.Equal(TextScanner.MaxMatches, TextScannerMatches(string.Join(' ', Enumerable.Range(0, TextScanner.MaxMatches).Select(i => $"user{i}@example.com"))));
    }

    [Fact]
    public void Overlapping_matches_keep_the_earlier_detector_and_come_back_in_text_order()
    {
        var matches = TextScanner.Find("mail jane.doe@example.com then card 4111 1111 1111 1111 and +44 20 7946 0958", null);
        Assert.Equal([Detectors.Email, Detectors.CreditCard, Detectors.Phone], matches.Select(m => m.Detector));
        Assert.True(matches.Zip(matches.Skip(1)).All(p => p.First.Start + p.First.Length <= p.Second.Start));
    }

    private static int TextScannerMatches(string text) => TextScanner.Find(text, null).Count;

    private static string Base64Url(string text) => Base64(text).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
