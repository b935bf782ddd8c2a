namespace PubSub.Routing.Patterns;

/// <summary>Scratch space for matching one event: the leaf values read from it, grouped by path, and
/// the array positions that EventBridge's same-array-element rule needs. Reused from event to event
/// (one per thread), so that matching allocates nothing once the buffers have grown.</summary>
internal sealed class MatchState
{
    [ThreadStatic]
    private static MatchState? t_current;

    public Leaf[] Leaves = new Leaf[64];
    public int LeafCount;

    /// <summary>String values, unescaped, back to back.</summary>
    public byte[] Text = new byte[2048];
    public int TextLength;

    /// <summary>Per leaf, the array elements it sits in (outermost first), back to back.</summary>
    public ArrayPosition[] Trails = new ArrayPosition[64];
    public int TrailLength;

    /// <summary>Counts every change of <see cref="OpenArrays"/>; leaves read between two changes share one trail.</summary>
    private int _arrayMoves;
    private int _lastTrailStart;
    private int _lastTrailCount = -1;
    private int _lastTrailMoves;

    /// <summary>The arrays being read, innermost last.</summary>
    public ArrayPosition[] OpenArrays = new ArrayPosition[16];
    public int OpenArrayCount;
    public int ArraysSeen;

    /// <summary>True when some leaf lies inside an object inside an array element.</summary>
    public bool HasArrayElements;

    /// <summary>Per path id, the last leaf read for it (chained through <see cref="Leaf.Previous"/>), or -1.</summary>
    public int[] PathHeads = [];
    private int[] _touchedPaths = new int[64];
    private int _touchedCount;

    public byte[] NameBuffer = new byte[256];

    /// <summary>Where the JSON reader's text starts in the event: it is made anew after each skipped container.</summary>
    public int ReaderOffset;

    private byte[] _scratch = new byte[256];

    /// <summary>Per path id, the event (generation) in which the path was read to completion.</summary>
    public int[] PathDone = [];
    public int DoneGeneration;

    /// <summary>Paths that may still occur further on in the event; reading stops at zero.</summary>
    public int PathsOpen;

    /// <summary>Leaves chosen so far while checking one conjunction across arrays.</summary>
    public int[] Chosen = new int[16];
    public int ChosenCount;

    /// <summary>Leaves that meet the conditions of the conjunction being evaluated that are met only
    /// inside array elements, condition after condition, each in reverse document order.</summary>
    public int[] Matched = new int[64];
    public int MatchedCount;

    /// <summary>Per leaf, the pending conditions it meets while one conjunction is grouped; all zero otherwise.</summary>
    public ulong[] LeafMasks = new ulong[64];

    /// <summary>Per such condition, its range in <see cref="Matched"/>: next position and end.</summary>
    public (int Next, int End)[] Pending = new (int, int)[8];

    public ElementFrames ElementFrames { get; } = new();

    /// <summary>Per conjunction, the event (generation) it was last evaluated for.</summary>
    public int[] CandidateStamps = [];
    private int _candidateGeneration;

    /// <summary>Work done for the current event, in steps (a leaf read, a value tested, a grouping
    /// operation), and the most it may do; <see cref="Spend"/> throws past it.</summary>
    public long Steps;
    public long StepBudget = long.MaxValue;

    public static MatchState Current => t_current ??= new MatchState();

    /// <exception cref="RoutingBudgetExceededException">The event has used up its budget.</exception>
    public void Spend(int steps)
    {
        Steps += steps;
        if (Steps > StepBudget)
        {
            ThrowBudgetExceeded();
        }
    }

    // Out of line, so that Spend stays small enough to inline on the hot paths.
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowBudgetExceeded() => throw RoutingBudgetExceededException.For(StepBudget);

    /// <summary>Starts a new round of candidates; returns its generation.</summary>
    public int BeginCandidates(int conjunctions)
    {
        if (CandidateStamps.Length < conjunctions)
        {
            CandidateStamps = new int[Math.Max(conjunctions, CandidateStamps.Length * 2)];
            _candidateGeneration = 0;
        }

        if (++_candidateGeneration == int.MaxValue)
        {
            Array.Clear(CandidateStamps);
            _candidateGeneration = 1;
        }

        return _candidateGeneration;
    }

    public void Begin(int pathCount, long stepBudget)
    {
        Steps = 0;
        StepBudget = stepBudget;
        if (PathHeads.Length < pathCount)
        {
            PathHeads = new int[Math.Max(pathCount, PathHeads.Length * 2)];
            Array.Fill(PathHeads, -1);
        }
        else
        {
            for (var i = 0; i < _touchedCount; i++)
            {
                PathHeads[_touchedPaths[i]] = -1;
            }
        }

        if (PathDone.Length < pathCount)
        {
            PathDone = new int[Math.Max(pathCount, PathDone.Length * 2)];
        }

        DoneGeneration = DoneGeneration == int.MaxValue ? 1 : DoneGeneration + 1;
        if (DoneGeneration == 1)
        {
            Array.Clear(PathDone);
        }

        PathsOpen = pathCount;
        ReaderOffset = 0;
        _touchedCount = 0;
        LeafCount = 0;
        TextLength = 0;
        TrailLength = 0;
        _lastTrailCount = -1;
        OpenArrayCount = 0;
        ArraysSeen = 0;
        HasArrayElements = false;
        ChosenCount = 0;
    }

