using System.Globalization;
using System.Numerics;
using PubSub.Sensitive;

namespace PubSub.UnitTests.Sensitive;

/// <summary>The checks behind the detectors, at their edges: every card network's range, every IBAN
/// country's length, the SSA's ranges, phone lengths, JWT headers.</summary>
public sealed class ChecksTests
{
    /// <summary>A number of <paramref name="length"/> digits starting with <paramref name="prefix"/> whose
    /// last digit makes the Luhn check pass.</summary>
    private static string WithLuhn(string prefix, int length)
    {
        var body = prefix.PadRight(length - 1, '0');
        for (var check = '0'; check <= '9'; check++)
        {
            if (Checks.PassesLuhn(body + check))
            {
                return body + check;
            }
        }

        throw new InvalidOperationException("One check digit always passes.");
    }

    [Theory]
    [InlineData("4")]
    [InlineData("51")]
    [InlineData("55")]
    [InlineData("2221")]
    [InlineData("2720")]
    [InlineData("34", 15)]
    [InlineData("37", 15)]
    [InlineData("6011")]
    [InlineData("644")]
    [InlineData("649")]
    [InlineData("65")]
    [InlineData("3528")]
    [InlineData("3589")]
    [InlineData("300")]
    [InlineData("305")]
    [InlineData("36")]
    [InlineData("38")]
    [InlineData("39")]
    [InlineData("62")]
    public void Every_card_network_range_is_known_at_its_edges(string prefix, int length = 16)
    {
        Assert.True(Checks.IsCardNumber(WithLuhn(prefix, length)));
        Assert.Equal([Detectors.CreditCard], SensitiveDataScanner.ScanText(WithLuhn(prefix, length), "$").Select(f => f.Detector));
    }

    [Theory]
    [InlineData("4", 13, true)]
    [InlineData("4", 15, false)]
    [InlineData("51", 15, false)]
    [InlineData("51", 17, false)]
    [InlineData("34", 16, false)]
    [InlineData("3528", 15, false)]
    [InlineData("3589", 19, true)]
    [InlineData("36", 14, true)]
    [InlineData("36", 13, false)]
    [InlineData("6011", 15, false)]
    [InlineData("62", 15, false)]
    public void Each_card_network_issues_its_own_lengths(string prefix, int length, bool card) =>
        Assert.Equal(card, Checks.IsCardNumber(WithLuhn(prefix, length)));

    [Theory]
    [InlineData("50")]
    [InlineData("56")]
    [InlineData("2220")]
    [InlineData("2721")]
    [InlineData("33")]
    [InlineData("35")]
    [InlineData("3527")]
    [InlineData("3590")]
    [InlineData("6010")]
    [InlineData("6012")]
    [InlineData("643")]
    [InlineData("66")]
    [InlineData("299")]
    [InlineData("306")]
    [InlineData("61")]
    [InlineData("63")]
    [InlineData("1")]
    [InlineData("7")]
    [InlineData("9")]
    public void Numbers_outside_every_card_range_are_not_cards(string prefix) => Assert.False(Checks.IsCardNumber(WithLuhn(prefix, 16)));

