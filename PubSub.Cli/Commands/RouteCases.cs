using System.Text;
using System.Text.Json;

namespace PubSub.Cli.Commands;

/// <summary>What a case expects, or what running it gave: the pattern matches, does not, or is refused; or
/// (only as a result) the event could not be routed at all.</summary>
internal enum CaseVerdict
{
    NoMatch,
    Match,
    Invalid,

    /// <summary>The event is beyond the routing budget or unreadable to the router: what the stream publisher
    /// dead-letters as unroutable. Never expected; the case fails with the reason and the run goes on.</summary>
    Error,
}

/// <summary>One line of a <c>routes test --cases</c> file: a pattern (its JSON text) or a route's name,
/// an event (UTF-8 JSON) and the expected verdict.</summary>
internal sealed record RouteCase(int Line, string? Pattern, string? Route, byte[] Event, CaseVerdict Expected);

/// <summary>Reads a cases file: one JSON object a line, <c>{"pattern": P | "route": NAME, "event": E,
/// "expect": true|false|"invalid"}</c>; blank lines are skipped. A line that is not such an object is a
/// usage error naming the line.</summary>
internal static class RouteCaseFile
{
    public static async Task<List<RouteCase>> ReadAsync(FileInfo file, CancellationToken ct)
    {
        var text = await InputFiles.ReadTextAsync(file, ct);
        var cases = new List<RouteCase>();
        var number = 0;
        // Only line feeds end a line: JSON allows a raw U+2028 or U+2029 inside a string, which EnumerateLines splits on.
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.AsSpan().TrimEnd('\r');
            number++;
            if (!line.IsWhiteSpace())
            {
                cases.Add(Parse(line.ToString(), number, file.Name));
            }
        }

        return cases;
    }

    private static RouteCase Parse(string line, int number, string fileName)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("is not a JSON object");
            }

            var pattern = root.TryGetProperty("pattern", out var p) ? p : default;
            var route = root.TryGetProperty("route", out var r) ? r : default;
            if ((pattern.ValueKind == JsonValueKind.Undefined) == (route.ValueKind == JsonValueKind.Undefined))
            {
                throw Malformed("needs either \"pattern\" or \"route\"");
            }

            if (route.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.String))
            {
                throw Malformed("has a \"route\" that is not a string (the route's name)");
            }

            if (!root.TryGetProperty("event", out var e))
            {
                throw Malformed("has no \"event\"");
            }

            var expected = root.TryGetProperty("expect", out var x) ? x.ValueKind switch
            {
                JsonValueKind.True => CaseVerdict.Match,
                JsonValueKind.False => CaseVerdict.NoMatch,
                JsonValueKind.String when x.ValueEquals("invalid") => CaseVerdict.Invalid,
                _ => throw Malformed("has an \"expect\" that is not true, false or \"invalid\""),
            } : throw Malformed("has no \"expect\"");

            return new RouteCase(number,
                pattern.ValueKind == JsonValueKind.Undefined ? null : pattern.GetRawText(),
                route.ValueKind == JsonValueKind.String ? route.GetString() : null,
                Encoding.UTF8.GetBytes(e.GetRawText()),
                expected);
        }
        catch (JsonException error)
        {
            throw Malformed($"is not JSON: {error.Message}");
        }

        CliException Malformed(string problem) => new($"{fileName} line {number} {problem}.", ExitCodes.Usage);
    }
}
