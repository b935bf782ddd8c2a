using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using PubSub.Routing;

namespace PubSub.Benchmarks.Core;

/// <summary>The costliest events within the ingestion limits (256 KiB, 4,096 array elements in all,
/// depth 64): one that makes the 500 mixed routes of <see cref="RoutingBenchmarks"/> test every value
/// it can, and ones that make a three-condition same-array-element route group thousands of objects
/// of which none meets all three conditions. One operation is one event routed.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class WorstCaseRoutingBenchmarks
{
    private const int MaxEventBytes = 256 * 1024;
    private const int MaxArrayElements = 4096;

    private byte[] _mixedEvent = [];
    private byte[] _flatEvent = [];
    private byte[] _nestedEvent = [];
    private byte[] _deepEvent = [];
    private EventRouter _mixed500 = null!;
    private EventRouter _flat = null!;
    private EventRouter _nested = null!;
    private EventRouter _deep = null!;

    [GlobalSetup]
    public void Setup()
    {
        var patterns = RouteMix.Patterns(500).ToArray();
        _mixed500 = RouteMix.Router(patterns);
        _mixedEvent = Checked(MixedRoutesEvent(MostCommon(patterns, "publisher"), MostCommon(patterns, "source"), MostCommon(patterns, "type")));
        _flat = RouteMix.Router("""{"data":{"a":{"x":[1],"y":[2],"z":[3]}}}""");
        _flatEvent = Checked(Padded(Triples(MaxArrayElements)));
        _nested = RouteMix.Router("""{"data":{"a":{"x":[1],"b":{"y":[2],"z":[3]}}}}""");
        _nestedEvent = Checked(Padded(Nested(63, 63)));
        _deep = RouteMix.Router("""{"data":{"a":{"x":[1],"b":{"y":[2],"c":{"z":[3]}}}}}""");
        _deepEvent = Checked(Padded(Deep(15)));
        Console.WriteLine($"// 500 mixed routes: {_mixed500.Route(_mixedEvent).MatchedRoutes.Count} match the worst-case event");
        foreach (var (router, bytes) in new[] { (_flat, _flatEvent), (_nested, _nestedEvent), (_deep, _deepEvent) })
        {
            if (!router.Route(bytes).Unrouted)
            {
                throw new InvalidOperationException("No object of the same-element events may meet all three conditions.");
            }
        }
    }

    /// <summary>The floor: only tokenizing the 4,096-object event, which any routing must do.</summary>
    [Benchmark(Description = "Utf8JsonReader alone, 4,096-object event")]
    public int Tokens()
    {
        var reader = new Utf8JsonReader(_flatEvent);
        var n = 0;
        while (reader.Read())
        {
            n++;
        }

        return n;
    }

    [Benchmark(Description = "500 routes, worst-case 256 KiB event")]
    public RoutingDecision Mixed500() => _mixed500.Route(_mixedEvent);

    [Benchmark(Description = "3-condition same-element route, 4,096 objects")]
    public RoutingDecision Flat() => _flat.Route(_flatEvent);

    [Benchmark(Description = "3 conditions over 2 array levels, 63 x 63")]
    public RoutingDecision Nested() => _nested.Route(_nestedEvent);

    [Benchmark(Description = "3 conditions over 3 array levels, 15 x 15 x 15")]
    public RoutingDecision Deep() => _deep.Route(_deepEvent);

    /// <summary>The value of <paramref name="attribute"/> that the most routes name exactly, so that the most
    /// routes are candidates.</summary>
    private static string MostCommon(IEnumerable<string> patterns, string attribute) =>
        patterns.SelectMany(p => Regex.Matches(p, $"\"{attribute}\": \\[ \"([^\"]+)\"").Select(m => m.Groups[1].Value))
            .CountBy(t => t).MaxBy(e => e.Value).Key;

    /// <summary>Every field the 500 routes test inside <c>data</c> as an array of values none of them
    /// accepts (so each candidate route tests them all), and long notes that reading must skip.</summary>
    private static string MixedRoutesEvent(string publisher, string source, string type)
    {
        string[] arrays =
        [
            "\"total\":[-1.5", "\"orderId\":[-1", "\"currency\":[\"USD\"", "\"ip\":[\"172.16.17.23\"", "\"express\":[false",
            "\"tags\":[\"none\"", "\"version\":[\"1.0.0\"", "\"channel\":[\"fax\"",
            "\"customer\":[{\"tier\":\"bronze\",\"country\":\"US\"}", "\"items\":[{\"sku\":\"SKU-0\",\"qty\":1}",
            "\"shipping\":[{\"address\":{\"country\":\"BR\"}}",
        ];
        var perField = 4080 / arrays.Length;
        var data = new StringBuilder("{");
        foreach (var array in arrays)
        {
            var open = array.IndexOf('[', StringComparison.Ordinal);
            data.Append(array[..(open + 1)]).AppendJoin(',', Enumerable.Repeat(array[(open + 1)..], perField)).Append("],");
        }

        data.Append("\"coupon\":\"X\"");
        return Padded(data.Append('}').ToString(), type, source, "orders/17", publisher);
    }

    /// <summary>Object i lacks condition i mod 3.</summary>
    private static string Triples(int count) => "{\"a\":[" + string.Join(",", Enumerable.Range(0, count).Select(i => (i % 3) switch
    {
        0 => """{"x":0,"y":2,"z":3}""",
        1 => """{"x":1,"y":0,"z":3}""",
        _ => """{"x":1,"y":2,"z":0}""",
    })) + "]}";

    /// <summary>Every outer object meets x; the inner ones meet y or z, never both.</summary>
    private static string Nested(int outer, int inner) => "{\"a\":[" + string.Join(",", Enumerable.Range(0, outer).Select(_ =>
        "{\"x\":1,\"b\":[" + string.Join(",", Enumerable.Range(0, inner).Select(j =>
            j % 2 == 0 ? """{"y":2,"z":0}""" : """{"y":0,"z":3}""")) + "]}")) + "]}";

    /// <summary>Every outer object meets x, the even middle ones y, and only the innermost objects under
    /// odd middle ones z.</summary>
    private static string Deep(int width) => "{\"a\":[" + string.Join(",", Enumerable.Range(0, width).Select(_ =>
        "{\"x\":1,\"b\":[" + string.Join(",", Enumerable.Range(0, width).Select(j =>
            $"{{\"y\":{(j % 2 == 0 ? 2 : 0)},\"c\":[" + string.Join(",", Enumerable.Range(0, width).Select(k =>
                $"{{\"z\":{(j % 2 == 0 ? k % 3 : 3)}}}")) + "]}")) + "]}")) + "]}";

    /// <summary>A CloudEvent around <paramref name="data"/>, filled up to 256 KiB with notes (strings of
    /// at most 64 KiB) after the tested members, which reading must still get through.</summary>
    private static string Padded(string data, string type = "t", string source = "s", string subject = "x", string publisher = "demo")
    {
        var head = $$"""{"specversion":"1.0","id":"1","source":"{{source}}","type":"{{type}}","subject":"{{subject}}","publisher":"{{publisher}}","data":""";
        var notes = new StringBuilder();
        var room = MaxEventBytes - 64 - head.Length - data.Length;
        for (var i = 0; room > 16; i++)
        {
            var length = Math.Min(60_000, room - 16);
            notes.Append(CultureInfo.InvariantCulture, $",\"notes{i}\":\"").Append('n', length).Append('"');
            room -= length + 16;
        }

        return head + data[..^1] + notes + "}}";
    }

    private static byte[] Checked(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var elements = CountArrayElements(bytes);
        if (bytes.Length > MaxEventBytes || elements > MaxArrayElements)
        {
            throw new InvalidOperationException($"The event ({bytes.Length} bytes, {elements} array elements) is outside the ingestion limits.");
        }

        return bytes;
    }

    private static int CountArrayElements(byte[] json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        var arrays = new Stack<bool>();
        var count = 0;
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.EndArray or JsonTokenType.EndObject)
            {
                arrays.Pop();
                continue;
            }

            if (reader.TokenType != JsonTokenType.PropertyName && arrays.TryPeek(out var inArray) && inArray)
            {
                count++;
            }

            if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
            {
                arrays.Push(reader.TokenType == JsonTokenType.StartArray);
            }
        }

        return count;
    }
}
