namespace PubSub.Routing.Patterns;

/// <summary>EventBridge's same-array-element rule, decided in one pass over the candidate leaves: the
/// leaves that match some condition, each with the set of conditions it meets (a bit mask), are visited
/// grouped by the array elements they sit in (their trails), innermost elements finished first. An
/// element achieves the union of what its own leaves meet and, from each array inside it, what one
/// element of that array achieves; the conjunction holds when some element (or the event itself)
/// achieves every condition. Only the maximal masks are kept, so the work is linear in the candidate
/// leaves and their trails, with no pairwise search between leaves.</summary>
internal static class ArrayElementGroups
{
    /// <summary>The most conditions a mask holds; a conjunction with more falls back to the search.</summary>
    public const int MaxConditions = 64;

    /// <summary>True when the <paramref name="count"/> conditions of <see cref="MatchState.Pending"/>, each
    /// met by some leaf inside an array element (and none outside arrays), can all be met by leaves no two
    /// of which sit in different elements of one array.</summary>
    public static bool Satisfiable(int count, MatchState state)
    {
        var heads = state.Pending.AsSpan(0, count);
        if (!MarkDense(heads, state, out var low, out var high))
        {
            return Group(count, heads, state, dense: false, 0, 0);
        }

        try
        {
            return Group(count, heads, state, dense: true, low, high);
        }
        finally
        {
            state.LeafMasks.AsSpan(low, high - low + 1).Clear(); // all zero again for the next conjunction
        }
    }

    /// <summary>When the candidate leaves fill at least half of the leaf numbers between the first and the
    /// last, records each one's conditions in <see cref="MatchState.LeafMasks"/>, so that they can be taken
    /// in reverse document order by a scan down that range instead of a merge of the condition lists.</summary>
    private static bool MarkDense(Span<(int Next, int End)> heads, MatchState state, out int low, out int high)
    {
        var matched = state.Matched;
        (low, high) = (int.MaxValue, -1);
        var total = 0;
        foreach (var (next, end) in heads)
        {
            total += end - next;
            high = Math.Max(high, matched[next]); // each list is in reverse document order
            low = Math.Min(low, matched[end - 1]);
        }

        if ((long)high - low + 1 > 2L * total)
        {
            return false;
        }

        if (state.LeafMasks.Length <= high)
        {
            state.LeafMasks = new ulong[Math.Max(high + 1, state.LeafMasks.Length * 2)];
        }

        var masks = state.LeafMasks;
        for (var j = 0; j < heads.Length; j++)
        {
            var bit = 1UL << j;
            for (var i = heads[j].Next; i < heads[j].End; i++)
            {
                masks[matched[i]] |= bit;
            }
        }

        return true;
    }

    private static bool Group(int count, Span<(int Next, int End)> heads, MatchState state, bool dense, int low, int high)
    {
        var full = count == MaxConditions ? ulong.MaxValue : (1UL << count) - 1;
        var frames = state.ElementFrames;
        frames.Enter(0, -1, -1);
        var depth = 0;
        var lastTrail = (Start: -1, Count: -1);
        var masks = state.LeafMasks;
        var scan = high + 1;
        while ((dense ? NextMarked(masks, low, ref scan, out var mask) : NextCandidate(heads, state, out mask)) is var leaf && leaf >= 0)
        {
            ref readonly var candidate = ref state.Leaves[leaf];
            state.Spend(1 + candidate.TrailCount);
            if (candidate.TrailStart == lastTrail.Start && candidate.TrailCount == lastTrail.Count)
            {
                // The same stored trail as the previous candidate (a sibling in the same element): the
                // frames already stand on it.
                frames[depth].Direct |= mask;
                continue;
            }

            lastTrail = (candidate.TrailStart, candidate.TrailCount);
            var trail = state.TrailOf(leaf);
            var common = 0;
            while (common < depth && common < trail.Length && frames[common + 1].Is(trail[common]))
            {
                common++;
            }

            for (; depth > common; depth--)
            {
                if (Finish(frames, depth, full, state))
                {
                    return true;
                }
            }

            for (; depth < trail.Length; depth++)
            {
                if (frames[depth].OpenArray(trail[depth].ArrayId, full, state))
                {
                    return true;
                }

                frames.Enter(depth + 1, trail[depth].ArrayId, trail[depth].Index);
            }

            frames[depth].Direct |= mask;
        }

        for (; depth > 0; depth--)
        {
            if (Finish(frames, depth, full, state))
            {
                return true;
            }
        }

        return frames[0].CloseArray(full, state);
    }

    /// <summary>The next marked leaf below <paramref name="scan"/>, with its conditions; -1 below <paramref name="low"/>.</summary>
    private static int NextMarked(ulong[] masks, int low, ref int scan, out ulong mask)
    {
        while (--scan >= low)
        {
            mask = masks[scan];
            if (mask != 0)
            {
                return scan;
            }
        }

        mask = 0;
        return -1;
    }

    /// <summary>The next candidate leaf in reverse document order (so that each element's leaves come
    /// together), with the conditions it meets; -1 when there is none left.</summary>
    private static int NextCandidate(Span<(int Next, int End)> heads, MatchState state, out ulong mask)
    {
        var matched = state.Matched;
        var leaf = -1;
        foreach (var (next, end) in heads)
        {
            if (next < end && matched[next] > leaf)
            {
                leaf = matched[next];
            }
        }

        mask = 0;
        if (leaf < 0)
        {
            return -1;
        }

        for (var j = 0; j < heads.Length; j++)
        {
            ref var head = ref heads[j];
            if (head.Next < head.End && matched[head.Next] == leaf)
            {
                mask |= 1UL << j;
                head.Next++;
            }
        }

        return leaf;
    }

    /// <summary>Closes the element at <paramref name="depth"/> and offers what it achieves to its array;
    /// true when it achieves every condition.</summary>
    private static bool Finish(ElementFrames frames, int depth, ulong full, MatchState state)
    {
        var element = frames[depth];
        if (element.CloseArray(full, state))
        {
            return true;
        }

        var parent = frames[depth - 1];
        if (element.AchievesDirectOnly)
        {
            state.Spend(1 + parent.OpenFamily.Count);
            MaskFamily.AddMaximal(parent.OpenFamily, element.Direct);
            return false;
        }

        foreach (var achieved in element.Achieved)
        {
            state.Spend(1 + parent.OpenFamily.Count);
            MaskFamily.AddMaximal(parent.OpenFamily, achieved | element.Direct);
        }

        return false;
    }
}
