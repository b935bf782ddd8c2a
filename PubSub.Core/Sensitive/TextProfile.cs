using System.Buffers;

namespace PubSub.Sensitive;

/// <summary>A one-pass summary of a string that tells which detectors could possibly match, so
/// that ordinary strings never reach a regular expression.</summary>
internal readonly record struct TextProfile(int Digits, bool HasAt, bool HasDashes, bool HasJwtStart, int LongestUpperAlnumRun)
{
    public static TextProfile Of(ReadOnlySpan<char> text)
    {
        int digits = 0, run = 0, longest = 0;
        bool at = false, dashes = false, jwt = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (c == '@')
            {
                at = true;
            }
            else if (c == '-' && !dashes && i + 4 < text.Length && text.Slice(i, 5) is "-----")
            {
                dashes = true;
            }
            else if (c == 'e' && !jwt && i + 2 < text.Length && text[i + 1] == 'y' && text[i + 2] == 'J')
            {
                jwt = true;
            }

            run = char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c) ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return new TextProfile(digits, at, dashes, jwt, longest);
    }

    public static TextProfile Of(ReadOnlySpan<byte> utf8)
    {
        // Non-ASCII bytes never start a match, so reading bytes as chars is exact for the gates.
        char[]? rented = null;
        var chars = utf8.Length <= 256 ? stackalloc char[utf8.Length] : (rented = ArrayPool<char>.Shared.Rent(utf8.Length));
        try
        {
            for (var i = 0; i < utf8.Length; i++)
            {
                chars[i] = utf8[i] < 0x80 ? (char)utf8[i] : ' ';
            }

            return Of(chars[..utf8.Length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    public bool MayContainSomething =>
        Digits >= 7 || HasAt || HasDashes || HasJwtStart || LongestUpperAlnumRun >= 20;
}
