namespace PubSub.Routing.Patterns;

/// <summary>One array element being visited (or the event itself, at depth 0).</summary>
internal sealed class ElementFrame
{
    private int _arrayId;
    private int _index;
    private int _openArray;
    private List<ulong> _scratch = [];

    /// <summary>Conditions met by leaves that sit in this element itself.</summary>
    public ulong Direct;

    /// <summary>What the arrays inside this element finished so far achieve together (without <see cref="Direct"/>);
    /// not kept up to date while <see cref="AchievesDirectOnly"/> (it stands for the empty mask alone).</summary>
    public List<ulong> Achieved { get; private set; } = [];

    /// <summary>True until an array inside this element is finished: most elements hold leaves only, and
    /// then what they achieve is <see cref="Direct"/>, with no list to maintain.</summary>
    public bool AchievesDirectOnly { get; private set; }

    /// <summary>What one element of the array being visited inside this element achieves, maximal masks only.</summary>
    public List<ulong> OpenFamily { get; } = [];

    public void Reset(int arrayId, int index)
    {
        _arrayId = arrayId;
        _index = index;
        _openArray = -1;
        Direct = 0;
        AchievesDirectOnly = true;
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
            if (AchievesDirectOnly)
            {
                Achieved.Clear();
                Achieved.Add(0);
                AchievesDirectOnly = false;
            }

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

        if (AchievesDirectOnly)
        {
            return Direct == full;
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
