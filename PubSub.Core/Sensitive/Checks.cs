using System.Buffers.Text;
using System.Text;

namespace PubSub.Sensitive;

/// <summary>What a match must also satisfy to count: the checks that make detectors precise.</summary>
internal static class Checks
{
    private static readonly Dictionary<string, int> IbanLengths = new(StringComparer.Ordinal)
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22, ["BH"] = 22,
        ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22, ["DK"] = 18, ["DO"] = 28,
        ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18, ["FO"] = 18, ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23,
        ["GL"] = 18, ["GR"] = 27, ["GT"] = 28, ["HR"] = 21, ["HU"] = 28, ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26,
        ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28, ["LC"] = 32, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20,
        ["LV"] = 21, ["MC"] = 27, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19, ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NL"] = 18,
        ["NO"] = 15, ["PK"] = 24, ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["SA"] = 24,
        ["SC"] = 31, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["ST"] = 25, ["SV"] = 28, ["TL"] = 23, ["TN"] = 24,
        ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20,
    };

    /// <summary>Digits from a card network's range, of a length that network issues, that pass the Luhn check.
    /// The lengths keep other Luhn-checked identifiers out: a 15-digit IMEI (its 35xx type codes fall in JCB's
    /// range, which issues 16-19 digits) is no card.</summary>
    public static bool IsCardNumber(string match) => IsCardDigits(DigitsOf(match));

    public static bool IsCardDigits(ReadOnlySpan<char> digits) =>
        digits.Length is >= 13 and <= 19 && IssuedLength(digits) && PassesLuhn(digits);

    private static bool IssuedLength(ReadOnlySpan<char> d)
    {
        var two = int.Parse(d[..2], System.Globalization.CultureInfo.InvariantCulture);
        var three = int.Parse(d[..3], System.Globalization.CultureInfo.InvariantCulture);
        var four = int.Parse(d[..4], System.Globalization.CultureInfo.InvariantCulture);
        var length = d.Length;
        return d[0] == '4' && length is 13 or >= 16                                   // Visa (13 for old cards and the test number)
               || (two is >= 51 and <= 55 || four is >= 2221 and <= 2720) && length == 16 // Mastercard
               || two is 34 or 37 && length == 15                                      // American Express
               || (four == 6011 || three is >= 644 and <= 649 || two == 65) && length >= 16 // Discover
               || four is >= 3528 and <= 3589 && length >= 16                          // JCB
               || (three is >= 300 and <= 305 || two is 36 or 38 or 39) && length >= 14 // Diners Club
               || two == 62 && length >= 16;                                           // UnionPay
    }

    public static bool PassesLuhn(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var n = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                n = n * 2 > 9 ? n * 2 - 9 : n * 2;
            }

            sum += n;
        }

        return sum % 10 == 0;
    }

    /// <summary>A known country's length and a valid ISO 7064 mod-97 check.</summary>
    public static bool IsIban(string match)
    {
        var iban = string.Concat(match.Where(char.IsAsciiLetterOrDigit)).ToUpperInvariant();
        if (iban.Length < 4 || !IbanLengths.TryGetValue(iban[..2], out var length) || iban.Length != length)
        {
            return false;
        }

        var remainder = 0;
        foreach (var c in iban[4..] + iban[..4])
        {
            var value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value < 10 ? (remainder * 10 + value) % 97 : (remainder * 100 + value) % 97;
        }

        return remainder == 1;
    }

    /// <summary>Area, group and serial in the ranges the SSA issues (no 000, 666 or 9xx areas, no 00 group, no 0000 serial).</summary>
    public static bool IsSsn(string match) => IsSsnDigits(DigitsOf(match));

    public static bool IsSsnDigits(ReadOnlySpan<char> d)
    {
        if (d.Length != 9)
        {
            return false;
        }

        var area = int.Parse(d[..3], System.Globalization.CultureInfo.InvariantCulture);
        return area is not (0 or 666 or >= 900) && d.Slice(3, 2) is not "00" && d.Slice(5, 4) is not "0000";
    }

    /// <summary>8-15 digits with a leading +, or 10 digits in the North American format.</summary>
    public static bool IsPhone(string match)
    {
        var digits = DigitsOf(match).Length;
        return match.StartsWith('+') ? digits is >= 8 and <= 15 : digits == 10;
    }

    /// <summary>A base64url header that decodes to JSON naming an algorithm.</summary>
    public static bool IsJwt(string match)
    {
        var header = match[..match.IndexOf('.', StringComparison.Ordinal)];
        var bytes = new byte[Base64Url.GetMaxDecodedLength(header.Length)];
        if (Base64Url.DecodeFromChars(header, bytes, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        var json = Encoding.UTF8.GetString(bytes, 0, written);
        return json.StartsWith('{') && json.Contains("\"alg\"", StringComparison.Ordinal);
    }

    public static string DigitsOf(string text) => string.Concat(text.Where(char.IsAsciiDigit));
}
