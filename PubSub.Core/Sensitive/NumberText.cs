namespace PubSub.Sensitive;

/// <summary>A JSON number written with a fraction or an exponent (<c>41111111111111110e-1</c>) whose value is
/// an integer, as its plain digits, worked out from the text (never through a double, which would lose digits),
/// so that a card number cannot hide behind the notation.</summary>
public static class NumberText
{
    /// <summary>What a number token is scanned as: its raw text and, when it has one, its plain integer,
    /// apart (a comma joins no digit groups).</summary>
    public static string ScanText(ReadOnlySpan<byte> number) =>
        System.Text.Encoding.UTF8.GetString(number) + (PlainInteger(number) is { } plain ? ", " + plain : "");

    /// <inheritdoc cref="ScanText(ReadOnlySpan{byte})"/>
    public static string ScanText(string number) => ScanText(System.Text.Encoding.UTF8.GetBytes(number));

    /// <summary>Longest integer worked out; longer values hold no number a detector looks for.</summary>
    public const int MaxDigits = 30;

    /// <summary>The integer's digits (without sign or leading zeros), or null when the number is written
    /// plainly, is not an integer, is zero or is longer than <see cref="MaxDigits"/>.</summary>
    public static string? PlainInteger(ReadOnlySpan<byte> number)
    {
        var i = number.Length > 0 && number[0] == '-' ? 1 : 0;
        var integer = Digits(number, ref i);
        var fraction = ReadOnlySpan<byte>.Empty;
        if (i < number.Length && number[i] == '.')
        {
            i++;
            fraction = Digits(number, ref i);
        }

        var exponent = 0;
        if (i < number.Length && number[i] is (byte)'e' or (byte)'E')
        {
            i++;
            var negative = i < number.Length && number[i] == '-';
            i += i < number.Length && number[i] is (byte)'-' or (byte)'+' ? 1 : 0;
            var digits = Digits(number, ref i).TrimStart((byte)'0');
            if (digits.Length > 6)
            {
                return null; // |exponent| of a million or more: zero or far too long
            }

            foreach (var d in digits)
            {
                exponent = exponent * 10 + d - '0';
            }

            exponent = negative ? -exponent : exponent;
        }
        else if (fraction.IsEmpty)
        {
            return null;
        }

        // value = mantissa × 10^scale
        var mantissa = (integer.ToArray().Concat(fraction.ToArray())).SkipWhile(b => b == '0').ToArray();
        var scale = exponent - fraction.Length;
        var trailingZeros = mantissa.Length - mantissa.AsSpan().TrimEnd((byte)'0').Length;
        if (mantissa.Length == 0 || scale < -trailingZeros || mantissa.Length + scale > MaxDigits)
        {
            return null;
        }

        var length = mantissa.Length + scale;
        var text = new char[length];
        for (var k = 0; k < length; k++)
        {
            text[k] = k < mantissa.Length ? (char)mantissa[k] : '0';
        }

        return new string(text);
    }

    private static ReadOnlySpan<byte> Digits(ReadOnlySpan<byte> number, scoped ref int i)
    {
        var start = i;
        while (i < number.Length && number[i] is >= (byte)'0' and <= (byte)'9')
        {
            i++;
        }

        return number[start..i];
    }
}
