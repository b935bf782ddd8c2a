using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PubSub.Routing.Patterns;

/// <summary>Finds where a JSON object or array ends without tokenizing what it holds: the reader skips the members
/// no pattern names this way (GeoJSON coordinates, a large <c>data</c>), which costs a fraction of reading them
/// token by token. Strings and their escapes are honoured, so a bracket inside a string never counts; the
/// contents are not validated (the events routed were validated when they were ingested).</summary>
internal static class JsonContainerEnd
{
    /// <summary>The offset in <paramref name="rest"/> (the text just after an opening bracket) of the bracket that
    /// closes it, or -1 when the text ends first. The closing bracket's kind is not checked here: the reader does.</summary>
    public static int Find(ReadOnlySpan<byte> rest)
    {
        var depth = 1;
        var inString = false;
        var escaped = false;
        var i = 0;
        ref var start = ref MemoryMarshal.GetReference(rest);
        while (i < rest.Length)
        {
            if (!escaped && Vector128.IsHardwareAccelerated && i + Vector128<byte>.Count <= rest.Length)
            {
                var chunk = Vector128.LoadUnsafe(ref start, (nuint)i);
                if (Vector128.EqualsAny(chunk, Vector128.Create((byte)'\\')))
                {
                    var end = ScanBytes(rest, i, i + Vector128<byte>.Count, ref depth, ref inString, ref escaped);
                    if (end >= 0)
                    {
                        return end;
                    }

                    i += Vector128<byte>.Count;
                    continue;
                }

                // Bit k set when byte k is inside a string (its opening quote included, its closing one not).
                var quotes = Bits(chunk, '"');
                var strings = PrefixXor(quotes) ^ (inString ? 0xFFFFu : 0u);
                var opens = (Bits(chunk, '[') | Bits(chunk, '{')) & ~strings;
                var closes = (Bits(chunk, ']') | Bits(chunk, '}')) & ~strings;
                inString = (strings & 0x8000u) != 0;
                if (BitOperations.PopCount(closes) >= depth)
                {
                    // This chunk may close the container: follow the brackets in order.
                    for (var brackets = opens | closes; brackets != 0; brackets &= brackets - 1)
                    {
                        var position = BitOperations.TrailingZeroCount(brackets);
                        depth += (opens >> position & 1) != 0 ? 1 : -1;
                        if (depth == 0)
                        {
                            return i + position;
                        }
                    }
                }
                else
                {
                    depth += BitOperations.PopCount(opens) - BitOperations.PopCount(closes);
                }

                i += Vector128<byte>.Count;
                continue;
            }

            var stop = Math.Min(rest.Length, i + Vector128<byte>.Count);
            var found = ScanBytes(rest, i, stop, ref depth, ref inString, ref escaped);
            if (found >= 0)
            {
                return found;
            }

            i = stop;
        }

        return -1;
    }

    private static uint Bits(Vector128<byte> chunk, char c) =>
        Vector128.Equals(chunk, Vector128.Create((byte)c)).ExtractMostSignificantBits();

    /// <summary>Bit k of the result is the parity of bits 0..k: set between an opening and a closing quote.</summary>
    private static uint PrefixXor(uint bits)
    {
        bits ^= bits << 1;
        bits ^= bits << 2;
        bits ^= bits << 4;
        bits ^= bits << 8;
        return bits & 0xFFFFu;
    }

    /// <summary>Byte by byte over <c>[from, to)</c>, for text with escapes and the tail; the offset of the closing
    /// bracket, or -1.</summary>
    private static int ScanBytes(ReadOnlySpan<byte> rest, int from, int to, ref int depth, ref bool inString, ref bool escaped)
    {
        for (var i = from; i < to; i++)
        {
            var b = rest[i];
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (b == '\\')
                {
                    escaped = true;
                }
                else if (b == '"')
                {
                    inString = false;
                }
            }
            else if (b == '"')
            {
                inString = true;
            }
            else if (b is (byte)'[' or (byte)'{')
            {
                depth++;
            }
            else if (b is (byte)']' or (byte)'}' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }
}