    [Theory]
    [InlineData(12, false)]
    [InlineData(13, true)]
    [InlineData(19, true)]
    [InlineData(20, false)]
    public void Cards_have_13_to_19_digits(int length, bool card)
    {
        Assert.Equal(card, Checks.IsCardNumber(WithLuhn("4", length)));
        Assert.Equal(card, SensitiveDataScanner.ScanText(WithLuhn("4", length), "$").Count == 1);
    }

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("4111111111111121", false)]
    [InlineData("79927398713", true)]
    [InlineData("79927398710", false)]
    [InlineData("0", true)]
    [InlineData("18", true)]
    [InlineData("59", true)]
    public void Luhn_doubles_every_second_digit_from_the_right(string digits, bool passes) => Assert.Equal(passes, Checks.PassesLuhn(digits));

    public static TheoryData<string, int> IbanCountries => new()
    {
        { "AD", 24 }, { "AE", 23 }, { "AL", 28 }, { "AT", 20 }, { "AZ", 28 }, { "BA", 20 }, { "BE", 16 }, { "BG", 22 }, { "BH", 22 },
        { "BR", 29 }, { "BY", 28 }, { "CH", 21 }, { "CR", 22 }, { "CY", 28 }, { "CZ", 24 }, { "DE", 22 }, { "DK", 18 }, { "DO", 28 },
        { "EE", 20 }, { "EG", 29 }, { "ES", 24 }, { "FI", 18 }, { "FO", 18 }, { "FR", 27 }, { "GB", 22 }, { "GE", 22 }, { "GI", 23 },
        { "GL", 18 }, { "GR", 27 }, { "GT", 28 }, { "HR", 21 }, { "HU", 28 }, { "IE", 22 }, { "IL", 23 }, { "IQ", 23 }, { "IS", 26 },
        { "IT", 27 }, { "JO", 30 }, { "KW", 30 }, { "KZ", 20 }, { "LB", 28 }, { "LC", 32 }, { "LI", 21 }, { "LT", 20 }, { "LU", 20 },
        { "LV", 21 }, { "MC", 27 }, { "MD", 24 }, { "ME", 22 }, { "MK", 19 }, { "MR", 27 }, { "MT", 31 }, { "MU", 30 }, { "NL", 18 },
        { "NO", 15 }, { "PK", 24 }, { "PL", 28 }, { "PS", 29 }, { "PT", 25 }, { "QA", 29 }, { "RO", 24 }, { "RS", 22 }, { "SA", 24 },
        { "SC", 31 }, { "SE", 24 }, { "SI", 19 }, { "SK", 24 }, { "SM", 27 }, { "ST", 25 }, { "SV", 28 }, { "TL", 23 }, { "TN", 24 },
        { "TR", 26 }, { "UA", 29 }, { "VA", 22 }, { "VG", 24 }, { "XK", 20 },
    };

    /// <summary>A valid IBAN of <paramref name="length"/> characters: a BBAN of digits and letters, and the
    /// check digits ISO 7064 mod 97 asks for.</summary>
    private static string Iban(string country, int length)
    {
        var bban = string.Concat(Enumerable.Range(0, length - 4).Select(i => i % 5 == 4 ? (char)('A' + i % 26) : (char)('0' + (i * 7 + 3) % 10)));
        var numeric = string.Concat((bban + country + "00").Select(c => char.IsAsciiDigit(c) ? c.ToString() : (c - 'A' + 10).ToString(CultureInfo.InvariantCulture)));
        var check = 98 - (int)(BigInteger.Parse(numeric, CultureInfo.InvariantCulture) % 97);
        return country + check.ToString("00", CultureInfo.InvariantCulture) + bban;
    }

    [Theory]
    [MemberData(nameof(IbanCountries))]
    public void Every_country_has_its_iban_length(string country, int length)
    {
        Assert.True(Checks.IsIban(Iban(country, length)));
        Assert.False(Checks.IsIban(Iban(country, length - 1)));
        Assert.False(Checks.IsIban(Iban(country, length + 1)));
    }

    [Theory]
    [InlineData("GB82 WEST 1234 5698 7654 32", true)]
    [InlineData("gb82-west-1234-5698-7654-32", true)]
    [InlineData("GB82WEST12345698765433", false)]
    [InlineData("GB83WEST12345698765432", false)]
    [InlineData("DE8", false)]
    [InlineData("", false)]
    public void An_iban_passes_mod_97_whatever_its_case_and_separators(string text, bool iban) => Assert.Equal(iban, Checks.IsIban(text));

    [Theory]
    [InlineData("001-01-0001", true)]
    [InlineData("665-12-3456", true)]
    [InlineData("667-12-3456", true)]
    [InlineData("899-12-3456", true)]
    [InlineData("900-12-3456", false)]
    [InlineData("666-12-3456", false)]
    [InlineData("000-12-3456", false)]
    [InlineData("123-00-4567", false)]
    [InlineData("123-01-0000", false)]
    [InlineData("123-10-0001", true)]
    [InlineData("12-345-6789", true)]
    [InlineData("123-45-678", false)]
    [InlineData("123-45-67890", false)]
    public void Ssns_are_in_the_ranges_the_ssa_issues(string text, bool ssn) => Assert.Equal(ssn, Checks.IsSsn(text));

    [Theory]
    [InlineData("+1234567", false)]
    [InlineData("+12345678", true)]
    [InlineData("+123456789012345", true)]
    [InlineData("+1234567890123456", false)]
    [InlineData("415 555 267", false)]
    [InlineData("415 555 2671", true)]
    [InlineData("415 555 26710", false)]
    public void Phones_have_8_to_15_digits_after_a_plus_or_10_without(string text, bool phone) => Assert.Equal(phone, Checks.IsPhone(text));

    [Theory]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.x", true)] // {"alg":"HS256"}
    [InlineData("eyJ0eXAiOiJKV1QifQ.x", false)] // {"typ":"JWT"}
    [InlineData("WyJhbGciXQ.x", false)] // ["alg"]
    [InlineData("eyJ!!.x", false)]
    public void A_jwt_header_is_json_naming_an_algorithm(string text, bool jwt) => Assert.Equal(jwt, Checks.IsJwt(text));

    [Fact]
    public void Digits_of_keeps_only_ascii_digits() => Assert.Equal("0123456789", Checks.DigitsOf("a0-1 2.3/4(5)6+7x8٩9"));

    [Theory]
    [InlineData("+49301234")]
    [InlineData("4222222222222")]
    public void Values_at_the_gates_edges_still_reach_the_detectors(string text) => Assert.Single(SensitiveDataScanner.ScanText(text, "$"));
}
