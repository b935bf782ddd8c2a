using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Amazon.SimpleNotificationService.Model;
using PubSub.Events;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.Ingestion;

/// <summary>Every HTTP outcome of <c>POST /events</c>, through the real pipeline, against the emulators.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class IngestionApiTests(AwsEmulatorsFixture aws)
{
    private static HttpRequestMessage Post(string body, string contentType = "application/cloudevents+json", string? publisher = "demo",
        Dictionary<string, string>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/events") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (publisher is not null)
        {
            request.Headers.Add("x-api-key", IngestionHostFactory.KeyOf(publisher));
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.Add(name, value);
        }

        return request;
    }

    private static string Event(string id, string data = """{"orderId":1}""", string type = "order.created") =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"it","type":"{{{type}}}","data":{{{data}}}}""";

    private static async Task<JsonElement> ProblemOf(HttpResponseMessage response, int status, string kind)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("urn:pubsub:problem:" + kind, problem.GetProperty("type").GetString());
        return problem;
    }

    private async Task<Dictionary<string, AttributeValue>> ItemAsync(string publisher, string id) =>
        (await aws.DynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = aws.Definition.Events.Table,
            Key = new() { [EventItem.Key] = new AttributeValue { S = EventItem.KeyOf(publisher, id) } },
            ConsistentRead = true,
        })).Item;

    [Fact]
    public async Task An_accepted_event_is_in_the_table_with_everything_the_system_adds()
    {
        await using var host = new IngestionHostFactory();
        using var client = host.CreateClient();
        var id = Guid.NewGuid().ToString();

        using var response = await client.SendAsync(Post(Event(id)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var item = await ItemAsync("demo", id);
        var stored = EventItem.FromItem(item);
        Assert.Equal(("order.created", "demo", "us-east-1", """{"orderId":1}"""), (stored.Type, stored.Publisher, stored.OriginRegion, stored.Data?.ToString()));
        Assert.NotNull(stored.TraceParent);
        Assert.NotNull(stored.Fingerprint);
        Assert.True(long.Parse(item[EventItem.ExpiresAt].N, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddDays(29).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task The_callers_traceparent_is_not_adopted_as_the_stored_trace()
    {
        await using var host = new IngestionHostFactory();
        using var client = host.CreateClient();
        var id = Guid.NewGuid().ToString();
        const string callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";

        using var response = await client.SendAsync(Post(Event(id), headers: new()
        {
            ["traceparent"] = $"00-{callerTrace}-00f067aa0ba902b7-01",
            ["tracestate"] = "publisher=chosen",
        }));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var stored = EventItem.FromItem(await ItemAsync("demo", id));
        Assert.NotNull(stored.TraceParent);
        Assert.DoesNotContain(callerTrace, stored.TraceParent, StringComparison.Ordinal);
        Assert.Null(stored.TraceState);
    }

    [Fact]
    public async Task A_retry_is_200_and_a_reused_id_with_other_content_is_422_decided_by_the_conditional_write()
    {
        await using var host = new IngestionHostFactory();
        using var client = host.CreateClient();
        var id = Guid.NewGuid().ToString();

        using var first = await client.SendAsync(Post(Event(id)));
        using var retry = await client.SendAsync(Post(Event(id)));
        using var conflict = await client.SendAsync(Post(Event(id, """{"orderId":2}""")));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(id, JsonDocument.Parse(await retry.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString());
        await ProblemOf(conflict, 422, "idempotency-conflict");
        Assert.Equal("""{"orderId":1}""", EventItem.FromItem(await ItemAsync("demo", id)).Data?.ToString());
    }

    [Fact]
    public async Task A_large_payload_is_stored_compressed_and_reads_back_whole()
    {
        await using var host = new IngestionHostFactory();
        using var client = host.CreateClient();
        var id = Guid.NewGuid().ToString();
        var data = JsonSerializer.Serialize(Enumerable.Range(0, 2000).Select(i => $"line {i}").ToArray());

        using var response = await client.SendAsync(Post(Event(id, data, "bulk.loaded")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var item = await ItemAsync("demo", id);
        Assert.True(item.ContainsKey("dataGzip"));
        Assert.False(item.ContainsKey("data"));
        Assert.Equal(data, EventItem.FromItem(item).Data?.ToString());
    }

    [Fact]
    public async Task Binary_mode_and_plain_json_are_accepted()
    {
        await using var host = new IngestionHostFactory();
        using var client = host.CreateClient();
        var binaryId = Guid.NewGuid().ToString();
        var plainId = Guid.NewGuid().ToString();

        using var binary = await client.SendAsync(Post("""{"orderId":5}""", "application/json", headers: new()
        {
            ["ce-specversion"] = "1.0", ["ce-id"] = binaryId, ["ce-source"] = "it", ["ce-type"] = "order.created",
        }));
        using var plain = await client.SendAsync(Post("""{"type":"note.added","text":"hi"}""", "application/json",
            headers: new() { ["Idempotency-Key"] = plainId }));

        Assert.Equal(HttpStatusCode.Accepted, binary.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, plain.StatusCode);
        Assert.Equal("order.created", EventItem.FromItem(await ItemAsync("demo", binaryId)).Type);
        Assert.Equal("demo", EventItem.FromItem(await ItemAsync("demo", plainId)).Source);
    }

    [Fact]
    public async Task A_batch_answers_202_when_all_are_accepted_and_207_with_each_outcome_otherwise()
    {
        await using var host = new IngestionHostFactory();
        using var client = host.CreateClient();
        var (a, b) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());

        using var all = await client.SendAsync(Post($"[{Event(a)},{Event(b)}]", "application/cloudevents-batch+json"));
        using var mixed = await client.SendAsync(Post($"[{Event(a)},{Event(Guid.NewGuid().ToString(), """{"orderId":"x"}""")},{{\"specversion\":\"1.0\"}}]",
            "application/cloudevents-batch+json"));

        Assert.Equal(HttpStatusCode.Accepted, all.StatusCode);
        Assert.Equal(2, JsonDocument.Parse(await all.Content.ReadAsStringAsync()).RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal(HttpStatusCode.MultiStatus, mixed.StatusCode);
        var body = JsonDocument.Parse(await mixed.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((0, 1, 2), (body.GetProperty("accepted").GetInt32(), body.GetProperty("duplicates").GetInt32(), body.GetProperty("rejected").GetInt32()));
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([200, 422, 400], results.Select(r => r.GetProperty("status").GetInt32()));
        Assert.Equal("urn:pubsub:problem:schema-violation", results[1].GetProperty("problem").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Keys_plans_and_quotas_are_enforced_per_publisher()
    {
        await using var host = new IngestionHostFactory();
        using var client = host.CreateClient();

        await ProblemOf(await client.SendAsync(Post(Event("k1"), publisher: null)), 401, "missing-api-key");
        using var guessed = Post(Event("k2"), publisher: null);
        guessed.Headers.Add("x-api-key", "guessed");
        await ProblemOf(await client.SendAsync(guessed), 403, "invalid-api-key");
        await ProblemOf(await client.SendAsync(Post(Event("k3"), publisher: "off")), 403, "publisher-disabled");

        var tight = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            tight.Add(await client.SendAsync(Post(Event(Guid.NewGuid().ToString(), type: "misc"), publisher: "tight")));
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted], tight.Take(2).Select(r => r.StatusCode));
        await ProblemOf(tight[2], 429, "rate-limited");
        Assert.Equal("1", tight[2].Headers.GetValues("Retry-After").Single());

        var quota = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            quota.Add(await client.SendAsync(Post(Event(Guid.NewGuid().ToString(), type: "misc"), publisher: "quota")));
        }

        var exceeded = await ProblemOf(quota[2], 429, "quota-exceeded");
        Assert.Equal((2, "month"), (exceeded.GetProperty("quota").GetInt32(), exceeded.GetProperty("period").GetString()));
        Assert.True(int.Parse(quota[2].Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task Malformed_missing_oversized_and_unsupported_requests_get_their_4xx()
    {
        await using var host = new IngestionHostFactory();
        using var client = host.CreateClient();

        await ProblemOf(await client.SendAsync(Post("{\"type\":", "application/json")), 400, "malformed-json");
        await ProblemOf(await client.SendAsync(Post("""{"specversion":"1.0"}""")), 400, "missing-attributes");
        await ProblemOf(await client.SendAsync(Post("hello", "text/plain")), 415, "unsupported-media-type");
        await ProblemOf(await client.SendAsync(Post(Event("big", "\"" + new string('x', 300 * 1024) + "\""))), 413, "payload-too-large");
        await ProblemOf(await client.SendAsync(Post(new string(' ', 1100 * 1024) + "{}", "application/json")), 413, "payload-too-large");
        var schema = await ProblemOf(await client.SendAsync(Post(Event("s1", """{"orderId":-1}"""))), 422, "schema-violation");
        Assert.Equal("/orderId", schema.GetProperty("errors")[0].GetProperty("path").GetString());
    }

    [Fact]
    public async Task Sensitive_data_is_refused_for_acme_and_an_alert_reaches_the_alerts_topic_without_the_values()
    {
        var queueUrl = (await aws.Sqs.CreateQueueAsync("it-alerts-" + Guid.NewGuid().ToString("N")[..8])).QueueUrl;
        var queueArn = (await aws.Sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"])).QueueARN;
        await aws.Sns.SubscribeAsync(new SubscribeRequest
        {
            TopicArn = aws.Resources.TopicArns["alerts"], Protocol = "sqs", Endpoint = queueArn,
            Attributes = new() { ["RawMessageDelivery"] = "true" },
        });
        await using var host = new IngestionHostFactory();
        using var client = host.CreateClient();
        var id = Guid.NewGuid().ToString();

        using var response = await client.SendAsync(Post(Event(id, """{"orderId":1,"email":"jane@example.com"}"""), publisher: "acme"));

        var problem = await ProblemOf(response, 422, "sensitive-data");
        Assert.Equal(1, problem.GetProperty("detectors").GetProperty("Email").GetInt32());
        Assert.True(await ItemAsync("acme", id) is null or { Count: 0 }, "nothing may be stored");
        var alert = (await QueueReader.ReceiveAsync(aws.Sqs, queueUrl, 1, TimeSpan.FromSeconds(15))).Single(m => m.Body.Contains(id, StringComparison.Ordinal));
        using var json = JsonDocument.Parse(alert.Body);
        Assert.Equal(("sensitive-data", "acme", "reject"), (json.RootElement.GetProperty("kind").GetString(),
            json.RootElement.GetProperty("publisher").GetString(), json.RootElement.GetProperty("policy").GetString()));
        Assert.DoesNotContain("jane@example.com", alert.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flagged_sensitive_data_is_stored_marked()
    {
        await using var host = new IngestionHostFactory();
        using var client = host.CreateClient();
        var id = Guid.NewGuid().ToString();

        using var response = await client.SendAsync(Post(Event(id, """{"orderId":1,"card":"4111 1111 1111 1111"}""")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var stored = EventItem.FromItem(await ItemAsync("demo", id));
        Assert.Equal(("flag", 1), (stored.Sensitive!.Action, stored.Sensitive.Detectors["CreditCard"]));
    }

    [Fact]
    public async Task When_the_table_cannot_be_written_the_event_waits_in_the_ingestion_dlq_and_the_answer_is_202()
    {
        await using var host = new IngestionHostFactory(dynamoDbEndpoint: "http://127.0.0.1:9");
        using var client = host.CreateClient();
        var id = Guid.NewGuid().ToString();

        using var response = await client.SendAsync(Post(Event(id)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var dlq = aws.Resources.QueueUrls[aws.Definition.DeadLetterQueues.Ingestion];
        var message = (await QueueReader.ReceiveAsync(aws.Sqs, dlq, 1, TimeSpan.FromSeconds(10))).Single(m => m.MessageAttributes["id"].StringValue == id);
        using var body = JsonDocument.Parse(message.Body);
        Assert.Equal("ingestion", body.RootElement.GetProperty("kind").GetString());
        Assert.Equal("demo#" + id, body.RootElement.GetProperty("item").GetProperty("pk").GetProperty("S").GetString());
    }

    [Fact]
    public async Task When_the_table_and_the_dlq_are_both_down_the_answer_is_503_with_retry_after_never_2xx()
    {
        await using var host = new IngestionHostFactory(dynamoDbEndpoint: "http://127.0.0.1:9", sqsEndpoint: "http://127.0.0.1:9");
        using var client = host.CreateClient();

        using var response = await client.SendAsync(Post(Event("down-1")));

        await ProblemOf(response, 503, "store-unavailable");
        Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
    }

    [Fact]
    public async Task Disabling_a_publisher_in_the_definition_file_takes_effect_without_a_restart()
    {
        await using var host = new IngestionHostFactory();
        using var client = host.CreateClient();
        using var before = await client.SendAsync(Post(Event(Guid.NewGuid().ToString(), type: "misc"), publisher: "tight"));
        Assert.Equal(HttpStatusCode.Accepted, before.StatusCode);

        var definition = await File.ReadAllTextAsync(host.DefinitionPath);
        await File.WriteAllTextAsync(host.DefinitionPath,
            definition.Replace("{ \"name\": \"tight\",", "{ \"name\": \"tight\", \"enabled\": false,", StringComparison.Ordinal));

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        HttpStatusCode status;
        do
        {
            await Task.Delay(200, deadline.Token);
            using var after = await client.SendAsync(Post(Event(Guid.NewGuid().ToString(), type: "misc"), publisher: "tight"), deadline.Token);
            status = after.StatusCode;
        }
        while (status != HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    public async Task Other_methods_on_events_get_a_405_problem(string method)
    {
        await using var host = new IngestionHostFactory();
        using var client = host.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/events"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
