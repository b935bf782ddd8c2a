using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using PubSub.Emulators;
using PubSub.Events;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.Functions;

/// <summary>The deployment zip's Native AOT <c>bootstrap</c>, unpacked and run as Lambda runs it,
/// against a Runtime API emulator and the AWS emulators. The zip is built by eng/package-lambda.sh
/// when this class first runs (a few minutes on a clean clone; seconds afterwards).</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class BootstrapExecutableTests(AwsEmulatorsFixture aws) : IAsyncLifetime
{
    private static readonly SemaphoreSlim Packaging = new(1, 1);
    private static string? _taskRoot;
    private LambdaRuntimeApiEmulator _api = null!;

    public async Task InitializeAsync()
    {
        await Packaging.WaitAsync();
        try
        {
            _taskRoot ??= LambdaPackage.Extract(await LambdaPackage.BuildAsync(EmulatorInstallation.Locate().RepositoryRoot));
        }
        finally
        {
            Packaging.Release();
        }

        _api = await LambdaRuntimeApiEmulator.StartAsync();
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_zip_holds_an_executable_bootstrap_and_the_system_definition()
    {
        var mode = File.GetUnixFileMode(Path.Combine(_taskRoot!, "bootstrap"));

        Assert.True(mode.HasFlag(UnixFileMode.UserExecute), $"bootstrap's mode is {mode}");
        Assert.Equal(File.ReadAllText(TestEvents.Definition), File.ReadAllText(Path.Combine(_taskRoot!, "pubsub.json")));
    }

    [Fact]
    public async Task The_ingestion_handler_stores_an_event_and_stops_cleanly_on_SIGTERM()
    {
        await using var function = LambdaExecutable.Start(_taskRoot!, "ingestion", _api.Address,
            new Dictionary<string, string> { ["PUBSUB_API_KEYS"] = "kid-demo=demo,kid-acme=acme" });
        var id = Guid.NewGuid().ToString();

        var outcome = await _api.InvokeAsync(ApiGatewayEvents.Post(
            $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"it","type":"order.created","data":{"orderId":9}}""",
            "application/cloudevents+json", "kid-demo")).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(outcome.IsError, outcome.BodyText + function.Output);
        var (status, _, body) = ApiGatewayEvents.Read(outcome.Body);
        Assert.Equal(202, status);
        Assert.Equal(id, body.GetProperty("id").GetString());
        var item = (await aws.DynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = aws.Definition.Events.Table,
            Key = new() { [EventItem.Key] = new AttributeValue { S = EventItem.KeyOf("demo", id) } },
            ConsistentRead = true,
        })).Item;
        Assert.Equal("""{"orderId":9}""", EventItem.FromItem(item).Data?.ToString());

        function.Terminate();
        await function.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal(0, function.ExitCode);
    }

    [Fact]
    public async Task The_stream_publisher_handler_publishes_and_answers_a_partial_batch_response()
    {
        await using var function = LambdaExecutable.Start(_taskRoot!, "stream-publisher", _api.Address);
        var id = Guid.NewGuid().ToString();

        var outcome = await _api.InvokeAsync(StreamEvents.Inserts((TestEvents.Envelope(id), "300000000000000000001")))
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(outcome.IsError, outcome.BodyText + function.Output);
        Assert.Equal(0, JsonDocument.Parse(outcome.Body).RootElement.GetProperty("batchItemFailures").GetArrayLength());
        var received = await QueueReader.ReceiveAsync(aws.Sqs, aws.Resources.QueueUrls["orders-demo"], 10, TimeSpan.FromSeconds(5));
        Assert.Contains(received, m => m.Body.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_handler_is_reported_as_an_init_error_and_the_process_exits()
    {
        await using var function = LambdaExecutable.Start(_taskRoot!, "no-such-handler", _api.Address);

        var error = await _api.InitError.WaitAsync(TimeSpan.FromSeconds(30));
        await function.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

        Assert.Equal("ArgumentException", error.ErrorType);
        Assert.Contains("ingestion", error.BodyText, StringComparison.Ordinal);
        Assert.Equal(1, function.ExitCode);
    }
}
