namespace PubSub.Routing.Patterns;

/// <summary>One alternative of a pattern field: an exact value or an operator such as
/// <c>prefix</c> or <c>numeric</c>. Matchers are immutable and allocate nothing when they match.</summary>
internal abstract class ValueMatcher
{
    /// <summary>Rough cost, used to test cheap and selective conditions first.</summary>
    public abstract int Cost { get; }

    public abstract bool Matches(in LeafValue value);

    /// <summary>A string that every value this matcher accepts must equal, start with, end with, or
    /// equal ignoring case; null when there is none. Used to index routes.</summary>
    public virtual IndexKey? Key => null;
}

internal enum IndexKind
{
    Exact,
    Prefix,
    Suffix,
    IgnoreCase,
}

/// <param name="Utf8">The key text (for <see cref="IndexKind.IgnoreCase"/>, ASCII in lower case).</param>
internal sealed record IndexKey(IndexKind Kind, byte[] Utf8);

/// <summary>An exact string: byte-wise equality of the unescaped UTF-8 text.</summary>
internal sealed class ExactStringMatcher(string operand) : ValueMatcher
{
    private readonly byte[] _utf8 = System.Text.Encoding.UTF8.GetBytes(operand);

    public string Operand { get; } = operand;

    public ReadOnlySpan<byte> Utf8 => _utf8;

    public override int Cost => 0;

    public override IndexKey? Key => new(IndexKind.Exact, _utf8);

    public override bool Matches(in LeafValue value) => value.IsString && value.Utf8.SequenceEqual(_utf8);
}

/// <summary>An exact number, compared numerically (<c>300</c> equals <c>3.0e2</c>), to EventBridge's
/// precision of six decimal places.</summary>
internal sealed class ExactNumberMatcher(double operand) : ValueMatcher
{
    // The operand's side of NumericPrecision.AreEqual, worked out once rather than per value.
    private readonly bool _inRange = NumericPrecision.InRange(operand);
    private readonly double _scaled = NumericPrecision.Scaled(operand);

    public override int Cost => 1;

    public override bool Matches(in LeafValue value)
    {
        if (value.Kind != LeafKind.Number)
        {
            return false;
        }

        var number = value.Number;
        if (number == operand)
        {
            return true;
        }

        if (!_inRange || !NumericPrecision.InRange(number))
        {
            return false;
        }

        // Values 1e-5 apart are at least 10 millionths apart once scaled, whatever the rounding: no need
        // to scale (and round) a value that is nowhere near the operand.
        return Math.Abs(number - operand) <= 1e-5 && NumericPrecision.Scaled(number) == _scaled;
    }
}

/// <summary><c>true</c>, <c>false</c> or <c>null</c>: the kind is the value.</summary>
internal sealed class LiteralMatcher(LeafKind kind) : ValueMatcher
{
    public override int Cost => 0;

    public override bool Matches(in LeafValue value) => value.Kind == kind;
}

/// <summary><c>{"exists": true}</c>: any leaf value, <c>null</c> included, is present.</summary>
internal sealed class ExistsMatcher : ValueMatcher
{
    public static readonly ExistsMatcher Instance = new();

    public override int Cost => 6;

    public override bool Matches(in LeafValue value) => true;
}

/// <summary>How EventBridge compares numbers: values between -5.0e9 and 5.0e9, to six decimal places.</summary>
internal static class NumericPrecision
{
    public const double Limit = 5.0e9;

    public static bool InRange(double value) => value is >= -Limit and <= Limit;

    /// <summary>The value in millionths; exact for the whole range, since 5e15 &lt; 2^53.</summary>
    public static double Scaled(double value) => Math.Round(value * 1_000_000d, MidpointRounding.AwayFromZero);

    public static bool AreEqual(double a, double b) =>
        InRange(a) && InRange(b) ? Scaled(a) == Scaled(b) : a == b;
}
