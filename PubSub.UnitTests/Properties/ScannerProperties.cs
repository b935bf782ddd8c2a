using System.Text;
using System.Text.Json;
using CsCheck;
using PubSub.Sensitive;

namespace PubSub.UnitTests.Properties;

/// <summary>However a known sensitive value is dressed up (digits of other scripts, invisible characters,
/// the separators people type, full-width letters), the scanner finds it, and redaction leaves valid JSON
/// without it.</summary>
public sealed class ScannerProperties
{
    private static readonly string[] Cards = ["4111111111111111", "5555555555554444", "378282246310005", "6011111111111117", "3566002020360505", "4012888888881881"];

    /// <summary>The zero of some decimal digit blocks: ASCII, Arabic-Indic, extended Arabic-Indic, Devanagari,
    /// Bengali, Thai, Myanmar, full-width, mathematical bold (outside the BMP).</summary>
    private static readonly int[] Zeros = [0x30, 0x660, 0x6F0, 0x966, 0x9E6, 0xE50, 0x1040, 0xFF10, 0x1D7CE];

    private static readonly string[] Invisible = ["", "", "", "\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD"];

    private static readonly string[] Separators = ["", " ", "\u00A0", "\u2009", "\u202F", ".", "-", "\u2013", "\u2014", "\u2212", "/", " - "];

    /// <summary>Each digit in a random script, each followed by a random invisible character, each group
    /// of <paramref name="groups"/> followed by a random separator.</summary>
    private static Gen<string> Disguised(string digits, int[] groups, int firstSeparator = 0) =>
        Gen.Select(Gen.Int[0, Zeros.Length - 1].Array[digits.Length], Gen.Int[0, Invisible.Length - 1].Array[digits.Length],
            Gen.Int[firstSeparator, Separators.Length - 1].Array[groups.Length])
        .Select((scripts, invisible, separators) =>
        {
            var text = new StringBuilder();
            int at = 0, group = 0;
            foreach (var size in groups)
            {
                for (var i = 0; i < size; i++, at++)
                {
                    text.Append(char.ConvertFromUtf32(Zeros[scripts[at]] + (digits[at] - '0'))).Append(Invisible[invisible[at]]);
                }

                text.Append(group < groups.Length - 1 ? Separators[separators[group++]] : "");
            }

            return text.ToString();
        });

    private static Gen<(string Digits, string Text)> DisguisedCard =>
        Gen.Int[0, Cards.Length - 1].SelectMany(i =>
        {
            var card = Cards[i];
            int[] groups = card.Length == 15 ? [4, 6, 5] : [4, 4, 4, 4];
            return Disguised(card, groups).Select(text => (card, text));
        });

    private static readonly Gen<string> Around = Gen.OneOf(Gen.Const(""), Gen.Const("card "), Gen.Const("nº "), Gen.Const("pay with: "));

    [Fact]
    public void Disguised_card_numbers_are_found() =>
        Gen.Select(DisguisedCard, Around, Around).Sample((card, before, after) =>
            Assert.Contains(Detectors.CreditCard, SensitiveDataScanner.ScanText(before + card.Text + " " + after, "$.x").Select(f => f.Detector)),
            iter: 2000);

    [Fact]
    public void Disguised_social_security_numbers_are_found() =>
        Disguised("078051120", [3, 2, 4], firstSeparator: 1) // without an ssn member, the groups must be separated
            .Sample(text => Assert.Equal([Detectors.UsSsn], SensitiveDataScanner.ScanText(text, "$.x").Select(f => f.Detector)), iter: 1000);

    [Fact]
    public void Email_addresses_in_full_width_letters_or_with_invisible_characters_are_found() =>
        Gen.Select(Gen.Bool.Array[20], Gen.Int[0, Invisible.Length - 1].Array[20]).Sample((wide, invisible) =>
        {
            const string email = "jane.doe@example.com";
            var text = string.Concat(email.Select((c, i) => (wide[i] ? ((char)(c + 0xFEE0)).ToString() : c.ToString()) + Invisible[invisible[i]]));
            Assert.Equal([Detectors.Email], SensitiveDataScanner.ScanText(text, "$.x").Select(f => f.Detector));
        }, iter: 1000);

    [Fact]
    public void Redaction_of_disguised_values_in_strings_numbers_and_names_is_valid_json_without_the_digits() =>
        Gen.Select(DisguisedCard, Gen.Int[0, 2]).Sample((card, where) =>
        {
            var json = where switch
            {
                0 => "{\"a\":" + JsonSerializer.Serialize(card.Text) + ",\"n\":1}",
                1 => "{\"a\":[" + card.Digits + "],\"n\":1}",
                _ => "{" + JsonSerializer.Serialize(card.Text) + ":{\"n\":1}}",
            };
            var utf8 = Encoding.UTF8.GetBytes(json);

            Assert.NotEmpty(SensitiveDataScanner.Scan(utf8));
            var redacted = SensitiveDataScanner.Redact(utf8);
            using var document = JsonDocument.Parse(redacted);
            Assert.DoesNotContain(card.Digits, DigitsIn(document.RootElement), StringComparison.Ordinal);
            Assert.Empty(SensitiveDataScanner.Scan(redacted));
        }, iter: 1000);

    /// <summary>The ASCII digits of every name and value, normalised, in document order.</summary>
    private static string DigitsIn(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => string.Concat(element.EnumerateObject().Select(p => Digits(p.Name) + DigitsIn(p.Value))),
        JsonValueKind.Array => string.Concat(element.EnumerateArray().Select(DigitsIn)),
        JsonValueKind.String => Digits(element.GetString()!),
        _ => Digits(element.GetRawText()),
    };

    private static string Digits(string text) => new([.. TextNormalizer.Normalize(text).Where(char.IsAsciiDigit)]);

    [Fact]
    public void Encoded_values_are_found_once_decoded() =>
        Gen.Select(Gen.Int[0, Cards.Length - 1], Gen.Bool, Gen.Bool).Sample((i, base64, url) =>
        {
            var bytes = Encoding.UTF8.GetBytes("card " + Cards[i]);
            var text = base64
                ? (url ? Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_') : Convert.ToBase64String(bytes))
                : string.Concat(bytes.Select(b => url && char.IsAsciiLetter((char)b) ? ((char)b).ToString() : $"%{b:X2}"));
            Assert.Equal([Detectors.CreditCard], SensitiveDataScanner.ScanText(text, "$.x").Select(f => f.Detector));
        }, iter: 500);
}
