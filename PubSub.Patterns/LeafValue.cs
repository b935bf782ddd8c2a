namespace PubSub.Routing.Patterns;

/// <summary>The JSON type of a leaf value in an event.</summary>
internal enum LeafKind : byte
{
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>One leaf value of an event as a matcher sees it: strings as unescaped UTF-8, numbers as
/// doubles (NaN when the text does not fit one).</summary>
internal readonly ref struct LeafValue(LeafKind kind, ReadOnlySpan<byte> utf8, double number)
{
    public LeafKind Kind { get; } = kind;

    /// <summary>The unescaped UTF-8 text of a string value; empty for other kinds.</summary>
    public ReadOnlySpan<byte> Utf8 { get; } = utf8;

    public double Number { get; } = number;

    public bool IsString => Kind == LeafKind.String;
}
