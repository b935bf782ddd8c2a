namespace PubSub.Routing.Patterns;

/// <summary><c>{"numeric": [...]}</c>: JSON numbers compared as IEEE doubles over the whole double
/// range, as event-ruler 2.x does (the older documented rule rounded to six decimals within ±5.0e9).
/// Either one bound, two bounds (lower then upper) or <c>"="</c>.</summary>
internal sealed class NumericMatcher(double? lower, bool lowerInclusive, double? upper, bool upperInclusive) : ValueMatcher
{
    public double? Lower { get; } = lower;

    public bool LowerInclusive { get; } = lowerInclusive;

    public double? Upper { get; } = upper;

    public bool UpperInclusive { get; } = upperInclusive;

    private readonly double _lower = lower ?? double.NegativeInfinity;
    private readonly double _upper = upper ?? double.PositiveInfinity;

    public override int Cost => 4;

    public override bool Matches(in LeafValue value)
    {
        if (value.Kind != LeafKind.Number || double.IsNaN(value.Number))
        {
            return false;
        }

        var number = value.Number;
        return (LowerInclusive ? number >= _lower : number > _lower)
               && (UpperInclusive ? number <= _upper : number < _upper);
    }
}
