using System.Text;

namespace PubSub.Routing.Patterns;

/// <summary>The field paths that some pattern tests, as a tree of member names. Reading an event
/// descends only into members on a path and skips the rest.</summary>
internal sealed class FieldPathTrie
{
    public FieldPathNode Root { get; } = new([], null);

    public int PathCount { get; private set; }

    /// <summary>Every node, in no particular order (set by <see cref="Seal"/>).</summary>
    public int NodeCount { get; private set; }

    /// <summary>The id of a path, added if new.</summary>
    public int Intern(string[] path)
    {
        var node = Root;
        foreach (var name in path)
        {
            node = node.GetOrAddChild(name);
        }

        if (node.PathId < 0)
        {
            node.PathId = PathCount++;
        }

        return node.PathId;
    }

    /// <summary>Gives every node the list of paths that end at it or below it: once such a node's value
    /// has been read outside any array, none of those paths can occur again in the event.</summary>
    public void Seal() => Collect(Root);

    private int[] Collect(FieldPathNode node)
    {
        NodeCount++;
        var below = new List<int>();
        if (node.PathId >= 0)
        {
            below.Add(node.PathId);
        }

        foreach (var child in node.Children)
        {
            below.AddRange(Collect(child));
        }

        node.PathsAtOrBelow = [.. below];
        return node.PathsAtOrBelow;
    }
}

internal sealed class FieldPathNode(byte[] name, FieldPathNode? parent)
{
    private Dictionary<ulong, FieldPathNode[]>? _byHash;

    public byte[] Name { get; } = name;

    public FieldPathNode? Parent { get; } = parent;

    public List<FieldPathNode> Children { get; } = [];

    /// <summary>True when no longer path passes through (then <see cref="PathId"/> is set).</summary>
    public bool IsLeaf => _childArray.Length == 0;

    // The children again as an array, which the per-member lookup scans faster than the list.
    private FieldPathNode[] _childArray = [];

    /// <summary>The id of the path ending here, or -1 when only longer paths pass through.</summary>
    public int PathId { get; set; } = -1;

    /// <summary>The ids of the paths that end here or further down.</summary>
    public int[] PathsAtOrBelow { get; set; } = [];

    public FieldPathNode GetOrAddChild(string name)
    {
        var utf8 = Encoding.UTF8.GetBytes(name);
        if (Find(utf8) is { } existing)
        {
            return existing;
        }

        var child = new FieldPathNode(utf8, this);
        Children.Add(child);
        _childArray = [.. Children];
        _byHash = Children.Count > 8
            ? Children.GroupBy(c => Hash(c.Name)).ToDictionary(g => g.Key, g => g.ToArray())
            : null;
        return child;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public FieldPathNode? Find(ReadOnlySpan<byte> name)
    {
        if (_byHash is not null)
        {
            return FindByHash(name);
        }

        foreach (var child in _childArray)
        {
            // Length and first byte first: most members an event holds are not on any path, and most
            // names on a path are told apart by them (a one-byte name is then found).
            var candidate = child.Name;
            if (candidate.Length == name.Length && (name.Length == 0 || (candidate[0] == name[0] && (name.Length == 1 || name.SequenceEqual(candidate)))))
            {
                return child;
            }
        }

        return null;
    }

    private FieldPathNode? FindByHash(ReadOnlySpan<byte> name)
    {
        if (_byHash!.TryGetValue(Hash(name), out var candidates))
        {
            foreach (var candidate in candidates)
            {
                if (name.SequenceEqual(candidate.Name))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static ulong Hash(ReadOnlySpan<byte> name) => Utf8Hash.Of(name);
}

/// <summary>FNV-1a over UTF-8 bytes: member names and indexed values are short, so it is fast enough
/// and allocation-free. Collisions only cost a comparison: every hit is verified.</summary>
internal static class Utf8Hash
{
    public static ulong Of(ReadOnlySpan<byte> text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in text)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
