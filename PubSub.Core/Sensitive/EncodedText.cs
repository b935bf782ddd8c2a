using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace PubSub.Sensitive;

/// <summary>Finds text hidden by an encoding: percent-encoding (<c>jane%40example.com</c>) and base64
/// (standard or URL alphabet, padded or not, with up to three characters or whole groups of control bytes
/// glued in front). Each candidate is decoded once here; the scanner decodes the result at most once more.</summary>
internal static class EncodedText
{
    /// <summary>Base64 of nine bytes (the shortest value a detector knows, a bare SSN).</summary>
    public const int MinBase64Run = 12;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";

    private static readonly SearchValues<char> Base64Chars = SearchValues.Create(Alphabet);
    private static readonly SearchValues<byte> Base64Bytes = SearchValues.Create(Encoding.ASCII.GetBytes(Alphabet));

    /// <summary>Whether the UTF-8 text may hold a percent-escape or a base64 run worth decoding.</summary>
    public static bool MayHoldEncoded(ReadOnlySpan<byte> text) => HasPercentEscape(text) || HasBase64Run(text);

    /// <summary>The text with its percent-escapes decoded, or null when it has none.</summary>
    public static string? PercentDecoded(string text)
    {
        for (var i = text.IndexOf('%', StringComparison.Ordinal); i >= 0 && i + 2 < text.Length; i = text.IndexOf('%', i + 1))
        {
            if (char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]))
            {
                return Uri.UnescapeDataString(text);
            }
        }

        return null;
    }

    /// <summary>The base64 runs of the text that decode to readable text, with where they are: a run may give
    /// two texts, its clean reading and its reading with control characters.</summary>
    public static List<(int Start, int Length, string Decoded)>? Base64Texts(string text)
    {
        List<(int, int, string)>? found = null;
        var span = text.AsSpan();
        var at = 0;
        while (span.Length - at >= MinBase64Run)
        {
            var start = span[at..].IndexOfAny(Base64Chars);
            if (start < 0)
            {
                break;
            }

            start += at;
            var length = span[start..].IndexOfAnyExcept(Base64Chars);
            length = length < 0 ? span.Length - start : length;
            var run = span.Slice(start, length);
            if (IsCandidate(run))
            {
                var clean = Decode(run, [Reading.Clean, Reading.AfterControlPrefix]);
                if (clean is not null)
                {
                    (found ??= []).Add((start, length, clean));
                }

                // Read apart: a wrong alignment or a trimmed prefix can look clean while the right reading holds controls.
                if (Decode(run, [Reading.WithControls]) is { } withControls && withControls != clean)
                {
                    (found ??= []).Add((start, length, withControls));
                }
            }

            at = start + length;
        }

        return found;
    }

    /// <summary>Long enough, with capitals and something else: base64 of text always has both, while
    /// plain words, snake_case names and digit runs do not.</summary>
    private static bool IsCandidate(ReadOnlySpan<char> run) =>
        run.Length >= MinBase64Run && run.IndexOfAnyInRange('A', 'Z') >= 0
        && (run.IndexOfAnyInRange('a', 'z') >= 0 || run.IndexOfAnyInRange('0', '9') >= 0);

    /// <summary>How decoded bytes may still be text.</summary>
    private enum Reading
    {
        /// <summary>No control bytes at all.</summary>
        Clean,

        /// <summary>After a glued prefix of control bytes, none.</summary>
        AfterControlPrefix,

        /// <summary>Control bytes here and there (at most one in four bytes): text with controls put between
        /// its characters to hide a value from a scanner that skips binary.</summary>
        WithControls,
    }

    /// <summary>Tries the four alignments (a few letters glued before the value shift it) for each reading in
    /// turn; the first that decodes to text wins.</summary>
    private static string? Decode(ReadOnlySpan<char> run, ReadOnlySpan<Reading> readings)
    {
        foreach (var reading in readings)
        {
            for (var skip = 0; skip < 4 && run.Length - skip >= MinBase64Run; skip++)
            {
                if (DecodeAligned(run[skip..], reading) is { } text)
                {
                    return text;
                }
            }
        }

        return null;
    }

    private static string? DecodeAligned(ReadOnlySpan<char> run, Reading reading)
    {
        var usable = run.Length % 4 == 1 ? run[..^1] : run;
        var padded = (usable.Length + 3) / 4 * 4;
        var chars = ArrayPool<char>.Shared.Rent(padded);
        var bytes = ArrayPool<byte>.Shared.Rent(padded / 4 * 3);
        try
        {
            for (var i = 0; i < padded; i++)
            {
                chars[i] = i >= usable.Length ? '=' : usable[i] switch { '-' => '+', '_' => '/', var c => c };
            }

            if (!Convert.TryFromBase64Chars(chars.AsSpan(0, padded), bytes, out var written))
            {
                return null;
            }

            // Base64 characters glued in front ("AAAA" + the value) decode to whole groups of control bytes:
            // the text starts after the group holding the last of them.
            var start = reading == Reading.AfterControlPrefix ? (LastControl(bytes.AsSpan(0, written)) / 3 + 1) * 3 : 0;
            return start < written && IsText(bytes.AsSpan(start, written - start), reading == Reading.WithControls ? 4 : int.MaxValue)
                ? Encoding.UTF8.GetString(bytes, start, written - start)
                : null;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>Valid UTF-8 with fewer than one control character (other than tab and line breaks) in
    /// <paramref name="bytesPerControl"/> bytes (none when it is <see cref="int.MaxValue"/>): what random bytes
    /// (a hash, an id that happens to be base64) almost never are.</summary>
    private static bool IsText(ReadOnlySpan<byte> bytes, int bytesPerControl)
    {
        if (bytes.Length < 9 || !Utf8.IsValid(bytes))
        {
            return false;
        }

        var controls = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (IsControl(bytes, i) && ++controls > bytes.Length / bytesPerControl)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Where the last control byte is (-1 when none: then no prefix is dropped).</summary>
    private static int LastControl(ReadOnlySpan<byte> bytes)
    {
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (IsControl(bytes, i))
            {
                return i;
            }
        }

        return int.MaxValue / 2;
    }

    private static bool IsControl(ReadOnlySpan<byte> bytes, int i) =>
        (bytes[i] < 0x20 && bytes[i] is not ((byte)'\t' or (byte)'\n' or (byte)'\r')) || bytes[i] == 0x7F
        || (bytes[i] == 0xC2 && i + 1 < bytes.Length && bytes[i + 1] is >= 0x80 and <= 0x9F);

    private static bool HasPercentEscape(ReadOnlySpan<byte> text)
    {
        for (var i = text.IndexOf((byte)'%'); i >= 0 && i + 2 < text.Length; i = NextPercent(text, i))
        {
            if (char.IsAsciiHexDigit((char)text[i + 1]) && char.IsAsciiHexDigit((char)text[i + 2]))
            {
                return true;
            }
        }

        return false;
    }

    private static int NextPercent(ReadOnlySpan<byte> text, int after)
    {
        var next = text[(after + 1)..].IndexOf((byte)'%');
        return next < 0 ? -1 : after + 1 + next;
    }

    private static bool HasBase64Run(ReadOnlySpan<byte> text)
    {
        while (text.Length >= MinBase64Run)
        {
            var start = text.IndexOfAny(Base64Bytes);
            if (start < 0)
            {
                return false;
            }

            text = text[start..];
            var length = text.IndexOfAnyExcept(Base64Bytes);
            var run = length < 0 ? text : text[..length];
            if (run.Length >= MinBase64Run && run.IndexOfAnyInRange((byte)'A', (byte)'Z') >= 0
                && (run.IndexOfAnyInRange((byte)'a', (byte)'z') >= 0 || run.IndexOfAnyInRange((byte)'0', (byte)'9') >= 0))
            {
                return true;
            }

            if (length < 0)
            {
                return false;
            }

            text = text[length..];
        }

        return false;
    }
}
