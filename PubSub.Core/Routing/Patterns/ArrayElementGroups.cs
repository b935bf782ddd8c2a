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
        var full = count == MaxConditions ? ulong.MaxValue : (1UL << count) - 1;
        var heads = state.Pending.AsSpan(0, count);
        var frames = state.ElementFrames;
        frames.Enter(0, -1, -1);
        var depth = 0;
        while (NextCandidate(heads, state, out var mask) is var leaf && leaf >= 0)
        {
            var trail = state.TrailOf(leaf);
            state.Spend(1 + trail.Length);
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

    /// <summary>The next candidate leaf in reverse document order (so that each element's leaves come
    /// together), with the conditions it meets; -1 when there is none left.</summary>
    private static int NextCandidate(Span<(int Next, int End)> heads, MatchState state, out ulong mask)
    {
        var leaf = -1;
        foreach (var (next, end) in heads)
        {
            if (next < end)
            {
                leaf = Math.Max(leaf, state.Matched[next]);
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
            if (head.Next < head.End && state.Matched[head.Next] == leaf)
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
        foreach (var achieved in element.Achieved)
        {
            state.Spend(1 + parent.OpenFamily.Count);
            MaskFamily.AddMaximal(parent.OpenFamily, achieved | element.Direct);
        }

        return false;
    }
}

/// <summary>One array element being visited (or the event itself, at depth 0).</summary>
internal sealed class ElementFrame
{
    private int _arrayId;
    private int _index;
    private int _openArray;
    private List<ulong> _scratch = [];

    /// <summary>Conditions met by leaves that sit in this element itself.</summary>
    public ulong Direct;

    /// <summary>What the arrays inside this element finished so far achieve together (without <see cref="Direct"/>).</summary>
    public List<ulong> Achieved { get; private set; } = [];

    /// <summary>What one element of the array being visited inside this element achieves, maximal masks only.</summary>
    public List<ulong> OpenFamily { get; } = [];

    public void Reset(int arrayId, int index)
    {
        _arrayId = arrayId;
        _index = index;
        _openArray = -1;
        Direct = 0;
        Achieved.Clear();
        Achieved.Add(0);
        OpenFamily.Clear();
    }

    public bool Is(ArrayPosition position) => _arrayId == position.ArrayId && _index == position.Index;

    /// <summary>Moves on to the array <paramref name="arrayId"/> inside this element (closing the one
    /// visited before, if another); true when this element now achieves every condition.</summary>
    public bool OpenArray(int arrayId, ulong full, MatchState state)
    {
        if (_openArray == arrayId)
        {
            return false;
        }

        var done = CloseArray(full, state);
        _openArray = arrayId;
        return done;
    }

    /// <summary>Combines the array being visited into <see cref="Achieved"/>: one element of it with what
    /// the other arrays achieve. True when this element achieves every condition.</summary>
    public bool CloseArray(ulong full, MatchState state)
    {
        if (_openArray >= 0)
        {
            _scratch.Clear();
            foreach (var before in Achieved)
            {
                foreach (var one in OpenFamily)
                {
                    state.Spend(1 + _scratch.Count);
                    MaskFamily.AddMaximal(_scratch, before | one);
                }
            }

            (Achieved, _scratch) = (_scratch, Achieved);
            OpenFamily.Clear();
            _openArray = -1;
        }

        foreach (var achieved in Achieved)
        {
            if ((achieved | Direct) == full)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The frames of the elements on the current trail, reused from event to event.</summary>
internal sealed class ElementFrames
{
    private ElementFrame[] _frames = [new()];

    public ElementFrame this[int depth] => _frames[depth];

    public void Enter(int depth, int arrayId, int index)
    {
        if (depth == _frames.Length)
        {
            Array.Resize(ref _frames, _frames.Length * 2);
            for (var i = depth; i < _frames.Length; i++)
            {
                _frames[i] = new ElementFrame();
            }
        }

        _frames[depth].Reset(arrayId, index);
    }
}

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
