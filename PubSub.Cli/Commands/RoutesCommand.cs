using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using PubSub.Definition;
using PubSub.Routing;

namespace PubSub.Cli.Commands;

/// <summary><c>pubsub routes test|check</c>: try patterns and routes on events before deploying them.</summary>
internal static class RoutesCommand
{
    public static Command Create() => new("routes", "Test event patterns and the definition's routes against events.")
    {
        CreateTest(),
        CreateCheck(),
    };

    private static Command CreateTest()
    {
        var pattern = new Option<FileInfo?>("--pattern", "-p") { Description = "A file holding one EventBridge event pattern." };
        var definition = CommonOptions.Definition();
        var eventFile = new Option<FileInfo?>("--event", "-e")
        {
            Description = "A JSON file: the event (for routes, the structured CloudEvent as subscribers receive it).",
        };
        var cases = new Option<FileInfo?>("--cases")
        {
            Description = "A file of test cases, one JSON object a line: {\"pattern\": P | \"route\": NAME, \"event\": E, \"expect\": true|false|\"invalid\"}.",
        };
        var json = CommonOptions.Json();
        var explain = new Option<bool>("--explain")
        {
            Description = "Explain each verdict: per field condition, the event's values there and whether it held; the first that failed; which $or branch matched (for --cases: the failed cases).",
        };
        var command = new Command("test",
            "Match an event against one pattern (--pattern) or against the definition's routes (--definition, or pubsub.json found from here), " +
            "or run a file of cases (--cases). Exit 0 on a match (for --cases: every case passed), 1 on none (a case failed), " +
            "2 when the pattern, definition, event or cases file is invalid.")
        {
            pattern, definition, eventFile, cases, json, explain,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => TestAsync(
            parse.GetValue(pattern), parse.GetValue(definition), parse.GetValue(eventFile), parse.GetValue(cases),
            new TestOutput(parse.GetValue(json), parse.GetValue(explain)), ct), cancellationToken));
        return command;
    }

    /// <param name="Json">Print JSON.</param>
    /// <param name="Explain">Add the explanation of each verdict.</param>
    private sealed record TestOutput(bool Json, bool Explain);

    private static async Task<int> TestAsync(FileInfo? patternFile, FileInfo? definition, FileInfo? eventFile, FileInfo? casesFile,
        TestOutput output, CancellationToken ct)
    {
        if (casesFile is not null)
        {
            if (patternFile is not null || eventFile is not null)
            {
                throw new CliException("--cases takes patterns and events from the file; drop --pattern and --event.", ExitCodes.Usage);
            }

            return await TestCasesAsync(casesFile, definition, output, ct);
        }

        var document = await ReadEventAsync(eventFile ?? throw new CliException("Give --event FILE (or --cases FILE).", ExitCodes.Usage), ct);
        if (patternFile is not null)
        {
            if (definition is not null)
            {
                throw new CliException("Give either --pattern or --definition, not both.", ExitCodes.Usage);
            }

            return TestPattern(await ReadPatternAsync(patternFile, ct), document, output);
        }

        return TestRoutes(CommonOptions.LoadDefinition(definition), document, output);
    }

    /// <summary>Runs every case, then prints the failures (or, with --json, the whole tally).</summary>
    private static async Task<int> TestCasesAsync(FileInfo casesFile, FileInfo? definition, TestOutput output, CancellationToken ct)
    {
        var cases = await RouteCaseFile.ReadAsync(casesFile, ct);
        var runner = new RouteCaseRunner(() => CommonOptions.LoadDefinition(definition));
        var failures = cases.Select(runner.Run).Where(o => !o.Passed).ToList();
        if (output.Json)
        {
            var report = new CasesReport(cases.Count, cases.Count - failures.Count, [.. failures.Select(f =>
            {
                var (explanation, problem) = output.Explain ? runner.Explain(f) : (null, null);
                return new CaseFailure(f.Case.Line, VerdictJson(f.Case.Expected), VerdictJson(f.Actual), f.Reason ?? problem, explanation);
            })]);
            Console.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.CasesReport));
        }
        else
        {
            foreach (var failure in failures)
            {
                var (explanation, problem) = output.Explain ? runner.Explain(failure) : (null, null);
                var reason = (failure.Reason ?? problem) is { } why ? $" ({why})" : "";
                Console.WriteLine($"line {failure.Case.Line}: expected {VerdictText(failure.Case.Expected)}, got {VerdictText(failure.Actual)}{reason}");
                if (explanation is not null)
                {
                    ExplanationText.Write(failure.Case.Route is { } route ? $"  route {route}" : "  pattern", explanation.Matched, explanation, null);
                }
            }

            Console.WriteLine($"{cases.Count} cases: {cases.Count - failures.Count} passed, {failures.Count} failed.");
        }

        return failures.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static string VerdictText(CaseVerdict verdict) => verdict switch
    {
        CaseVerdict.Match => "true",
        CaseVerdict.NoMatch => "false",
        CaseVerdict.Invalid => "invalid",
        _ => "error",
    };

    private static JsonValue VerdictJson(CaseVerdict verdict) => verdict switch
    {
        CaseVerdict.Match or CaseVerdict.NoMatch => JsonValue.Create(verdict == CaseVerdict.Match),
        _ => JsonValue.Create(VerdictText(verdict)),
    };

    private static Command CreateCheck()
    {
        var file = new Argument<FileInfo?>("FILE")
        {
            Description = $"The system definition (default: {SystemDefinitionLoader.DefaultFileName} here or in a parent).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("check",
            "Validate a system definition: its topics, routes and patterns, under EventBridge's rules. Exit 0 when valid, 1 when not, 2 when it cannot be read.")
        {
            file,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(_ => Task.FromResult(Check(parse.GetValue(file))), cancellationToken));
        return command;
    }

    private static int Check(FileInfo? given)
    {
        if (given is not null && !given.Exists)
        {
            throw new CliException($"{given.FullName} does not exist.", ExitCodes.Usage);
        }

        SystemDefinition system;
        try
        {
            system = CommonOptions.LoadDefinition(given);
        }
        catch (SystemDefinitionException e)
        {
            Console.Error.WriteLine($"pubsub: {e.Message}");
            return ExitCodes.Failure;
        }

        Console.WriteLine($"{system.Name}: valid ({system.Routes.Count} routes, {system.Topics.Count} topics, {system.Publishers.Count} publishers).");
        return ExitCodes.Success;
    }

    private static int TestPattern((EventPattern Compiled, JsonElement Source) pattern, byte[] document, TestOutput output)
    {
        var matched = Readable(() => pattern.Compiled.Matches(document));
        var (explanation, problem) = output.Explain ? Explain(pattern.Source, document) : (null, null);
        if (output.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new PatternTestReport(matched, explanation, problem), CliJsonContext.Default.PatternTestReport));
        }
        else if (output.Explain)
        {
            ExplanationText.Write("pattern", matched, explanation, problem);
        }
        else
        {
            Console.WriteLine(matched ? "The event matches the pattern." : "The event does not match the pattern.");
        }

        return matched ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The explanation, from the separate (slower) evaluator, never the router; or why there is none (the
    /// explainer's search over the event's arrays has a bound the router's budget does not share). One route or case
    /// that cannot be explained does not stop the others.</summary>
    public static (PatternExplanation? Explanation, string? Problem) Explain(JsonElement pattern, byte[] document)
    {
        try
        {
            return (EventPattern.Explain(pattern, document), null);
        }
        catch (Exception e) when (e is EventPatternException or JsonException)
        {
            return (null, $"not explained: {e.Message}");
        }
    }

    /// <summary>JSON the router cannot read (an escaped lone surrogate, which ingestion refuses) and an event beyond
    /// the routing budget (which the stream publisher dead-letters as unroutable) are the input's fault, not a verdict.</summary>
    private static T Readable<T>(Func<T> route)
    {
        try
        {
            return route();
        }
        catch (JsonException e)
        {
            throw new CliException($"The event cannot be read: {e.Message}", ExitCodes.Usage);
        }
        catch (RoutingBudgetExceededException e)
        {
            throw new CliException($"The event is beyond the routing budget (the stream publisher dead-letters it as unroutable): {e.Message}", ExitCodes.Usage);
        }
    }

    private static int TestRoutes(SystemDefinition system, byte[] document, TestOutput output)
    {
        var decision = Readable(() => new EventRouter(system).Route(document));
        List<RouteExplanation>? explanations = output.Explain
            ? [.. system.Routes.Select(r =>
            {
                var (explanation, problem) = Explain(r.Pattern, document);
                return new RouteExplanation(r.Name, explanation, problem);
            })]
            : null;
        if (output.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(
                new RoutesTestReport(!decision.Unrouted, [.. decision.MatchedRoutes], [.. decision.Topics], decision.Unrouted, explanations),
                CliJsonContext.Default.RoutesTestReport));
            return decision.Unrouted ? ExitCodes.Failure : ExitCodes.Success;
        }

        foreach (var route in explanations ?? [])
        {
            ExplanationText.Write($"route {route.Route}", decision.MatchedRoutes.Contains(route.Route), route.Explanation, route.Problem);
        }

        if (decision.Unrouted)
        {
            Console.WriteLine(decision.Topics.Count > 0
                ? $"No route matches; the event goes to the unrouted topic '{decision.Topics[0]}'."
                : "No route matches; the event is counted as unrouted and published nowhere.");
        }
        else
        {
            var byName = system.Routes.ToDictionary(r => r.Name, StringComparer.Ordinal);
            foreach (var route in decision.MatchedRoutes)
            {
                Console.WriteLine($"route {route} -> {string.Join(", ", byName[route].Topics)}");
            }

            Console.WriteLine($"Published to: {string.Join(", ", decision.Topics)}");
        }

        return decision.Unrouted ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static async Task<(EventPattern, JsonElement)> ReadPatternAsync(FileInfo file, CancellationToken ct)
    {
        var text = await InputFiles.ReadTextAsync(file, ct);
        try
        {
            var pattern = EventPattern.Parse(text);
            using var document = JsonDocument.Parse(text);
            return (pattern, document.RootElement.Clone());
        }
        catch (EventPatternException e)
        {
            throw new CliException($"Invalid pattern in {file.Name}: {e.Message}", ExitCodes.Usage);
        }
    }

    private static async Task<byte[]> ReadEventAsync(FileInfo file, CancellationToken ct)
    {
        var bytes = await InputFiles.ReadBytesAsync(file, ct);
        try
        {
            using var parsed = JsonDocument.Parse(bytes); // the whole event must be JSON, not only the part a pattern reads
        }
        catch (JsonException e)
        {
            throw new CliException($"{file.Name} is not JSON: {e.Message}", ExitCodes.Usage);
        }

        return bytes;
    }
}

/// <param name="Problem">With --explain, why there is no explanation, when there is none.</param>
internal sealed record PatternTestReport(
    bool Matched, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PatternExplanation? Explanation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Problem);

internal sealed record RoutesTestReport(bool Matched, List<string> Routes, List<string> Topics, bool Unrouted,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<RouteExplanation>? Explanations);

/// <param name="Problem">Why there is no explanation, when there is none.</param>
internal sealed record RouteExplanation(
    string Route, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PatternExplanation? Explanation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Problem);

internal sealed record CasesReport(int Total, int Passed, List<CaseFailure> Failed);

/// <param name="Expected">true, false or "invalid", as the case wrote it.</param>
/// <param name="Reason">Why the pattern was refused or the event could not be routed, or why --explain could not explain it.</param>
/// <param name="Explanation">With --explain, why the pattern matched or not (none for a refused pattern or an unroutable event).</param>
internal sealed record CaseFailure(
    int Line, JsonNode Expected, JsonNode Actual, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PatternExplanation? Explanation);
