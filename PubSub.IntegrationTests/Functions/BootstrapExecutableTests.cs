using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Amazon.DynamoDBv2.Model;
using PubSub.Emulators;
using PubSub.Events;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.IntegrationTests.Webhooks;
using PubSub.Webhooks.Signing;

namespace PubSub.IntegrationTests.Functions;

/// <summary>The deployment zips' Native AOT <c>bootstrap</c> executables, unpacked and run as Lambda runs
/// them, against a Runtime API emulator and the AWS emulators. The zips are built by eng/package-lambda.sh
/// when this class first runs (a few minutes on a clean clone; seconds afterwards).</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class BootstrapExecutableTests(AwsEmulatorsFixture aws) : IAsyncLifetime
{
    private IReadOnlyDictionary<string, string> _taskRoots = null!;
    private LambdaRuntimeApiEmulator _api = null!;

    public async Task InitializeAsync()
    {
        _taskRoots = await UnpackedZips.TaskRootsAsync();
        _api = await LambdaRuntimeApiEmulator.StartAsync();
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Each_zip_holds_an_executable_bootstrap_and_the_system_definition()
    {
        foreach (var taskRoot in _taskRoots.Values)
        {
            var mode = File.GetUnixFileMode(Path.Combine(taskRoot, "bootstrap"));

            Assert.True(mode.HasFlag(UnixFileMode.UserExecute), $"bootstrap's mode is {mode}");
            Assert.Equal(["bootstrap", "pubsub.json"], Directory.GetFiles(taskRoot).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Equal(File.ReadAllText(TestEvents.Definition), File.ReadAllText(Path.Combine(taskRoot, "pubsub.json")));
        }
    }

    [Fact]
    public async Task The_ingestion_handler_stores_an_event_and_stops_cleanly_on_SIGTERM()
    {
        await using var function = LambdaExecutable.Start(_taskRoots[LambdaPackage.Ingestion], "ingestion", _api.Address,
            new Dictionary<string, string>
            {
                ["PUBSUB_API_KEYS"] = "kid-demo=demo,kid-acme=acme",
                ["PUBSUB_FINGERPRINT_KEY"] = "integration-tests-fingerprint-key-0123456789",
                ["PUBSUB_API_ID"] = ApiGatewayEvents.ApiId,
                ["PUBSUB_API_STAGE"] = ApiGatewayEvents.Stage,
                ["PUBSUB_ACCOUNT_ID"] = ApiGatewayEvents.AccountId,
            });
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
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await function.WaitForExitAsync(exited.Token);
        Assert.Equal(0, function.ExitCode);
    }

    [Fact]
    public async Task The_stream_publisher_handler_publishes_and_answers_a_partial_batch_response()
    {
        await using var function = LambdaExecutable.Start(_taskRoots[LambdaPackage.StreamPublisher], "stream-publisher", _api.Address);
        var id = Guid.NewGuid().ToString();

        var outcome = await _api.InvokeAsync(StreamEvents.Inserts((TestEvents.Envelope(id), "300000000000000000001")))
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(outcome.IsError, outcome.BodyText + function.Output);
        Assert.Equal(0, JsonDocument.Parse(outcome.Body).RootElement.GetProperty("batchItemFailures").GetArrayLength());
        var received = await QueueReader.ReceiveAsync(aws.Sqs, aws.Resources.QueueUrls["orders-demo"], 10, TimeSpan.FromSeconds(5));
        Assert.Contains(received, m => m.Body.Contains(id, StringComparison.Ordinal));
    }

    /// <summary>The repository's definition names one webhook subscription, <c>demo</c>, at <c>http://localhost</c>: the
    /// deployed function refuses it (never a local receiver in AWS) after reading its secret from SSM (a loopback
    /// stand-in for SSM's JSON API here: no emulator of ours serves SSM), records the refused attempt and keeps the
    /// message for its next one; a record of a queue that is no webhook subscription's is kept too.</summary>
    [Fact]
    public async Task The_webhook_delivery_handler_reads_its_secret_from_ssm_refuses_a_local_receiver_and_names_what_stays_queued()
    {
        var secret = WebhookSecret.Generate();
        await using var ssm = await LoopbackReceiver.StartAsync(context => SsmAnswerAsync(context, "/pubsub/webhooks/demo/secret", secret));
        var queue = await WebhookTestQueues.EnsureAsync(aws, aws.Definition, "demo");
        var id = Guid.NewGuid().ToString();
        await WebhookTestQueues.SendEventAsync(aws.Sqs, queue.Url, id);
        var sqsEvent = JsonNode.Parse(await WebhookTestQueues.ReceiveAsSqsEventAsync(aws.Sqs, queue, id))!;
        var stranger = sqsEvent["Records"]![0]!.DeepClone();
        stranger["messageId"] = "not-a-webhook-queue";
        stranger["eventSourceARN"] = "arn:aws:sqs:us-east-1:000000000000:orders-demo";
        sqsEvent["Records"]!.AsArray().Add(stranger);
        await using var function = LambdaExecutable.Start(_taskRoots[LambdaPackage.WebhookDelivery], "webhook-delivery", _api.Address,
            new Dictionary<string, string> { ["AWS_ENDPOINT_URL_SSM"] = $"http://127.0.0.1:{ssm.Port}" });

        var outcome = await _api.InvokeAsync(Encoding.UTF8.GetBytes(sqsEvent.ToJsonString())).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.False(outcome.IsError, outcome.BodyText + function.Output);
        var kept = JsonDocument.Parse(outcome.Body).RootElement.GetProperty("batchItemFailures").EnumerateArray()
            .Select(f => f.GetProperty("itemIdentifier").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { "not-a-webhook-queue", sqsEvent["Records"]![0]!["messageId"]!.GetValue<string>() }.Order(StringComparer.Ordinal), kept);
        Assert.Contains(ssm.Seen, r => Encoding.UTF8.GetString(r.Body).Contains("/pubsub/webhooks/demo/secret", StringComparison.Ordinal));
        var attempts = await aws.DynamoDb.QueryAsync(new QueryRequest
        {
            TableName = PubSub.Definition.WebhookNames.AttemptsTable(aws.Definition),
            KeyConditionExpression = "pk = :pk",
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = $"demo#{id}" } },
            ConsistentRead = true,
        });
        var attempt = Assert.Single(attempts.Items);
        Assert.Contains(attempt.Values, v => v.S == nameof(PubSub.Webhooks.Delivery.AttemptError.ForbiddenAddress));
    }

    /// <summary>SSM's <c>GetParameter</c> (JSON 1.1) for one SecureString parameter; <c>ParameterNotFound</c> for others.</summary>
    private static async Task SsmAnswerAsync(Microsoft.AspNetCore.Http.HttpContext context, string parameter, WebhookSecret secret)
    {
        context.Response.ContentType = "application/x-amz-json-1.1";
        var seen = context.Request.Headers["X-Amz-Target"].ToString();
        if (seen != "AmazonSSM.GetParameter")
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync($$"""{"__type":"InvalidAction","message":"{{seen}}"}""");
            return;
        }

        // LoopbackReceiver has read the body already: it is in Seen; the name is all that matters, and one is asked for.
        context.Response.StatusCode = 200;
        await context.Response.WriteAsync($$$"""{"Parameter":{"Name":"{{{parameter}}}","Type":"SecureString","Value":"{{{secret.Reveal()}}}","Version":1}}""");
    }

    [Fact]
    public async Task A_zip_deployed_to_the_other_function_is_an_init_error_and_the_process_exits()
    {
        await using var function = LambdaExecutable.Start(_taskRoots[LambdaPackage.Ingestion], "stream-publisher", _api.Address);

        var error = await _api.InitError.WaitAsync(TimeSpan.FromSeconds(30));
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await function.WaitForExitAsync(exited.Token);

        Assert.Equal("ArgumentException", error.ErrorType);
        Assert.StartsWith("This bootstrap is the 'ingestion' function; the Lambda function's Handler is 'stream-publisher'",
            JsonDocument.Parse(error.Body).RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, function.ExitCode);
    }
}
