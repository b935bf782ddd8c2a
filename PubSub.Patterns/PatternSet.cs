namespace PubSub.Routing.Patterns;

/// <summary>Patterns compiled together: one tree of the paths they test, so an event is read once for
/// all of them, and their conjunctions, each owned by one pattern (a route). Conjunctions that require
/// an exact string somewhere are indexed by it: an event only evaluates those whose string it holds,
/// plus the few without one, so the cost grows with the routes that could match, not with all routes.</summary>
internal sealed class PatternSet
{
    private readonly FieldPathTrie _trie = new();
    private readonly Conjunction[] _conjunctions;
    private readonly int[] _unindexed;
    private readonly int[] _indexedPaths;
    private readonly PathIndex?[] _indexByPath;

    /// <param name="index">False evaluates every conjunction for every event (to test the index against).</param>
    public PatternSet(IReadOnlyList<List<Conjunction>> patterns, bool index = true)
    {
        var all = new List<Conjunction>();
        for (var owner = 0; owner < patterns.Count; owner++)
        {
            foreach (var conjunction in patterns[owner])
            {
                conjunction.Owner = owner;
                foreach (var condition in conjunction.Conditions)
                {
                    condition.PathId = _trie.Intern(condition.Path);
                }

                all.Add(conjunction);
            }
        }

        _trie.Seal();
        _conjunctions = [.. all];
        PatternCount = patterns.Count;

        var unindexed = new List<int>();
        var entries = new Dictionary<int, List<(IndexKey Key, int Conjunction)>>();
        var options = _conjunctions.Select(c => index ? IndexOptionsOf(c) : []).ToArray();
        var shared = options.SelectMany(o => o).SelectMany(o => o.Keys.Select(k => (o.PathId, k.Kind, Utf8Hash.Of(k.Utf8))))
            .CountBy(k => k).ToDictionary(e => e.Key, e => e.Value);
        for (var i = 0; i < _conjunctions.Length; i++)
        {
            if (options[i].Count == 0)
            {
                unindexed.Add(i);
                continue;
            }

            // The most selective option: the one whose keys the fewest conjunctions share.
            var (pathId, keys) = options[i].MinBy(o => o.Keys.Sum(k => shared[(o.PathId, k.Kind, Utf8Hash.Of(k.Utf8))]));
            var list = entries.TryGetValue(pathId, out var existing) ? existing : entries[pathId] = [];
            list.AddRange(keys.Select(k => (k, i)));
        }

        _unindexed = [.. unindexed];
        _indexedPaths = [.. entries.Keys];
        _indexByPath = new PathIndex?[_trie.PathCount];
        foreach (var (path, list) in entries)
        {
            _indexByPath[path] = new PathIndex(list);
        }
    }

    /// <summary>The conditions a conjunction could be indexed by: those whose every alternative has a key.</summary>
    private static List<(int PathId, IndexKey[] Keys)> IndexOptionsOf(Conjunction conjunction)
    {
        var options = new List<(int, IndexKey[])>();
        foreach (var condition in conjunction.Conditions)
        {
            if (condition.AllowAbsent || condition.Alternatives.Length == 0)
            {
                continue;
            }

            var keys = condition.Alternatives.Select(a => a.Key).OfType<IndexKey>().ToArray();
            if (keys.Length == condition.Alternatives.Length)
            {
                options.Add((condition.PathId, keys));
            }
        }

        return options;
    }

    public int PatternCount { get; }

    /// <summary>Marks in <paramref name="matched"/> (one entry per pattern) the patterns that match the
    /// event; returns how many did.</summary>
    /// <exception cref="System.Text.Json.JsonException">The event is not valid JSON.</exception>
    /// <exception cref="RoutingBudgetExceededException">Matching needed more than <paramref name="stepBudget"/> steps.</exception>
    public int Match(ReadOnlySpan<byte> utf8Json, Span<bool> matched, long stepBudget = EventPatternSet.DefaultStepBudget)
    {
        var state = MatchState.Current;
        EventFieldReader.Read(utf8Json, _trie, state, stepBudget);
        var generation = state.BeginCandidates(_conjunctions.Length);
        matched.Clear();
        var count = 0;
        foreach (var candidate in _unindexed)
        {
            count += Try(candidate, state, matched);
        }

        var visitor = new Visitor(this, state, matched, generation);
        foreach (var path in _indexedPaths)
        {
            var index = _indexByPath[path]!;
            for (var leaf = state.PathHeads[path]; leaf >= 0; leaf = state.Leaves[leaf].Previous)
            {
                if (state.Leaves[leaf].Kind == LeafKind.String)
                {
                    index.Candidates(state.ValueOf(leaf).Utf8, state, ref visitor);
                }
            }
        }

        return count + visitor.Count;
    }

