using System.Buffers;
using System.Text;

namespace PubSub.Sensitive;

/// <summary>A one-pass summary of a string's UTF-8 bytes that tells which detectors could possibly
/// match, so that ordinary strings (timestamps, prices, ids, prose) never reach a regular expression.</summary>
internal readonly record struct TextProfile(
    int Digits,
    int LongestDigitRun,
    bool HasPlusBeforeDigits,
    bool HasAt,
    bool HasDashes,
    bool HasJwtStart,
    bool HasIbanStart,
    bool HasAwsKeyShape,
    bool NeedsNormalising = false,
    bool MayBeEncoded = false)
{
    public bool MayHaveCard => LongestDigitRun >= 13;
    public bool MayHaveSsn => LongestDigitRun >= 9;
    public bool MayHavePhone => LongestDigitRun >= 10 || (HasPlusBeforeDigits && LongestDigitRun >= 8);
    public bool MayHaveIban => HasIbanStart && Digits >= 8;

    /// <summary>Twenty or more capitals and digits in a row, some of them capitals.</summary>
    public bool MayHaveAwsKey => HasAwsKeyShape;

    /// <summary>Whether the detectors can find anything as the text is (before normalising or decoding).</summary>
    public bool MayMatch => MayHaveSsn || MayHavePhone || MayHaveIban || HasAt || HasDashes || HasJwtStart || MayHaveAwsKey;

    /// <summary>Non-ASCII text and text with controls is normalised first (look-alike digits, invisible characters), and
    /// encoded text is decoded: either may hide what the raw bytes do not show.</summary>
    public bool MayContainSomething => MayMatch || NeedsNormalising || MayBeEncoded;

    private const int AwsKeyLength = 20;

    /// <summary>ASCII controls other than tab and line breaks: hidden between digits, they are normalised too.</summary>
    private static readonly SearchValues<byte> UnseenControls = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c is not ('\t' or '\n' or '\r')).Select(c => (byte)c), 0x7F]);

    /// <summary>Digits joined by at most three separators in a row (space, dash, dot, slash, parentheses) count
    /// as one run: "4111 1111 1111 1111" is 16, "(415) 555-2671" is 10, "2024-05-01T12:00" is 8.
    /// Vectorised searches skip the letters and spaces that make up most text.</summary>
    public static TextProfile Of(ReadOnlySpan<byte> text)
    {
        int digits = 0, longestRun = 0;
        bool plus = false, iban = false;
        for (var i = text.IndexOfAnyInRange((byte)'0', (byte)'9'); i >= 0;)
        {
            var start = i;
            int run = 0, separators = 0;
            for (; i < text.Length; i++)
            {
                var c = text[i];
                if (IsDigit(c))
                {
                    (run, separators) = (run + 1, 0);
                }
                else if (separators < 3 && c is (byte)' ' or (byte)'-' or (byte)'.' or (byte)'/' or (byte)'(' or (byte)')')
                {
                    separators++;
                }
                else
                {
                    break;
                }
            }

            digits += run;
            longestRun = Math.Max(longestRun, run);
            plus |= PlusBefore(text, start);
            iban |= start >= 2 && IsLetter(text[start - 2]) && IsLetter(text[start - 1]) && start + 1 < text.Length && IsDigit(text[start + 1]);
            var next = i < text.Length ? text[i..].IndexOfAnyInRange((byte)'0', (byte)'9') : -1;
            i = next < 0 ? -1 : i + next;
        }

        return new TextProfile(digits, longestRun, plus, text.Contains((byte)'@'), text.IndexOf("-----"u8) >= 0,
            text.IndexOf("eyJ"u8) >= 0, iban, UpperAlnumRun(text) >= AwsKeyLength, !Ascii.IsValid(text) || text.ContainsAny(UnseenControls), EncodedText.MayHoldEncoded(text));
    }

    /// <summary>A '+' just before the digits, perhaps with a space or parenthesis between.</summary>
    private static bool PlusBefore(ReadOnlySpan<byte> text, int start) =>
        (start >= 1 && text[start - 1] == (byte)'+')
        || (start >= 2 && text[start - 2] == (byte)'+' && text[start - 1] is (byte)' ' or (byte)'(');

    /// <summary>Only worth counting when the text is long enough and has capitals at all.</summary>
    private static int UpperAlnumRun(ReadOnlySpan<byte> text)
    {
        if (text.Length < AwsKeyLength || text.IndexOfAnyInRange((byte)'A', (byte)'Z') < 0)
        {
            return 0;
        }

        int run = 0, longest = 0;
        foreach (var c in text)
        {
            run = IsDigit(c) || IsUpper(c) ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }

    public static TextProfile Of(string text)
    {
        if (text.Length <= 256)
        {
            Span<byte> small = stackalloc byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
            return Of(small[..Encoding.UTF8.GetBytes(text, small)]);
        }

        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            return Of(rented.AsSpan(0, Encoding.UTF8.GetBytes(text, rented)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static bool IsDigit(byte c) => c is >= (byte)'0' and <= (byte)'9';

    private static bool IsUpper(byte c) => c is >= (byte)'A' and <= (byte)'Z';

    private static bool IsLetter(byte c) => IsUpper((byte)(c & ~0x20));
}
