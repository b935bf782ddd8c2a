using System.Text;

namespace PubSub.Routing.Patterns;

/// <summary>Case-insensitive comparison the way event-ruler (EventBridge's engine) does it: each UTF-16
/// unit of the operand stands for the UTF-8 of Java's <c>toLowerCase</c> or <c>toUpperCase</c> of that
/// unit alone (<c>Locale.ROOT</c>, full mappings), and the event's text, never folded itself, must spell
/// one of the two for every unit. So "Straße" accepts "STRASSE" (upper ß is SS) while "STRASSE" does not
/// accept "Straße", and a unit that is neither its own lower nor upper case (the title case ǅ) accepts
/// neither itself. ASCII operands fold byte-wise, which is the same thing, faster.</summary>
internal sealed class IgnoreCaseOperand
{
    private readonly byte[] _utf8;
    private readonly bool _isAscii;

    /// <summary>Per operand unit, the one or two UTF-8 spellings the event may use.</summary>
    private readonly byte[][][] _spellings;

    public IgnoreCaseOperand(string operand)
    {
        Text = operand;
        _utf8 = Encoding.UTF8.GetBytes(operand);
        _isAscii = Ascii.IsValid(operand);
        _spellings = _isAscii ? [] : [.. operand.Select(JavaCaseMapping.Spellings)];
    }

    public string Text { get; }

    public bool EqualsValue(ReadOnlySpan<byte> value) =>
        _isAscii ? Ascii.EqualsIgnoreCase(value, _utf8) : SpellsForward(value, wholeText: true);

    public bool IsPrefixOf(ReadOnlySpan<byte> value) =>
        _isAscii
            ? value.Length >= _utf8.Length && Ascii.EqualsIgnoreCase(value[.._utf8.Length], _utf8)
            : SpellsForward(value, wholeText: false);

    public bool IsSuffixOf(ReadOnlySpan<byte> value) =>
        _isAscii
            ? value.Length >= _utf8.Length && Ascii.EqualsIgnoreCase(value[^_utf8.Length..], _utf8)
            : SpellsBackward(value);

    /// <summary>True when the units spell the start of <paramref name="text"/> (all of it when
    /// <paramref name="wholeText"/>). No unit's two spellings start (or end) alike, one inside the other
    /// (<c>JavaCaseMapping</c>'s tests check every unit), so at most one fits at each step: no backtracking.</summary>
    private bool SpellsForward(ReadOnlySpan<byte> text, bool wholeText)
    {
        foreach (var spellings in _spellings)
        {
            var fitted = false;
            foreach (var spelling in spellings)
            {
                if (text.StartsWith(spelling))
                {
                    text = text[spelling.Length..];
                    fitted = true;
                    break;
                }
            }

            if (!fitted)
            {
                return false;
            }
        }

        return !wholeText || text.IsEmpty;
    }

    private bool SpellsBackward(ReadOnlySpan<byte> text)
    {
        for (var unit = _spellings.Length - 1; unit >= 0; unit--)
        {
            var fitted = false;
            foreach (var spelling in _spellings[unit])
            {
                if (text.EndsWith(spelling))
                {
                    text = text[..^spelling.Length];
                    fitted = true;
                    break;
                }
            }

            if (!fitted)
            {
                return false;
            }
        }

        return true;
    }
}
