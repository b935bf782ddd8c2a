namespace PubSub.Routing.Patterns;

/// <summary><c>{"anything-but": ...}</c>: a present value that none of the excluded values or the
/// inner condition (prefix, suffix, equals-ignore-case, wildcard) matches. Like EventBridge, it never
/// matches an absent field, and a value of another type than the excluded ones is "anything but".</summary>
internal sealed class AnythingButMatcher(ValueMatcher[] excluded) : ValueMatcher
{
    public override int Cost => 5;

    public override bool Matches(in LeafValue value)
    {
        foreach (var matcher in excluded)
        {
            if (matcher.Matches(value))
            {
                return false;
            }
        }

        return true;
    }
}