    /// <summary>Evaluates each candidate once per event (stamped with the event's generation).</summary>
    private ref struct Visitor(PatternSet set, MatchState state, Span<bool> matched, int generation) : ICandidateVisitor
    {
        private readonly Span<bool> _matched = matched;

        public int Count { get; private set; }

        public void Visit(int[] conjunctions)
        {
            foreach (var candidate in conjunctions)
            {
                if (state.CandidateStamps[candidate] != generation)
                {
                    state.CandidateStamps[candidate] = generation;
                    Count += set.Try(candidate, state, _matched);
                }
            }
        }
    }

    private int Try(int candidate, MatchState state, Span<bool> matched)
    {
        var conjunction = _conjunctions[candidate];
        if (matched[conjunction.Owner] || !Evaluate(conjunction, state))
        {
            return 0;
        }

        matched[conjunction.Owner] = true;
        return 1;
    }

    private static bool Evaluate(Conjunction conjunction, MatchState state)
    {
        if (!state.HasArrayElements)
        {
            foreach (var condition in conjunction.Conditions)
            {
                if (!AnyLeafMatches(condition, state))
                {
                    return false;
                }
            }

            return true;
        }

        // A condition met by a leaf outside any array element constrains nothing else; only the ones met
        // solely inside array elements must be met within one element of each array.
        var pending = 0;
        state.MatchedCount = 0;
        foreach (var condition in conjunction.Conditions)
        {
            var start = state.MatchedCount;
            switch (Where(condition, state))
            {
                case Met.Nowhere:
                    return false;
                case Met.InArrayElementsOnly:
                    state.AddPending(pending++, start, state.MatchedCount - start);
                    break;
                default:
                    state.MatchedCount = start;
                    break;
            }
        }

        if (pending <= 1)
        {
            return true;
        }

        if (pending <= ArrayElementGroups.MaxConditions)
        {
            return ArrayElementGroups.Satisfiable(pending, state);
        }

        state.ChosenCount = 0; // more conditions than a mask holds: search (bounded by the step budget)
        return Choose(conjunction.Conditions, 0, state);
    }

    private enum Met
    {
        Nowhere,
        InArrayElementsOnly,
        Freely,
    }

    /// <summary>Whether some leaf meets the condition, and whether one outside array elements does; the
    /// leaves that meet it are added to <see cref="MatchState.Matched"/> (in reverse document order).</summary>
    private static Met Where(FieldCondition condition, MatchState state)
    {
        var leaf = state.PathHeads[condition.PathId];
        if (leaf < 0)
        {
            return condition.AllowAbsent ? Met.Freely : Met.Nowhere;
        }

        var met = Met.Nowhere;
        var leaves = state.Leaves;
        for (; leaf >= 0; leaf = leaves[leaf].Previous)
        {
            state.Spend(1);
            ref readonly var read = ref leaves[leaf];
            if (condition.Matches(new LeafValue(read.Kind, state.Text.AsSpan(read.TextStart, read.TextLength), read.Number)))
            {
                if (read.TrailCount == 0)
                {
                    return Met.Freely;
                }

                state.AddMatched(leaf);
                met = Met.InArrayElementsOnly;
            }
        }

        return met;
    }

    private static bool AnyLeafMatches(FieldCondition condition, MatchState state)
    {
        var leaf = state.PathHeads[condition.PathId];
        if (leaf < 0)
        {
            return condition.AllowAbsent;
        }

        for (; leaf >= 0; leaf = state.Leaves[leaf].Previous)
        {
            state.Spend(1);
            if (condition.Matches(state.ValueOf(leaf)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Picks, condition by condition, a matching leaf consistent with the leaves picked so far
    /// (never from objects in different elements of one array), backtracking when a choice leads nowhere.</summary>
    private static bool Choose(FieldCondition[] conditions, int next, MatchState state)
    {
        if (next == conditions.Length)
        {
            return true;
        }

        var condition = conditions[next];
        var leaf = state.PathHeads[condition.PathId];
        if (leaf < 0)
        {
            return condition.AllowAbsent && Choose(conditions, next + 1, state);
        }

        for (; leaf >= 0; leaf = state.Leaves[leaf].Previous)
        {
            state.Spend(1 + state.ChosenCount);
            if (!condition.Matches(state.ValueOf(leaf)) || !ConsistentWithChosen(leaf, state))
            {
                continue;
            }

            state.PushChosen(leaf);
            if (Choose(conditions, next + 1, state))
            {
                return true;
            }

            state.ChosenCount--;
        }

        return false;
    }

    private static bool ConsistentWithChosen(int leaf, MatchState state)
    {
        for (var i = 0; i < state.ChosenCount; i++)
        {
            if (!state.AreConsistent(leaf, state.Chosen[i]))
            {
                return false;
            }
        }

        return true;
    }
}
