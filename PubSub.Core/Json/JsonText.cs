namespace PubSub.Json;

/// <summary>Why a string cannot be taken: it does not decode to characters, or holds characters that SNS
/// (whose API carries messages in XML) or message attributes cannot carry.</summary>
public enum TextFault : byte
{
    None,

    /// <summary>An escaped surrogate (<c>\ud800</c>-<c>\udfff</c>) without its pair: no character at all.</summary>
    LoneSurrogate,

    /// <summary>A character outside XML's #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].</summary>
    NotXmlCharacter,

    /// <summary>A control character (U+0000-U+001F, U+007F-U+009F) where only text that can become a message attribute belongs.</summary>
    ControlCharacter,
}

/// <summary>Checks strings as the JSON reader sees them (raw UTF-8, escapes not decoded) and as .NET
/// strings, without decoding them: <see cref="System.Text.Json.Utf8JsonReader"/> accepts an escaped lone
/// surrogate and throws only when the value is decoded, long after it was read.</summary>
public static class JsonText
{
    /// <summary>The first fault in a string token's bytes (<see cref="System.Text.Json.Utf8JsonReader.ValueSpan"/>),
    /// whose escapes the reader has already checked for form (<c>\x</c> and short <c>\u</c> are its errors).</summary>
    public static TextFault Check(ReadOnlySpan<byte> raw, bool escaped)
    {
        if (!escaped)
        {
            return HasNonCharacter(raw) ? TextFault.NotXmlCharacter : TextFault.None;
        }

        var pendingHigh = false;
        var i = 0;
        while (i < raw.Length)
        {
            if (raw[i] != (byte)'\\')
            {
                if (pendingHigh)
                {
                    return TextFault.LoneSurrogate;
                }

                var next = raw[i..].IndexOf((byte)'\\');
                var plain = next < 0 ? raw[i..] : raw.Slice(i, next);
                if (HasNonCharacter(plain))
                {
                    return TextFault.NotXmlCharacter;
                }

                i += plain.Length;
                continue;
            }

            if (i + 1 >= raw.Length)
            {
                return TextFault.LoneSurrogate;
            }

            var kind = raw[i + 1];
            if (kind != (byte)'u')
            {
                if (pendingHigh)
                {
                    return TextFault.LoneSurrogate;
                }

                if (kind is (byte)'b' or (byte)'f')
                {
                    return TextFault.NotXmlCharacter; // U+0008 and U+000C
                }

                i += 2;
                continue;
            }

            if (i + 6 > raw.Length || !TryHex(raw.Slice(i + 2, 4), out var c))
            {
                return TextFault.LoneSurrogate;
            }

            i += 6;
            if (pendingHigh)
            {
                if (!char.IsLowSurrogate(c))
                {
                    return TextFault.LoneSurrogate;
                }

                pendingHigh = false;
            }
            else if (char.IsHighSurrogate(c))
            {
                pendingHigh = true;
            }
            else if (char.IsLowSurrogate(c))
            {
                return TextFault.LoneSurrogate;
            }
            else if (!IsXmlCharacter(c))
            {
                return TextFault.NotXmlCharacter;
            }
        }

        return pendingHigh ? TextFault.LoneSurrogate : TextFault.None;
    }

    /// <summary>The first fault in a decoded string (a header value, or an attribute read from the body).</summary>
    /// <param name="attribute">Whether control characters are refused too (text that becomes a message attribute or key).</param>
    public static TextFault Check(ReadOnlySpan<char> text, bool attribute)
    {
        if (text.IndexOfAnyExceptInRange(' ', '~') < 0)
        {
            return TextFault.None; // printable ASCII: the common case, vectorised
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return TextFault.LoneSurrogate;
            }

            if (attribute && char.IsControl(c))
            {
                return TextFault.ControlCharacter;
            }

            if (!IsXmlCharacter(c))
            {
                return TextFault.NotXmlCharacter;
            }
        }

        return TextFault.None;
    }

    /// <summary>What a fault means, to finish a sentence that names where it is.</summary>
    public static string Describe(TextFault fault) => fault switch
    {
        TextFault.LoneSurrogate => "holds an escaped surrogate (\\ud800-\\udfff) without its pair, which is not a character",
        TextFault.NotXmlCharacter => "holds a character that messages cannot carry (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, U+FFFE, U+FFFF)",
        TextFault.ControlCharacter => "holds a control character (U+0000-U+001F, U+007F-U+009F), which attributes cannot carry",
        _ => "is fine",
    };

    /// <summary>For a character that is not half of a surrogate pair.</summary>
    private static bool IsXmlCharacter(char c) => c >= ' ' ? c <= '\uD7FF' || (c >= '\uE000' && c <= '\uFFFD') : c is '\t' or '\n' or '\r';

    /// <summary>U+FFFE and U+FFFF, the only characters outside XML that valid UTF-8 inside a JSON string
    /// can hold raw (the reader refuses raw control characters; surrogates are not valid UTF-8).</summary>
    private static bool HasNonCharacter(ReadOnlySpan<byte> raw)
    {
        var at = raw.IndexOf((byte)0xEF);
        while (at >= 0)
        {
            if (at + 2 < raw.Length && raw[at + 1] == 0xBF && raw[at + 2] is 0xBE or 0xBF)
            {
                return true;
            }

            var next = raw[(at + 1)..].IndexOf((byte)0xEF);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return false;
    }

    private static bool TryHex(ReadOnlySpan<byte> digits, out char c)
    {
        var value = 0;
        foreach (var d in digits)
        {
            var v = d switch
            {
                >= (byte)'0' and <= (byte)'9' => d - '0',
                >= (byte)'a' and <= (byte)'f' => d - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => d - 'A' + 10,
                _ => -1,
            };
            if (v < 0)
            {
                c = '\0';
                return false;
            }

            value = (value << 4) | v;
        }

        c = (char)value;
        return true;
    }
}
