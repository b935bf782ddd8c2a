using System.Text;
using System.Text.Json;
using PubSub.DeadLetters;
using PubSub.Emulators;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.Sensitive;
using Xunit.Abstractions;

namespace PubSub.IntegrationTests.Functions;

/// <summary>The real <c>bootstrap</c> of each deployment zip, run against the Runtime API emulator and the AWS
/// emulators, writes its metrics as CloudWatch embedded metric format lines on stdout: they pass the
/// specification's rules and JSON schema (python3 jsonschema, where installed), carry the expected metric names,
/// dimensions and values, and no dimension value comes from what a publisher sent.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class EmbeddedMetricsTests(AwsEmulatorsFixture aws, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Namespace = "PubSub/it";
    private IReadOnlyDictionary<string, string> _taskRoots = null!;
    private LambdaRuntimeApiEmulator _api = null!;

    /// <summary>Dimension values that are neither a name from the definition nor one of our codes would be
    /// a cardinality leak; these are all the codes this test's invocations can produce.</summary>
    private static readonly HashSet<string> Codes = new(StringComparer.Ordinal)
    {
        "accepted", "duplicate", "rejected", "schema-violation", "malformed-json", "sensitive-data", "flag", "reject",
        Detectors.CreditCard, "routed", "unrouted", DeadLetterReason.UndecodableRecord,
    };

    public async Task InitializeAsync()
    {
        _taskRoots = await UnpackedZips.TaskRootsAsync();
        _api = await LambdaRuntimeApiEmulator.StartAsync();
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task The_ingestion_bootstrap_writes_accepted_refused_and_sensitive_counts_by_publisher()
    {
        var function = LambdaExecutable.Start(_taskRoots[LambdaPackage.Ingestion], "ingestion", _api.Address, new Dictionary<string, string>
        {
            ["PUBSUB_API_KEYS"] = "kid-demo=demo,kid-acme=acme",
            ["PUBSUB_FINGERPRINT_KEY"] = "integration-tests-fingerprint-key-0123456789",
            ["PUBSUB_API_ID"] = ApiGatewayEvents.ApiId,
            ["PUBSUB_API_STAGE"] = ApiGatewayEvents.Stage,
            ["PUBSUB_ACCOUNT_ID"] = ApiGatewayEvents.AccountId,
            ["PUBSUB_METRICS_NAMESPACE"] = Namespace,
        });

        // Publisher-sent text that must never become a dimension: in the type, the source and the data.
        const string Sent = "zz-publisher-sent-7f3a";
        string Event(string type, string data) =>
            $$"""{"specversion":"1.0","id":"{{Guid.NewGuid()}}","source":"{{Sent}}","type":"{{type}}","data":{{data}}}""";
        string[] statuses =
        [
            await Invoke(Event($"{Sent}.created", """{"orderId":9}"""), "kid-demo"),
            await Invoke(Event("order.created", $$"""{"orderId":"{{Sent}}"}"""), "kid-demo"),
            await Invoke(Event("customer.created", """{"card":"4111 1111 1111 1111"}"""), "kid-demo"),
            await Invoke(Event("customer.created", """{"card":"4111 1111 1111 1111"}"""), "kid-acme"),
        ];
        var documents = await StopAndReadAsync(function);

        Assert.Equal(["202", "422", "202", "422"], statuses);
        Assert.Equal(2, Sum(documents, "pubsub.ingestion.events", ("publisher", "demo"), ("outcome", "accepted")));
        Assert.Equal(1, Sum(documents, "pubsub.ingestion.events", ("publisher", "demo"), ("outcome", "rejected"), ("reason", "schema-violation")));
        Assert.Equal(1, Sum(documents, "pubsub.ingestion.events", ("publisher", "acme"), ("outcome", "rejected"), ("reason", "sensitive-data")));
        Assert.Equal(1, Sum(documents, "pubsub.ingestion.sensitive", ("publisher", "demo")));
        Assert.Equal(1, Sum(documents, "pubsub.ingestion.sensitive", ("publisher", "acme"), ("detector", Detectors.CreditCard), ("policy", "reject")));
        Assert.Equal(4, Values(documents, "pubsub.ingestion.batch.size", ("publisher", "demo")).Count
            + Values(documents, "pubsub.ingestion.batch.size", ("publisher", "acme")).Count);
        Assert.NotEmpty(Values(documents, "pubsub.ingestion.duration", ("outcome", "accepted")));
        AssertBoundedDimensions(documents, Sent);
    }

    [Fact]
    public async Task The_stream_publisher_bootstrap_writes_messages_by_topic_routes_dead_letters_lag_and_batch_sizes()
    {
        var function = LambdaExecutable.Start(_taskRoots[LambdaPackage.StreamPublisher], "stream-publisher", _api.Address,
            new Dictionary<string, string> { ["PUBSUB_METRICS_NAMESPACE"] = Namespace });

        var published = await _api.InvokeAsync(StreamEvents.Inserts(
            (TestEvents.Envelope(Guid.NewGuid().ToString()), "400000000000000000001"),
            (TestEvents.Envelope(Guid.NewGuid().ToString()), "400000000000000000002"))).WaitAsync(TimeSpan.FromSeconds(30));
        var deadLettered = await _api.InvokeAsync(Encoding.UTF8.GetBytes("""
            {"Records":[{"eventID":"1","eventName":"INSERT","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":"us-east-1",
              "dynamodb":{"Keys":{"Id":{"N":"1"}},"NewImage":{"Message":{"S":"not an event"}},"SequenceNumber":"400000000000000000003",
                          "SizeBytes":26,"StreamViewType":"NEW_IMAGE"}}]}
            """)).WaitAsync(TimeSpan.FromSeconds(30));
        var documents = await StopAndReadAsync(function);

        Assert.False(published.IsError, published.BodyText);
        Assert.False(deadLettered.IsError, deadLettered.BodyText);
        Assert.Equal(2, Sum(documents, "pubsub.publisher.messages", ("topic", "orders")));
        Assert.Equal(2, Sum(documents, "pubsub.publisher.routed", ("route", "orders")));
        Assert.Equal(2, Sum(documents, "pubsub.publisher.records", ("outcome", "routed")));
        Assert.Equal(1, Sum(documents, "pubsub.publisher.dead_lettered", ("reason", DeadLetterReason.UndecodableRecord)));
        Assert.Equal([2.0, 1.0], Values(documents, "pubsub.publisher.batch.size"));
        Assert.Equal(2, Values(documents, "pubsub.publisher.lag").Count);
        Assert.NotEmpty(Values(documents, "pubsub.publisher.publish.duration", ("topic", "orders")));
        AssertBoundedDimensions(documents, "not an event");
    }

    private async Task<string> Invoke(string cloudEvent, string apiKeyId)
    {
        var outcome = await _api.InvokeAsync(ApiGatewayEvents.Post(cloudEvent, "application/cloudevents+json", apiKeyId)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(outcome.IsError, outcome.BodyText);
        return ApiGatewayEvents.Read(outcome.Body).Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Stops the function as Lambda does (SIGTERM) so that all it wrote is in; returns its embedded
    /// metric format documents after checking each against the specification.</summary>
    private async Task<List<JsonElement>> StopAndReadAsync(LambdaExecutable function)
    {
        await using (function)
        {
            function.Terminate();
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await function.WaitForExitAsync(exited.Token);
        }

        var lines = function.Output.Split(Environment.NewLine).Where(EmbeddedMetricFormatCheck.IsDocument).ToList();
        Assert.True(lines.Count > 0, "No embedded metric format line in the output:\n" + function.Output);
        foreach (var line in lines)
        {
            var problems = EmbeddedMetricFormatCheck.Problems(line);
            Assert.True(problems.Count == 0, line + "\n" + string.Join("\n", problems));
        }

        var schema = await EmbeddedMetricFormatCheck.SchemaProblemsAsync(EmulatorInstallation.Locate().RepositoryRoot, lines);
        if (schema is null)
        {
            output.WriteLine("python3 with jsonschema is not installed: the documents were checked against the specification's rules in C# only.");
        }
        else
        {
            Assert.True(schema.Count == 0, string.Join("\n", schema));
        }

        var documents = lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        Assert.All(documents, d => Assert.Equal(Namespace, Directive(d).GetProperty("Namespace").GetString()));
        return documents;
    }

    private static JsonElement Directive(JsonElement document) => document.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];

    /// <summary>The documents that publish <paramref name="metric"/> under exactly these dimensions (one of their sets).</summary>
    private static IEnumerable<JsonElement> Under(List<JsonElement> documents, string metric, (string Name, string Value)[] dimensions) =>
        documents.Where(d => d.TryGetProperty(metric, out _)
            && Directive(d).GetProperty("Dimensions").EnumerateArray().Any(set =>
                set.EnumerateArray().Select(n => n.GetString()!).Order(StringComparer.Ordinal).SequenceEqual(dimensions.Select(x => x.Name).Order(StringComparer.Ordinal)))
            && dimensions.All(x => d.TryGetProperty(x.Name, out var v) && v.GetString() == x.Value));

    private static double Sum(List<JsonElement> documents, string metric, params (string Name, string Value)[] dimensions) =>
        Under(documents, metric, dimensions).Sum(d => d.GetProperty(metric).GetDouble());

    private static List<double> Values(List<JsonElement> documents, string metric, params (string Name, string Value)[] dimensions) =>
        [.. Under(documents, metric, dimensions).SelectMany(d => d.GetProperty(metric).EnumerateArray().Select(v => v.GetDouble()))];

    /// <summary>Every dimension value is a name from the definition or one of our codes, never what was sent.</summary>
    private void AssertBoundedDimensions(List<JsonElement> documents, string sent)
    {
        var definition = aws.Definition;
        var names = definition.Publishers.Select(p => p.Name).Concat(definition.Topics.Select(t => t.Name)).Concat(definition.Routes.Select(r => r.Name))
            .Concat(Codes).ToHashSet(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            foreach (var key in Directive(document).GetProperty("Dimensions").EnumerateArray().SelectMany(s => s.EnumerateArray()).Select(k => k.GetString()!).Distinct())
            {
                var value = document.GetProperty(key).GetString()!;
                Assert.DoesNotContain(sent, value, StringComparison.Ordinal);
                Assert.True(names.Contains(value), $"dimension {key}={value} is neither a definition name nor a known code");
            }
        }
    }
}
