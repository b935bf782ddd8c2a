using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace PubSub.Cli.Commands;

/// <summary><c>pubsub send</c>: publish as a publisher to the local or deployed endpoint: one event,
/// a file of events, or N events at a given rate, with a summary of the answers and their latency.</summary>
internal static class SendCommand
{
    public const string LocalEndpoint = "http://localhost:5080";

    public static Command Create()
    {
        var endpoint = new Option<string?>("--endpoint") { Description = $"The ingestion API's base URL (default with --local: {LocalEndpoint}; else PUBSUB_ENDPOINT)." };
        var key = new Option<string?>("--key") { Description = "The publisher's API key (default: PUBSUB_API_KEY; with --local, dev-PUBLISHER-key)." };
        var publisher = new Option<string>("--publisher", "-p") { Description = "The publisher, for the local default key.", DefaultValueFactory = _ => "demo" };
        var local = CommonOptions.Local();
        var type = new Option<string?>("--type", "-t") { Description = "Send a plain JSON event of this type (with --data)." };
        var data = new Option<string?>("--data") { Description = "The event's data as JSON (default {})." };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "A file: one CloudEvent, or a JSON array of them (sent as a batch)." };
        var count = new Option<int>("--count", "-n") { Description = "Send this many events (new ids each).", DefaultValueFactory = _ => 1 };
        var rate = new Option<double>("--rate") { Description = "Events per second when sending many (default: as fast as answers come).", DefaultValueFactory = _ => 0 };
        var json = CommonOptions.Json();
        var command = new Command("send", "Publish events as a publisher: --type/--data for one plain JSON event, --file for CloudEvents, --count/--rate for many.")
        {
            endpoint, key, publisher, local, type, data, file, count, rate, json,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => SendAsync(new SendArguments(
            parse.GetValue(endpoint), parse.GetValue(key), parse.GetValue(publisher)!, parse.GetValue(local), parse.GetValue(type), parse.GetValue(data),
            parse.GetValue(file), parse.GetValue(count), parse.GetValue(rate), parse.GetValue(json)), ct), cancellationToken));
        return command;
    }

    private static async Task<int> SendAsync(SendArguments args, CancellationToken ct)
    {
        var baseUrl = args.Endpoint ?? (args.Local ? LocalEndpoint : Environment.GetEnvironmentVariable("PUBSUB_ENDPOINT"))
                      ?? throw new CliException("Give --endpoint URL (or --local, or set PUBSUB_ENDPOINT).", ExitCodes.Usage);
        var apiKey = args.Key ?? Environment.GetEnvironmentVariable("PUBSUB_API_KEY")
                     ?? (args.Local ? $"dev-{args.Publisher}-key" : null)
                     ?? throw new CliException("Give --key KEY (or set PUBSUB_API_KEY; --local uses the development keys).", ExitCodes.Usage);
        var (contentType, body) = args.File is { } file ? await FileBodyAsync(file, ct) : PlainBody(args.Type, args.Data);
        if (args.Count < 1)
        {
            throw new CliException("--count must be at least 1.", ExitCodes.Usage);
        }

        var (report, lastAnswer) = await SendAllAsync(baseUrl, apiKey, new SendBody(contentType, body, args.File is null ? args.Type : null), args.Count, args.Rate, ct);
        if (args.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.SendReport));
        }
        else if (args.Count == 1)
        {
            Console.WriteLine($"{report.ByStatus.Keys.Single()} {lastAnswer}");
        }
        else
        {
            Console.WriteLine($"sent {report.Sent} in {report.Seconds:F1} s ({report.PerSecond:F0}/s): " +
                              string.Join(", ", report.ByStatus.Select(s => $"{s.Value} x {s.Key}")) +
                              $"; latency p50 {report.P50Ms:F1} ms, p95 {report.P95Ms:F1} ms, p99 {report.P99Ms:F1} ms");
        }

        return report.ByStatus.Keys.All(s => s is >= 200 and < 300) ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>Sends the body <paramref name="total"/> times, at most <paramref name="rate"/> a second (0: as fast as
    /// answers come); returns the summary and the last answer's body.</summary>
    private static async Task<(SendReport Report, string? LastAnswer)> SendAllAsync(string baseUrl, string apiKey, SendBody body,
        int total, double rate, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        var summary = new SendSummary();
        var interval = rate > 0 ? TimeSpan.FromSeconds(1 / rate) : TimeSpan.Zero;
        var started = Stopwatch.GetTimestamp();
        string? lastAnswer = null;
        for (var i = 0; i < total; i++)
        {
            if (interval > TimeSpan.Zero)
            {
                var due = TimeSpan.FromTicks(interval.Ticks * i) - Stopwatch.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, ct);
                }
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, "events")
            {
                Content = new StringContent(total > 1 ? WithFreshIds(body.Text, body.ContentType) : body.Text, Encoding.UTF8, body.ContentType),
            };
            request.Headers.Add("x-api-key", apiKey);
            if (body.Type is { } type)
            {
                request.Headers.Add("ce-type", type);
            }

            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.SendAsync(request, ct);
                lastAnswer = await response.Content.ReadAsStringAsync(ct);
                summary.Add((int)response.StatusCode, Stopwatch.GetElapsedTime(sent));
            }
            catch (HttpRequestException e)
            {
                throw new CliException($"Cannot reach {baseUrl}: {e.Message}. Is the stack up? (dotnet run --project PubSub.AppHost)");
            }
        }

        return (summary.Report(Stopwatch.GetElapsedTime(started)), lastAnswer);
    }

    private static async Task<(string ContentType, string Body)> FileBodyAsync(FileInfo file, CancellationToken ct)
    {
        var text = await InputFiles.ReadTextAsync(file, ct);
        return (text.TrimStart().StartsWith('[') ? "application/cloudevents-batch+json" : "application/cloudevents+json", text);
    }

    /// <summary>A plain JSON event: the body is the data exactly as given, and the type travels in the ce-type header, so
    /// that subscribers receive the data without a "type" member added to it (or one of theirs taken out).</summary>
    internal static (string ContentType, string Body) PlainBody(string? type, string? data)
    {
        if (type is null)
        {
            throw new CliException("Give --type TYPE (with --data JSON) or --file FILE.", ExitCodes.Usage);
        }

        try
        {
            var text = data ?? "{}";
            using var parsed = JsonDocument.Parse(text);
            if (parsed.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CliException("--data must be a JSON object.", ExitCodes.Usage);
            }

            if (parsed.RootElement.TryGetProperty("specversion", out _))
            {
                // The service would read such a body as a structured CloudEvent, not as data.
                throw new CliException("--data has a \"specversion\" member: send a CloudEvent with --file instead.", ExitCodes.Usage);
            }

            return ("application/json", text);
        }
        catch (JsonException e)
        {
            throw new CliException($"--data is not JSON: {e.Message}", ExitCodes.Usage);
        }
    }

    /// <summary>For many sends of one file: each CloudEvent gets a new id, so that none is a retry.</summary>
    private static string WithFreshIds(string body, string contentType)
    {
        if (contentType == "application/json")
        {
            return body; // plain JSON without an Idempotency-Key gets a new id from the service
        }

        var node = System.Text.Json.Nodes.JsonNode.Parse(body);
        foreach (var cloudEvent in node is System.Text.Json.Nodes.JsonArray array ? array.ToArray() : [node])
        {
            if (cloudEvent is System.Text.Json.Nodes.JsonObject o)
            {
                o["id"] = Guid.CreateVersion7().ToString();
            }
        }

        return node!.ToJsonString();
    }

    private sealed class SendSummary
    {
        private readonly List<double> _latencies = [];
        private readonly SortedDictionary<int, int> _byStatus = [];

        public void Add(int status, TimeSpan latency)
        {
            _latencies.Add(latency.TotalMilliseconds);
            _byStatus[status] = _byStatus.GetValueOrDefault(status) + 1;
        }

        public SendReport Report(TimeSpan elapsed)
        {
            var sorted = _latencies.Order().ToArray();
            double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            return new SendReport(sorted.Length, elapsed.TotalSeconds, sorted.Length / Math.Max(elapsed.TotalSeconds, 1e-9),
                _byStatus.ToDictionary(s => s.Key, s => s.Value), At(0.50), At(0.95), At(0.99));
        }
    }
}

/// <summary>A request body, and the event type for the ce-type header when the body is plain data.</summary>
internal sealed record SendBody(string ContentType, string Text, string? Type);

/// <summary>What <c>pubsub send</c> was given.</summary>
internal sealed record SendArguments(string? Endpoint, string? Key, string Publisher, bool Local, string? Type, string? Data, FileInfo? File,
    int Count, double Rate, bool Json);

internal sealed record SendReport(int Sent, double Seconds, double PerSecond, Dictionary<int, int> ByStatus, double P50Ms, double P95Ms, double P99Ms);
