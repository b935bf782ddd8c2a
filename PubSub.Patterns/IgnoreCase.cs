using System.Buffers;
using System.Text;

namespace PubSub.Routing.Patterns;

/// <summary>Case-insensitive comparison of UTF-8 event text with a pattern operand. ASCII text is
/// compared byte-wise; anything else is decoded and compared with ordinal case folding, since case
/// mappings may change a character's UTF-8 length.</summary>
internal sealed class IgnoreCaseOperand(string operand)
{
    private const int StackLimit = 256;

    private readonly byte[] _utf8 = Encoding.UTF8.GetBytes(operand);
    private readonly bool _isAscii = Ascii.IsValid(operand);

    public string Text { get; } = operand;

    public bool EqualsValue(ReadOnlySpan<byte> value) =>
        _isAscii && Ascii.IsValid(value) ? Ascii.EqualsIgnoreCase(value, _utf8) : Compare(value, Mode.Equals);

    public bool IsPrefixOf(ReadOnlySpan<byte> value) =>
        _isAscii && Ascii.IsValid(value)
            ? value.Length >= _utf8.Length && Ascii.EqualsIgnoreCase(value[.._utf8.Length], _utf8)
            : Compare(value, Mode.Prefix);

    public bool IsSuffixOf(ReadOnlySpan<byte> value) =>
        _isAscii && Ascii.IsValid(value)
            ? value.Length >= _utf8.Length && Ascii.EqualsIgnoreCase(value[^_utf8.Length..], _utf8)
            : Compare(value, Mode.Suffix);

    private enum Mode
    {
        Equals,
        Prefix,
        Suffix,
    }

    private bool Compare(ReadOnlySpan<byte> value, Mode mode)
    {
        char[]? rented = null;
        var buffer = value.Length <= StackLimit
            ? stackalloc char[StackLimit]
            : rented = ArrayPool<char>.Shared.Rent(value.Length);
        try
        {
            if (System.Text.Unicode.Utf8.ToUtf16(value, buffer, out _, out var written) != OperationStatus.Done)
            {
                return false;
            }

            var text = buffer[..written];
            return mode switch
            {
                Mode.Prefix => text.StartsWith(Text, StringComparison.OrdinalIgnoreCase),
                Mode.Suffix => text.EndsWith(Text, StringComparison.OrdinalIgnoreCase),
                _ => text.Equals(Text, StringComparison.OrdinalIgnoreCase),
            };
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
