namespace PubSub.Routing.Patterns;

/// <summary><c>{"numeric": [...]}</c>: JSON numbers within -5.0e9..5.0e9 compared to six decimal
/// places. Either one bound, two bounds (lower then upper) or <c>"="</c>.</summary>
internal sealed class NumericMatcher(double? lower, bool lowerInclusive, double? upper, bool upperInclusive) : ValueMatcher
{
    private readonly double _lower = lower is { } l ? NumericPrecision.Scaled(l) : double.NegativeInfinity;
    private readonly double _upper = upper is { } u ? NumericPrecision.Scaled(u) : double.PositiveInfinity;

    public override int Cost => 4;

    public override bool Matches(in LeafValue value)
    {
        if (value.Kind != LeafKind.Number || !NumericPrecision.InRange(value.Number))
        {
            return false;
        }

        var scaled = NumericPrecision.Scaled(value.Number);
        return (lowerInclusive ? scaled >= _lower : scaled > _lower)
               && (upperInclusive ? scaled <= _upper : scaled < _upper);
    }
}
