using System.Text;

namespace PubSub.Routing.Patterns;

/// <summary>For one field path, the conjunctions that need its value to equal, start with, end with or
/// equal ignoring case some string, keyed by that string's hash. Looking an event's value up yields
/// the only conjunctions worth evaluating; each is still evaluated in full, so a hash collision
/// costs time, never a wrong answer.</summary>
internal sealed class PathIndex
{
    private readonly Dictionary<ulong, int[]> _exact;
    private readonly Dictionary<ulong, int[]> _prefix;
    private readonly int[] _prefixLengths;
    private readonly Dictionary<ulong, int[]> _suffix;
    private readonly int[] _suffixLengths;
    private readonly Dictionary<ulong, int[]> _ignoreCase;
    private readonly int[] _allIgnoreCase;

    public PathIndex(IEnumerable<(IndexKey Key, int Conjunction)> entries)
    {
        var list = entries.ToList();
        _exact = Group(list, IndexKind.Exact);
        _prefix = Group(list, IndexKind.Prefix);
        _suffix = Group(list, IndexKind.Suffix);
        _ignoreCase = Group(list, IndexKind.IgnoreCase);
        _prefixLengths = Lengths(list, IndexKind.Prefix);
        _suffixLengths = Lengths(list, IndexKind.Suffix);
        _allIgnoreCase = [.. list.Where(e => e.Key.Kind == IndexKind.IgnoreCase).Select(e => e.Conjunction).Distinct()];
    }

    /// <summary>Calls <paramref name="visit"/> with every conjunction whose key the value satisfies.</summary>
    public void Candidates<TVisitor>(ReadOnlySpan<byte> value, MatchState state, ref TVisitor visit)
        where TVisitor : struct, ICandidateVisitor, allows ref struct
    {
        if (_exact.Count > 0 && _exact.TryGetValue(Utf8Hash.Of(value), out var exact))
        {
            visit.Visit(exact);
        }

        foreach (var length in _prefixLengths)
        {
            if (length > value.Length)
            {
                break;
            }

            if (_prefix.TryGetValue(Utf8Hash.Of(value[..length]), out var prefixed))
            {
                visit.Visit(prefixed);
            }
        }

        foreach (var length in _suffixLengths)
        {
            if (length > value.Length)
            {
                break;
            }

            if (_suffix.TryGetValue(Utf8Hash.Of(value[^length..]), out var suffixed))
            {
                visit.Visit(suffixed);
            }
        }

        if (_ignoreCase.Count == 0)
        {
            return;
        }

        if (!Ascii.IsValid(value))
        {
            visit.Visit(_allIgnoreCase); // some non-ASCII letters fold onto ASCII ones: check them all
            return;
        }

        var lower = state.ReserveScratch(value.Length);
        Ascii.ToLower(value, lower, out _);
        if (_ignoreCase.TryGetValue(Utf8Hash.Of(lower), out var folded))
        {
            visit.Visit(folded);
        }
    }

    private static Dictionary<ulong, int[]> Group(List<(IndexKey Key, int Conjunction)> entries, IndexKind kind) =>
        entries.Where(e => e.Key.Kind == kind)
            .GroupBy(e => Utf8Hash.Of(e.Key.Utf8))
            .ToDictionary(g => g.Key, g => g.Select(e => e.Conjunction).Distinct().ToArray());

    private static int[] Lengths(List<(IndexKey Key, int Conjunction)> entries, IndexKind kind) =>
        [.. entries.Where(e => e.Key.Kind == kind).Select(e => e.Key.Utf8.Length).Distinct().Order()];
}

internal interface ICandidateVisitor
{
    void Visit(int[] conjunctions);
}
