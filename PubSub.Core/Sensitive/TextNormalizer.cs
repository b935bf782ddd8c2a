using System.Buffers;
using System.Globalization;
using System.Text;

namespace PubSub.Sensitive;

/// <summary>What the detectors read instead of the raw text, so that look-alike characters cannot hide
/// a value: NFKC (full-width and circled forms become ASCII), every decimal digit of any script becomes
/// its ASCII digit, every space becomes ' ', every dash '-'. Characters nobody sees (format characters
/// such as zero-width spaces, soft hyphens, BOMs; combining marks; controls other than tab and line
/// breaks) are read both ways, because either way alone hides something: dropped (the joined reading),
/// "jane\u200B@example.com" is an e-mail; as a boundary (the split reading, a run of them one space),
/// "4111111111111111\u200B0" is a card, not 17 digits. <see cref="Readings"/> gives both when they differ.
/// Only detection reads them: redaction replaces the whole raw token, so no positions need mapping back.</summary>
internal static class TextNormalizer
{
    /// <summary>The ASCII controls that make ASCII text worth normalising: all but tab, line feed and
    /// carriage return.</summary>
    private static readonly SearchValues<char> BoundaryControls = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\u007F");

    /// <summary>The joined reading, and the split one when the text has a character nobody sees.</summary>
    public static (string Joined, string? Split) Readings(string text)
    {
        if (Ascii.IsValid(text) && !text.AsSpan().ContainsAny(BoundaryControls))
        {
            return (text, null); // nothing to normalise, and no allocation
        }

        var composed = Compose(text);
        var joined = Read(composed, split: false, out var hidden);
        return (joined, hidden ? Read(composed, split: true, out _) : null);
    }

    /// <summary>The joined reading alone.</summary>
    public static string Normalize(string text) => Readings(text).Joined;

    /// <param name="hidden">Whether a character nobody sees was dropped or made a boundary.</param>
    private static string Read(string composed, bool split, out bool hidden)
    {
        hidden = false;
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
                if (IsUnseen(rune))
                {
                    hidden = true;
                    if (split && (length == 0 || rented[length - 1] != ' '))
                    {
                        rented[length++] = ' '; // a run of them is one boundary
                    }

                    continue;
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

    /// <summary>Format characters, combining marks, and controls other than tab and line breaks (which
    /// people see as spacing, and which are kept as they are).</summary>
    private static bool IsUnseen(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark => true,
        UnicodeCategory.Control => rune.Value is not ('\t' or '\n' or '\r'),
        _ => false,
    };

    /// <summary>Writes what a character stands for; never more characters than it takes in the input.</summary>
    private static int Write(Rune rune, Span<char> to)
    {
        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.DecimalDigitNumber:
                to[0] = (char)('0' + (int)Rune.GetNumericValue(rune));
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
