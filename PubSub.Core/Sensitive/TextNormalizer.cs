using System.Buffers;
using System.Globalization;
using System.Text;

namespace PubSub.Sensitive;

/// <summary>What the detectors read instead of the raw text, so that look-alike characters cannot hide
/// a value: NFKC (full-width and circled forms become ASCII), every decimal digit of any script becomes
/// its ASCII digit, invisible characters (format characters such as zero-width spaces, soft hyphens,
/// BOMs; combining marks) are dropped, every other control (a run of them) and every space becomes ' ',
/// every dash '-'.
/// Only detection reads it: redaction replaces the whole raw token, so no positions need mapping back.</summary>
internal static class TextNormalizer
{
    /// <summary>Control characters the normalised text writes as a space: all but tab, line feed and
    /// carriage return, which are kept as they are.</summary>
    private static readonly SearchValues<char> BoundaryControls = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F");

    /// <summary>ASCII text without controls is returned as it is (no allocation): it has nothing to
    /// normalise. Decoded text (percent-encoding, base64) can hold controls, which would otherwise hide a
    /// value between its digits.</summary>
    public static string Normalize(string text)
    {
        if (Ascii.IsValid(text) && !text.AsSpan().ContainsAny(BoundaryControls))
        {
            return text;
        }

        var composed = Compose(text);
        var rented = ArrayPool<char>.Shared.Rent(composed.Length);
        try
        {
            var length = 0;
            for (var i = 0; i < composed.Length;)
            {
                if (Rune.DecodeFromUtf16(composed.AsSpan(i), out var rune, out var consumed) != OperationStatus.Done)
                {
                    rune = Rune.ReplacementChar;
                }

                i += consumed;
                if (length > 0 && rented[length - 1] == ' ' && IsBoundaryControl(rune))
                {
                    continue; // a run of controls is one boundary
                }

                length += Write(rune, rented.AsSpan(length));
            }

            return new string(rented, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static bool IsBoundaryControl(Rune rune) =>
        Rune.GetUnicodeCategory(rune) == UnicodeCategory.Control && rune.Value is not ('\t' or '\n' or '\r');

    /// <summary>Writes what a character stands for; never more characters than it takes in the input.</summary>
    private static int Write(Rune rune, Span<char> to)
    {
        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.DecimalDigitNumber:
                to[0] = (char)('0' + (int)Rune.GetNumericValue(rune));
                return 1;
            case UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark:
                return 0;
            case UnicodeCategory.Control:
                if (rune.Value is '\t' or '\n' or '\r')
                {
                    return Copy(rune, to);
                }

                // A boundary, not nothing: dropped, a control would glue a card to a digit after it
                // ("4111111111111111" NUL "0" read as 17 digits) and hide it.
                to[0] = ' ';
                return 1;
            case UnicodeCategory.SpaceSeparator:
                to[0] = ' ';
                return 1;
            case UnicodeCategory.DashPunctuation:
                to[0] = '-';
                return 1;
            default:
                if (rune.Value == '\u2212')
                {
                    to[0] = '-'; // MINUS SIGN is a math symbol, but people type it between digit groups
                    return 1;
                }

                return Copy(rune, to);
        }
    }

    private static int Copy(Rune rune, Span<char> to) => rune.EncodeToUtf16(to);

    /// <summary>NFKC; a lone surrogate (which normalisation refuses) becomes U+FFFD first.</summary>
    private static string Compose(string text)
    {
        try
        {
            return text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return WellFormed(text).Normalize(NormalizationForm.FormKC);
        }
    }

    private static string WellFormed(string text)
    {
        var repaired = new StringBuilder(text.Length);
        Span<char> chars = stackalloc char[2];
        foreach (var rune in text.EnumerateRunes())
        {
            repaired.Append(chars[..rune.EncodeToUtf16(chars)]);
        }

        return repaired.ToString();
    }
}
