using System.Text.Json;

namespace PubSub.Json;

public enum JsonFaultKind : byte
{
    /// <summary>A string or member name that does not decode, or holds what messages cannot carry (see <see cref="JsonFault.Text"/>).</summary>
    Text,

    /// <summary>A member name that appears twice in one object.</summary>
    DuplicateMember,

    /// <summary>More array elements than allowed, counted over all arrays of the value.</summary>
    TooManyArrayElements,
}

/// <param name="Offset">Where the offending token starts in the buffer.</param>
public readonly record struct JsonFault(JsonFaultKind Kind, long Offset, TextFault Text = TextFault.None);

/// <summary>Checks one JSON value in a forward read, token by token: every string and member name
/// decodes to characters messages can carry, no object has two members of one name (parsers disagree
/// on which wins, so validation, routing and subscribers could each see a different value), and all
/// its arrays together hold at most a given number of elements (which bounds routing work). Allocates
/// only for escaped member names and for objects with many members.</summary>
public sealed class JsonValueChecker(ReadOnlyMemory<byte> buffer, int maxArrayElements)
{
    /// <summary>Objects with more members than this get a hash set; below it a linear search is cheaper.</summary>
    private const int LinearSearchLimit = 16;

    private static readonly ByteComparer Comparer = new();

    /// <summary>The member names of the objects open at this moment, outermost first.</summary>
    private readonly List<ReadOnlyMemory<byte>> _names = [];
    private readonly List<(int Start, HashSet<ReadOnlyMemory<byte>>? Set)> _objects = [];
    private int _arrayElements;

    /// <summary>Checks the value a copy of <paramref name="reader"/> is on; the caller's reader does not move.
    /// Elements are counted across calls, so one checker counts one event.</summary>
    public JsonFault? Check(Utf8JsonReader reader)
    {
        var startDepth = reader.CurrentDepth;
        UInt128 inArray = 0; // bit d: the container holding tokens at relative depth d is an array
        while (true)
        {
            var token = reader.TokenType;
            var depth = reader.CurrentDepth - startDepth;
            if (token is not (JsonTokenType.PropertyName or JsonTokenType.EndObject or JsonTokenType.EndArray)
                && depth > 0 && ((inArray >> depth) & 1) != 0 && ++_arrayElements > maxArrayElements)
            {
                return new JsonFault(JsonFaultKind.TooManyArrayElements, reader.TokenStartIndex);
            }

            switch (token)
            {
                case JsonTokenType.String:
                    if (JsonText.Check(reader.ValueSpan, reader.ValueIsEscaped) is var fault and not TextFault.None)
                    {
                        return new JsonFault(JsonFaultKind.Text, reader.TokenStartIndex, fault);
                    }

                    break;
                case JsonTokenType.PropertyName:
                    if (Name(ref reader) is { } nameFault)
                    {
                        return nameFault;
                    }

                    break;
                case JsonTokenType.StartObject:
                    inArray &= ~(UInt128.One << (depth + 1));
                    _objects.Add((_names.Count, null));
                    break;
                case JsonTokenType.StartArray:
                    inArray |= UInt128.One << (depth + 1);
                    break;
                case JsonTokenType.EndObject:
                    _names.RemoveRange(_objects[^1].Start, _names.Count - _objects[^1].Start);
                    _objects.RemoveAt(_objects.Count - 1);
                    break;
            }

            var finished = depth == 0 && token is not (JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.PropertyName);
            if (finished || !reader.Read())
            {
                return null;
            }
        }
    }

    private JsonFault? Name(ref Utf8JsonReader reader)
    {
        var escaped = reader.ValueIsEscaped;
        if (JsonText.Check(reader.ValueSpan, escaped) is var fault and not TextFault.None)
        {
            return new JsonFault(JsonFaultKind.Text, reader.TokenStartIndex, fault);
        }

        ReadOnlyMemory<byte> name;
        if (escaped)
        {
            var decoded = new byte[reader.ValueSpan.Length];
            name = decoded.AsMemory(0, reader.CopyString(decoded));
        }
        else
        {
            name = buffer.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
        }

        var (start, set) = _objects[^1];
        if (set is not null)
        {
            return set.Add(name) ? Keep(name) : Duplicate(ref reader);
        }

        var span = name.Span;
        for (var i = start; i < _names.Count; i++)
        {
            if (_names[i].Length == span.Length && _names[i].Span.SequenceEqual(span))
            {
                return Duplicate(ref reader);
            }
        }

        if (_names.Count - start >= LinearSearchLimit)
        {
            set = new HashSet<ReadOnlyMemory<byte>>(_names.Skip(start), Comparer) { name };
            _objects[^1] = (start, set);
        }

        return Keep(name);
    }

    private JsonFault? Keep(ReadOnlyMemory<byte> name)
    {
        _names.Add(name);
        return null;
    }

    private static JsonFault Duplicate(ref Utf8JsonReader reader) => new(JsonFaultKind.DuplicateMember, reader.TokenStartIndex);

    private sealed class ByteComparer : IEqualityComparer<ReadOnlyMemory<byte>>
    {
        public bool Equals(ReadOnlyMemory<byte> x, ReadOnlyMemory<byte> y) => x.Span.SequenceEqual(y.Span);

        public int GetHashCode(ReadOnlyMemory<byte> obj)
        {
            var hash = new HashCode(); // seeded per process: publishers cannot aim collisions
            hash.AddBytes(obj.Span);
            return hash.ToHashCode();
        }
    }
}
