using System.Runtime.CompilerServices;
using System.Text.Json;

namespace PubSub.Routing.Patterns;

/// <summary>Reads the leaf values on the patterns' paths out of a UTF-8 JSON event in one forward pass,
/// skipping every member no pattern names, and stopping as soon as no named path can occur again
/// (for a route on <c>type</c>, the <c>data</c> that follows is never read). Arrays are crushed as in
/// EventBridge: an object in an array stands for each of its elements. An object or array no path enters is
/// skipped by its brackets (<see cref="JsonContainerEnd"/>), not read token by token.</summary>
internal static class EventFieldReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 256 };

    /// <exception cref="JsonException">The event is not valid JSON (as far as it was read).</exception>
    /// <exception cref="RoutingBudgetExceededException">The event holds more leaves than its budget.</exception>
    public static void Read(ReadOnlySpan<byte> json, FieldPathTrie trie, MatchState state, long stepBudget)
    {
        state.Begin(trie.PathCount, stepBudget);
        var reader = new Utf8JsonReader(json, Options);
        if (reader.Read())
        {
            ReadValue(ref reader, json, trie.Root, state, directInArray: false);
        }
    }

    /// <summary>Reads the value at the reader's position for <paramref name="node"/>; true when
    /// reading can stop altogether.</summary>
    private static bool ReadValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, FieldPathNode node, MatchState state, bool directInArray)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                if (node.IsLeaf)
                {
                    SkipContainer(ref reader, json, state);
                    break;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var child = FindChild(ref reader, node, state);
                    reader.Read();
                    if (child is null)
                    {
                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        {
                            SkipContainer(ref reader, json, state);
                        }
                    }
                    else if (child.IsLeaf && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
                    {
                        // A leaf member (most of what an event holds), read here rather than through a call.
                        AddScalar(ref reader, child.PathId, state, directInArray: false);
                        if (state.OpenArrayCount == 0 && state.Complete(child))
                        {
                            return true;
                        }
                    }
                    else if (ReadValue(ref reader, json, child, state, directInArray: false))
                    {
                        return true;
                    }
                }

                break;
            case JsonTokenType.StartArray:
                state.OpenArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    ReadValue(ref reader, json, node, state, directInArray: true);
                    state.NextElement();
                }

                state.CloseArray();
                break;
            default:
                if (node.PathId >= 0)
                {
                    AddScalar(ref reader, node.PathId, state, directInArray);
                }

                break;
        }

        return state.Complete(node);
    }

    /// <summary>Moves the reader from an opening bracket to its closing one. The reader is made anew over the text
    /// from the closing bracket on, with its state (depth, what is open), so that it still checks that bracket;
    /// <see cref="MatchState.ReaderOffset"/> keeps where its text starts in the event.</summary>
    private static void SkipContainer(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, MatchState state)
    {
        var after = state.ReaderOffset + (int)reader.BytesConsumed;
        var close = JsonContainerEnd.Find(json[after..]);
        if (close < 0)
        {
            reader.Skip(); // never closed: the reader reports the JSON's end as it would have
            return;
        }

        state.ReaderOffset = after + close;
        reader = new Utf8JsonReader(json[state.ReaderOffset..], isFinalBlock: true, reader.CurrentState);
        reader.Read();
    }

    /// <summary>Adds the string, number, true, false or null at the reader's position as a leaf of the path.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddScalar(ref Utf8JsonReader reader, int pathId, MatchState state, bool directInArray)
    {
        double number = 0;
        LeafKind kind;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                AddString(ref reader, pathId, state, directInArray);
                return;
            case JsonTokenType.Number:
                kind = LeafKind.Number;
                if (!TryReadSmallInteger(reader.ValueSpan, out number) && !reader.TryGetDouble(out number))
                {
                    number = double.NaN;
                }

                break;
            case JsonTokenType.True:
                kind = LeafKind.True;
                break;
            case JsonTokenType.False:
                kind = LeafKind.False;
                break;
            case JsonTokenType.Null:
                kind = LeafKind.Null;
                break;
            default:
                return;
        }

        state.AddLeaf(pathId, kind, 0, 0, number, directInArray);
    }

    /// <summary>A plain integer of at most 15 digits (exact as a double), read without the general
    /// floating-point parser, which costs more than the rest of reading a small number; false for anything
    /// else (fractions, exponents, longer numbers, and -0, whose sign the general parser keeps).</summary>
    private static bool TryReadSmallInteger(ReadOnlySpan<byte> raw, out double number)
    {
        // One digit, the commonest case in hostile and ordinary events alike, without the loop.
        if (raw.Length == 1 && (uint)(raw[0] - '0') <= 9)
        {
            number = raw[0] - '0';
            return true;
        }

        number = 0;
        var negative = raw.Length > 0 && raw[0] == (byte)'-';
        var digits = negative ? raw[1..] : raw;
        if (digits.Length is 0 or > 15)
        {
            return false;
        }

        long value = 0;
        foreach (var b in digits)
        {
            var digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            value = value * 10 + digit;
        }

        if (negative && value == 0)
        {
            return false;
        }

        number = negative ? -value : value;
        return true;
    }

    private static void AddString(ref Utf8JsonReader reader, int pathId, MatchState state, bool directInArray)
    {
        var raw = reader.ValueSpan;
        var destination = state.ReserveText(raw.Length);
        int length;
        if (reader.ValueIsEscaped)
        {
            length = CopyUnescaped(ref reader, destination);
        }
        else
        {
            raw.CopyTo(destination);
            length = raw.Length;
        }

        var start = state.TextLength;
        state.TextLength += length;
        state.AddLeaf(pathId, LeafKind.String, start, length, 0, directInArray);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static FieldPathNode? FindChild(ref Utf8JsonReader reader, FieldPathNode node, MatchState state) =>
        reader.ValueIsEscaped ? FindEscapedChild(ref reader, node, state) : node.Find(reader.ValueSpan);

    private static FieldPathNode? FindEscapedChild(ref Utf8JsonReader reader, FieldPathNode node, MatchState state)
    {
        if (state.NameBuffer.Length < reader.ValueSpan.Length)
        {
            state.NameBuffer = new byte[reader.ValueSpan.Length];
        }

        var length = CopyUnescaped(ref reader, state.NameBuffer);
        return node.Find(state.NameBuffer.AsSpan(0, length));
    }

    /// <summary>An escaped lone surrogate (<c>"\ud800"</c>) is well-formed JSON to the reader, which then throws
    /// <see cref="InvalidOperationException"/> when it unescapes it: an event the reader cannot read.</summary>
    private static int CopyUnescaped(ref Utf8JsonReader reader, Span<byte> destination)
    {
        try
        {
            return reader.CopyString(destination);
        }
        catch (InvalidOperationException e)
        {
            throw new JsonException("A string holds an escape that is not valid UTF-16 (a lone surrogate).", e);
        }
    }
}
