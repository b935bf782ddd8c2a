using System.Text;

namespace PubSub.Routing.Patterns;

/// <summary><c>{"prefix": "..."}</c>: string values that start with the operand.</summary>
internal sealed class PrefixMatcher(string operand) : ValueMatcher
{
    private readonly byte[] _utf8 = Encoding.UTF8.GetBytes(operand);

    public override int Cost => 2;

    public override bool Matches(in LeafValue value) => value.IsString && value.Utf8.StartsWith(_utf8);

    public override IndexKey? Key => _utf8.Length > 0 ? new(IndexKind.Prefix, _utf8) : null;
}

/// <summary><c>{"suffix": "..."}</c>: string values that end with the operand.</summary>
internal sealed class SuffixMatcher(string operand) : ValueMatcher
{
    private readonly byte[] _utf8 = Encoding.UTF8.GetBytes(operand);

    public override int Cost => 2;

    public override bool Matches(in LeafValue value) => value.IsString && value.Utf8.EndsWith(_utf8);

    public override IndexKey? Key => _utf8.Length > 0 ? new(IndexKind.Suffix, _utf8) : null;
}

/// <summary><c>{"equals-ignore-case": "..."}</c>.</summary>
internal sealed class EqualsIgnoreCaseMatcher(string operand) : ValueMatcher
{
    private readonly IgnoreCaseOperand _operand = new(operand);

    public override int Cost => 3;

    public override bool Matches(in LeafValue value) => value.IsString && _operand.EqualsValue(value.Utf8);

    public override IndexKey? Key => Ascii.IsValid(_operand.Text)
        ? new(IndexKind.IgnoreCase, Encoding.ASCII.GetBytes(_operand.Text.ToLowerInvariant()))
        : null;
}

/// <summary><c>{"prefix": {"equals-ignore-case": "..."}}</c>.</summary>
internal sealed class PrefixIgnoreCaseMatcher(string operand) : ValueMatcher
{
    private readonly IgnoreCaseOperand _operand = new(operand);

    public override int Cost => 3;

    public override bool Matches(in LeafValue value) => value.IsString && _operand.IsPrefixOf(value.Utf8);
}

/// <summary><c>{"suffix": {"equals-ignore-case": "..."}}</c>.</summary>
internal sealed class SuffixIgnoreCaseMatcher(string operand) : ValueMatcher
{
    private readonly IgnoreCaseOperand _operand = new(operand);

    public override int Cost => 3;

    public override bool Matches(in LeafValue value) => value.IsString && _operand.IsSuffixOf(value.Utf8);
}

/// <summary><c>{"wildcard": "..."}</c>: <c>*</c> stands for any run of characters, <c>\*</c> for an
/// asterisk and <c>\\</c> for a backslash. Matched in one left-to-right pass: the literal pieces
/// between stars are found leftmost-first, which is exact for patterns whose only metacharacter is
/// <c>*</c>.</summary>
internal sealed class WildcardMatcher : ValueMatcher
{
    private readonly byte[][] _pieces;
    private readonly bool _leadingStar;
    private readonly bool _trailingStar;

    private WildcardMatcher(byte[][] pieces, bool leadingStar, bool trailingStar)
    {
        _pieces = pieces;
        _leadingStar = leadingStar;
        _trailingStar = trailingStar;
    }

    public override int Cost => 7;

    /// <summary>The longer of the literal text before the first star and after the last one.</summary>
    public override IndexKey? Key
    {
        get
        {
            var head = !_leadingStar && _pieces.Length > 0 ? _pieces[0] : [];
            var tail = !_trailingStar && _pieces.Length > 0 ? _pieces[^1] : [];
            if (head.Length == 0 && tail.Length == 0)
            {
                return null;
            }

            return tail.Length > head.Length ? new(IndexKind.Suffix, tail) : new(IndexKind.Prefix, head);
        }
    }

    /// <summary>Parses a wildcard operand; null with a reason when EventBridge would refuse it.</summary>
    public static WildcardMatcher? TryCreate(string operand, out string? problem)
    {
        problem = null;
        var pieces = new List<byte[]>();
        var piece = new StringBuilder();
        var leadingStar = false;
        var trailingStar = false;
        for (var i = 0; i < operand.Length; i++)
        {
            var c = operand[i];
            if (c == '\\')
            {
                if (i + 1 >= operand.Length || operand[i + 1] is not ('*' or '\\'))
                {
                    problem = $"a backslash may only escape '*' or '\\' (position {i})";
                    return null;
                }

                piece.Append(operand[++i]);
                continue;
            }

            if (c != '*')
            {
                piece.Append(c);
                continue;
            }

            if (i + 1 < operand.Length && operand[i + 1] == '*')
            {
                problem = $"consecutive wildcard characters are not allowed (position {i})";
                return null;
            }

            if (i == 0)
            {
                leadingStar = true;
            }
            else
            {
                pieces.Add(Encoding.UTF8.GetBytes(piece.ToString()));
                piece.Clear();
            }

            trailingStar = i == operand.Length - 1;
        }

        if (!trailingStar)
        {
            pieces.Add(Encoding.UTF8.GetBytes(piece.ToString()));
        }

        return new WildcardMatcher([.. pieces], leadingStar, trailingStar);
    }

    public override bool Matches(in LeafValue value) => value.IsString && Matches(value.Utf8);

    public bool Matches(ReadOnlySpan<byte> text)
    {
        if (_pieces.Length == 0)
        {
            return _leadingStar || text.IsEmpty; // "*" matches everything, "" only the empty string
        }

        var position = 0;
        for (var i = 0; i < _pieces.Length; i++)
        {
            var piece = _pieces[i];
            var first = i == 0 && !_leadingStar;
            var last = i == _pieces.Length - 1 && !_trailingStar;
            if (first && last)
            {
                return text.SequenceEqual(piece);
            }

            if (first)
            {
                if (!text.StartsWith(piece))
                {
                    return false;
                }

                position = piece.Length;
            }
            else if (last)
            {
                return text.Length - position >= piece.Length && text.EndsWith(piece);
            }
            else
            {
                var found = text[position..].IndexOf(piece);
                if (found < 0)
                {
                    return false;
                }

                position += found + piece.Length;
            }
        }

        return true;
    }
}
