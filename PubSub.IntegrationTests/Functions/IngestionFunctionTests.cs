using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Events;
using PubSub.Functions;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.IntegrationTests.Ingestion;
using PubSub.Ingestion.Lambda;
using PubSub.LambdaRuntime;

namespace PubSub.IntegrationTests.Functions;

/// <summary>The ingestion function's Lambda adapter (API Gateway proxy events) against the emulators,
/// and checked against the local HTTP host: the same request gets the same answer from both.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class IngestionFunctionTests(AwsEmulatorsFixture aws)
{
    private const string DemoKeyId = "k7demo01", AcmeKeyId = "k7acme01";

    private IngestionFunction Function() => IngestionFunctionFactory.Create(new FunctionSettings
    {
        Definition = aws.Definition,
        Region = "us-east-1",
        PublishersByApiKeyId = new Dictionary<string, string> { [DemoKeyId] = "demo", [AcmeKeyId] = "acme" },
        FingerprintKey = "integration-tests-fingerprint-key-0123456789",
        ApiId = ApiGatewayEvents.ApiId,
        ApiStage = ApiGatewayEvents.Stage,
        AccountId = ApiGatewayEvents.AccountId,
    }, NullLoggerFactory.Instance, TimeProvider.System);

    private static async Task<(int Status, Dictionary<string, string> Headers, JsonElement Body)> InvokeAsync(IngestionFunction function, byte[] request) =>
        ApiGatewayEvents.Read(await function.HandleAsync(
            new LambdaInvocation(Guid.NewGuid().ToString(), DateTimeOffset.UtcNow.AddSeconds(30), null, null, request), CancellationToken.None));

    private static string Event(string id, string data = """{"orderId":1}""", string type = "order.created") =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"it","type":"{{{type}}}","data":{{{data}}}}""";

    [Fact]
    public async Task An_event_through_API_Gateway_is_stored_for_the_publisher_its_key_belongs_to()
    {
        var function = Function();
        var id = Guid.NewGuid().ToString();

        var (status, headers, body) = await InvokeAsync(function, ApiGatewayEvents.Post(Event(id), "application/cloudevents+json", DemoKeyId));
        var (retryStatus, _, _) = await InvokeAsync(function, ApiGatewayEvents.Post(Event(id), "application/cloudevents+json", DemoKeyId));

        Assert.Equal(202, status);
        Assert.Equal(id, body.GetProperty("id").GetString());
        Assert.Equal($"/events/{id}", headers["Location"]);
        Assert.Equal(200, retryStatus);
        var item = (await aws.DynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = aws.Definition.Events.Table,
            Key = new() { [EventItem.Key] = new AttributeValue { S = EventItem.KeyOf("demo", id) } },
            ConsistentRead = true,
        })).Item;
        Assert.Equal(("demo", "order.created"), (EventItem.FromItem(item).Publisher, EventItem.FromItem(item).Type));
    }

    [Fact]
    public async Task A_base64_body_and_binary_mode_headers_in_any_case_are_read()
    {
        var id = Guid.NewGuid().ToString();

        var (status, _, _) = await InvokeAsync(Function(), ApiGatewayEvents.Post("""{"orderId":3}""", "application/json", DemoKeyId,
            new() { ["CE-SpecVersion"] = "1.0", ["Ce-Id"] = id, ["ce-source"] = "it", ["CE-TYPE"] = "order.created" }, base64: true));

        Assert.Equal(202, status);
    }

    [Theory]
    [InlineData(null, 403, "invalid-api-key")]
    [InlineData("unknown-key-id", 403, "invalid-api-key")]
    public async Task A_key_id_the_function_does_not_know_is_refused_as_problem_details(string? keyId, int expected, string kind)
    {
        var (status, headers, body) = await InvokeAsync(Function(), ApiGatewayEvents.Post(Event("x"), "application/cloudevents+json", keyId));

        Assert.Equal(expected, status);
        Assert.Equal("application/problem+json", headers["Content-Type"]);
        Assert.Equal("urn:pubsub:problem:" + kind, body.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Another_method_or_path_is_a_404_problem()
    {
        var (status, _, body) = await InvokeAsync(Function(), ApiGatewayEvents.Post("", "application/json", DemoKeyId, method: "GET", path: "/other"));

        Assert.Equal(404, status);
        Assert.Equal("urn:pubsub:problem:not-found", body.GetProperty("type").GetString());
    }

    /// <summary>The two adapters share the core; this proves they also share its HTTP contract, so that
    /// a publisher sees the same answers locally and on AWS.</summary>
    [Fact]
    public async Task Every_answer_matches_the_local_hosts_answer_to_the_same_request()
    {
        await using var host = new IngestionHostFactory();
        using var client = host.CreateClient();
        var function = Function();
        var cases = new (string Publisher, string ContentType, Func<string, string> Body)[]
        {
            ("demo", "application/cloudevents+json", id => Event(id)),
            ("demo", "application/cloudevents+json", id => Event(id, """{"orderId":"x"}""")),
            ("demo", "application/cloudevents-batch+json", id => $$"""[{{Event(id)}},{{Event(id + "-2", """{"orderId":0}""")}},{"specversion":"1.0"}]"""),
            ("demo", "application/cloudevents+json", _ => """{"specversion":"1.0","id":"a","source":"it","type":"order.created","data":"""),
            ("demo", "application/cloudevents+json", id => $$"""{"specversion":"1.0","id":"{{id}}","source":"it"}"""),
            ("demo", "text/plain", _ => "hello"),
            ("acme", "application/cloudevents+json", id => Event(id, """{"orderId":1,"card":"4111 1111 1111 1111"}""")),
        };

        foreach (var (publisher, contentType, body) in cases)
        {
            var (localId, lambdaId) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
            using var request = new HttpRequestMessage(HttpMethod.Post, "/events") { Content = new StringContent(body(localId), Encoding.UTF8) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            request.Headers.Add("x-api-key", IngestionHostFactory.KeyOf(publisher));
            using var local = await client.SendAsync(request);
            var localBody = await local.Content.ReadAsStringAsync();

            var (status, headers, lambdaBody) = await InvokeAsync(function,
                ApiGatewayEvents.Post(body(lambdaId), contentType, publisher == "demo" ? DemoKeyId : AcmeKeyId));

            var what = $"{contentType} {body("ID")}";
            Assert.True((int)local.StatusCode == status, $"{what}: local {(int)local.StatusCode} {localBody}, Lambda {status} {lambdaBody.GetRawText()}");
            Assert.Equal(local.Content.Headers.ContentType?.MediaType, headers["Content-Type"]);
            Assert.Equal(Normalise(localBody, localId), Normalise(lambdaBody.GetRawText(), lambdaId));
        }
    }

    /// <summary>Ids differ between the two runs; nothing else may (the core writes both bodies).</summary>
    private static string Normalise(string json, string id) => json.Replace(id, "ID", StringComparison.Ordinal);
}
