namespace PubSub.Routing.Patterns;

/// <summary>Sets of condition masks kept as their maximal members: a mask contained in another adds nothing.</summary>
internal static class MaskFamily
{
    public static void AddMaximal(List<ulong> family, ulong mask)
    {
        for (var i = family.Count - 1; i >= 0; i--)
        {
            var other = family[i];
            if ((other | mask) == other)
            {
                return;
            }

            if ((other | mask) == mask)
            {
                family[i] = family[^1];
                family.RemoveAt(family.Count - 1);
            }
        }

        family.Add(mask);
    }
}
