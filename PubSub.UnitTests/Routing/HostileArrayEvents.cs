using System.Globalization;
using System.Text;

namespace PubSub.UnitTests.Routing;

/// <summary>Events built to make the same-array-element rule work hard: many objects in one array (or
/// in nested arrays), each satisfying all but one condition of a three-condition route.</summary>
internal static class HostileArrayEvents
{
    /// <summary>The route of issue 12: three conditions on fields of objects in one array.</summary>
    public const string FlatPattern = """{"data":{"a":{"x":[1],"y":[2],"z":[3]}}}""";

    /// <summary>The same three conditions spread over two levels of arrays.</summary>
    public const string NestedPattern = """{"data":{"a":{"x":[1],"b":{"y":[2],"z":[3]}}}}""";

    /// <summary>Three levels: each condition sits one array deeper than the last.</summary>
    public const string DeepPattern = """{"data":{"a":{"x":[1],"b":{"y":[2],"c":{"z":[3]}}}}}""";

    /// <summary><c>data.a</c> holds <paramref name="objects"/> objects; object i lacks condition i mod 3.</summary>
    public static string Flat(int objects)
    {
        var json = new StringBuilder("""{"specversion":"1.0","id":"1","source":"s","type":"t","data":{"a":[""");
        for (var i = 0; i < objects; i++)
        {
            json.Append(i > 0 ? "," : "").Append(Triple(i));
        }

        return json.Append("]}}").ToString();
    }

    /// <summary><c>data.a</c> holds <paramref name="outer"/> objects with <c>x</c> 1 and an array
    /// <c>b</c> of <paramref name="inner"/> objects that meet either <c>y</c> or <c>z</c>, never both.</summary>
    public static string Nested(int outer, int inner)
    {
        var json = new StringBuilder("""{"specversion":"1.0","id":"1","source":"s","type":"t","data":{"a":[""");
        for (var i = 0; i < outer; i++)
        {
            json.Append(i > 0 ? "," : "").Append("""{"x":1,"b":[""");
            for (var j = 0; j < inner; j++)
            {
                json.Append(j > 0 ? "," : "").Append(j % 2 == 0 ? """{"y":2,"z":0}""" : """{"y":0,"z":3}""");
            }

            json.Append("]}");
        }

        return json.Append("]}}").ToString();
    }

    /// <summary>Three levels of <paramref name="width"/> elements: every outer one meets x, the even middle
    /// ones meet y, and only the innermost objects under odd middle ones meet z.</summary>
    public static string Deep(int width)
    {
        var json = new StringBuilder("""{"specversion":"1.0","id":"1","source":"s","type":"t","data":{"a":[""");
        for (var i = 0; i < width; i++)
        {
            json.Append(i > 0 ? "," : "").Append("""{"x":1,"b":[""");
            for (var j = 0; j < width; j++)
            {
                json.Append(j > 0 ? "," : "").Append(CultureInfo.InvariantCulture, $$"""{"y":{{(j % 2 == 0 ? 2 : 0)}},"c":[""");
                for (var k = 0; k < width; k++)
                {
                    json.Append(k > 0 ? "," : "").Append(CultureInfo.InvariantCulture, $$"""{"z":{{(j % 2 == 0 ? k % 3 : 3)}}}""");
                }

                json.Append("]}");
            }

            json.Append("]}");
        }

        return json.Append("]}}").ToString();
    }

    private static string Triple(int i) => (i % 3) switch
    {
        0 => """{"x":0,"y":2,"z":3}""",
        1 => """{"x":1,"y":0,"z":3}""",
        _ => """{"x":1,"y":2,"z":0}""",
    };
}