    /// <summary>Adds a leaf; <paramref name="directInArray"/> when its container is an array itself,
    /// whose position then does not constrain it (the rule is about objects in array elements).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void AddLeaf(int pathId, LeafKind kind, int textStart, int textLength, double number, bool directInArray)
    {
        Spend(1);
        var trailCount = directInArray ? OpenArrayCount - 1 : OpenArrayCount;
        var trailStart = trailCount == _lastTrailCount && _arrayMoves == _lastTrailMoves
            ? _lastTrailStart // a sibling of the previous leaf: the same elements, stored once
            : StoreTrail(trailCount);
        var previous = PathHeads[pathId];
        if (previous < 0)
        {
            Touch(pathId);
        }

        var index = LeafCount;
        if (index == Leaves.Length)
        {
            Array.Resize(ref Leaves, Leaves.Length * 2);
        }

        Leaves[index] = new Leaf(kind, textStart, textLength, number, trailStart, trailCount, previous);
        PathHeads[pathId] = index;
        LeafCount = index + 1;
    }

    /// <summary>Stores the open arrays' first <paramref name="trailCount"/> positions; returns where.</summary>
    private int StoreTrail(int trailCount)
    {
        if (TrailLength + trailCount > Trails.Length)
        {
            Array.Resize(ref Trails, Math.Max(Trails.Length * 2, TrailLength + trailCount));
        }

        // Trails are short (one entry per array level): a loop beats a general block copy.
        var trailStart = TrailLength;
        var trails = Trails;
        for (var i = 0; i < trailCount; i++)
        {
            trails[trailStart + i] = OpenArrays[i];
        }

        TrailLength += trailCount;
        (_lastTrailStart, _lastTrailCount, _lastTrailMoves) = (trailStart, trailCount, _arrayMoves);
        HasArrayElements |= trailCount > 0;
        return trailStart;
    }

    /// <summary>Notes the first leaf of a path, whose head <see cref="Begin"/> must reset.</summary>
    private void Touch(int pathId)
    {
        if (_touchedCount == _touchedPaths.Length)
        {
            Array.Resize(ref _touchedPaths, _touchedPaths.Length * 2);
        }

        _touchedPaths[_touchedCount++] = pathId;
    }

    public Span<byte> ReserveText(int maxLength)
    {
        if (TextLength + maxLength > Text.Length)
        {
            Array.Resize(ref Text, Math.Max(Text.Length * 2, TextLength + maxLength));
        }

        return Text.AsSpan(TextLength, maxLength);
    }

    /// <summary>A buffer for one transient value (a lower-cased copy), valid until the next call.</summary>
    public Span<byte> ReserveScratch(int length)
    {
        if (_scratch.Length < length)
        {
            _scratch = new byte[Math.Max(length, _scratch.Length * 2)];
        }

        return _scratch.AsSpan(0, length);
    }

    /// <summary>Marks the paths at and below a node whose value was just read outside any array as
    /// complete; true when no path is left open, so the rest of the event need not be read.</summary>
    public bool Complete(FieldPathNode node)
    {
        if (OpenArrayCount > 0)
        {
            return false;
        }

        foreach (var path in node.PathsAtOrBelow)
        {
            if (PathDone[path] != DoneGeneration)
            {
                PathDone[path] = DoneGeneration;
                PathsOpen--;
            }
        }

        return PathsOpen == 0;
    }

    public void OpenArray()
    {
        if (OpenArrayCount == OpenArrays.Length)
        {
            Array.Resize(ref OpenArrays, OpenArrays.Length * 2);
        }

        OpenArrays[OpenArrayCount++] = new ArrayPosition(++ArraysSeen, 0);
        _arrayMoves++;
    }

    public void NextElement()
    {
        OpenArrays[OpenArrayCount - 1].Index++;
        _arrayMoves++;
    }

    public void CloseArray()
    {
        OpenArrayCount--;
        _arrayMoves++;
    }

    public void AddMatched(int leafIndex)
    {
        if (MatchedCount == Matched.Length)
        {
            Array.Resize(ref Matched, Matched.Length * 2);
        }

        Matched[MatchedCount++] = leafIndex;
    }

    public void AddPending(int condition, int start, int count)
    {
        if (condition == Pending.Length)
        {
            Array.Resize(ref Pending, Pending.Length * 2);
        }

        Pending[condition] = (start, start + count);
    }

    /// <summary>The array elements a leaf sits in, outermost first.</summary>
    public ReadOnlySpan<ArrayPosition> TrailOf(int leafIndex)
    {
        ref readonly var leaf = ref Leaves[leafIndex];
        return Trails.AsSpan(leaf.TrailStart, leaf.TrailCount);
    }

    public LeafValue ValueOf(int leafIndex)
    {
        ref readonly var leaf = ref Leaves[leafIndex];
        return new LeafValue(leaf.Kind, Text.AsSpan(leaf.TextStart, leaf.TextLength), leaf.Number);
    }

    /// <summary>False when the two leaves sit in objects in different elements of the same array.</summary>
    public bool AreConsistent(int a, int b)
    {
        ref readonly var left = ref Leaves[a];
        ref readonly var right = ref Leaves[b];
        var common = Math.Min(left.TrailCount, right.TrailCount);
        for (var i = 0; i < common; i++)
        {
            var x = Trails[left.TrailStart + i];
            var y = Trails[right.TrailStart + i];
            if (x.ArrayId != y.ArrayId)
            {
                return true; // different arrays inside the same element: no constraint left
            }

            if (x.Index != y.Index)
            {
                return false;
            }
        }

        return true;
    }

    public void PushChosen(int leafIndex)
    {
        if (ChosenCount == Chosen.Length)
        {
            Array.Resize(ref Chosen, Chosen.Length * 2);
        }

        Chosen[ChosenCount++] = leafIndex;
    }
}

internal struct ArrayPosition(int arrayId, int index)
{
    public int ArrayId = arrayId;
    public int Index = index;
}

internal readonly record struct Leaf(
    LeafKind Kind, int TextStart, int TextLength, double Number, int TrailStart, int TrailCount, int Previous);
