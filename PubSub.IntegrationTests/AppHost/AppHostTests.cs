using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.AppHost;

/// <summary>One event travels the whole way, as a publisher and a subscriber see it.</summary>
public sealed class AppHostTests(AppHostFixture system) : IClassFixture<AppHostFixture>
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(30);

    private async Task<HttpResponseMessage> PostAsync(string body, string contentType = "application/cloudevents+json",
        string? apiKey = "dev-demo-key", string? traceParent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/events") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        if (traceParent is not null)
        {
            request.Headers.Add("traceparent", traceParent);
        }

        return await system.Ingestion.SendAsync(request);
    }

    private static string CloudEvent(string id, string type) =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"it","type":"{{{type}}}","data":{"orderId":42}}""";

    [Fact]
    public async Task An_accepted_event_reaches_the_subscriber_of_its_topic_in_a_trace_of_its_own_not_the_callers()
    {
        var id = Guid.NewGuid().ToString();
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

        using var response = await PostAsync(CloudEvent(id, "order.created"), traceParent: $"00-{traceId}-00f067aa0ba902b7-01");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(id, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString());
        var message = await QueueReader.ReceiveEventAsync(system.Sqs, await system.QueueUrlAsync("orders-demo"), id, Delivery);
        using var body = JsonDocument.Parse(message.Body);
        Assert.Equal("order.created", body.RootElement.GetProperty("type").GetString());
        Assert.Equal("demo", body.RootElement.GetProperty("publisher").GetString());
        Assert.Equal(42, body.RootElement.GetProperty("data").GetProperty("orderId").GetInt32());
        Assert.Equal("demo", message.MessageAttributes["publisher"].StringValue);
        Assert.StartsWith("00-", message.MessageAttributes["traceparent"].StringValue, StringComparison.Ordinal);
        Assert.DoesNotContain(traceId, message.MessageAttributes["traceparent"].StringValue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flagged_sensitive_events_are_delivered_marked_and_every_event_reaches_the_archive_bucket()
    {
        var id = Guid.NewGuid().ToString();

        using var response = await PostAsync($$$"""{"specversion":"1.0","id":"{{{id}}}","source":"it","type":"order.created","data":{"orderId":7,"email":"jane@example.com"}}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var message = await QueueReader.ReceiveEventAsync(system.Sqs, await system.QueueUrlAsync("orders-demo"), id, Delivery);
        Assert.Equal("true", message.MessageAttributes["sensitive"].StringValue);
        Assert.True(JsonDocument.Parse(message.Body).RootElement.GetProperty("sensitive").GetBoolean());

        var prefix = $"demo/{DateTime.UtcNow:yyyy/MM/dd}/";
        using var deadline = new CancellationTokenSource(Delivery);
        while (true)
        {
            var listed = await system.S3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = "pubsub-archive", Prefix = prefix }, deadline.Token);
            foreach (var key in (listed.S3Objects ?? []).Select(o => o.Key))
            {
                using var archived = await system.S3.GetObjectAsync("pubsub-archive", key, deadline.Token);
                using var reader = new StreamReader(archived.ResponseStream);
                if ((await reader.ReadToEndAsync(deadline.Token)).Contains(id, StringComparison.Ordinal))
                {
                    Assert.EndsWith(".jsonl", key, StringComparison.Ordinal);
                    return;
                }
            }

            await Task.Delay(250, deadline.Token);
        }
    }

    [Theory]
    [InlineData("customer.created", "customers-demo")]
    [InlineData("inventory.counted", "unrouted-demo")]
    public async Task Events_are_routed_by_type(string type, string queue)
    {
        var id = Guid.NewGuid().ToString();

        using var response = await PostAsync(CloudEvent(id, type), apiKey: "dev-acme-key");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var received = await QueueReader.ReceiveAsync(system.Sqs, await system.QueueUrlAsync(queue), 1, Delivery);
        Assert.Contains(received, m => m.MessageAttributes["id"].StringValue == id && m.MessageAttributes["publisher"].StringValue == "acme");
    }

    [Fact]
    public async Task A_retried_event_is_answered_200_with_its_id_and_delivered_once()
    {
        var id = Guid.NewGuid().ToString();
        const string body = """{"type":"order.retried","n":1}""";

        using var first = await PostWithIdempotencyKey(body, id);
        using var second = await PostWithIdempotencyKey(body, id);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(id, JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString());
        var received = await QueueReader.DrainAsync(system.Sqs, await system.QueueUrlAsync("orders-demo"), TimeSpan.FromSeconds(8)); // other tests' events may be there too
        Assert.Single(received, m => m.MessageAttributes["id"].StringValue == id);
    }

    [Theory]
    [InlineData(null, "application/json", "{}", 401, "missing-api-key")]
    [InlineData("guessed-key", "application/json", "{}", 403, "invalid-api-key")]
    [InlineData("dev-demo-key", "application/json", "{\"type\":", 400, "malformed-json")]
    [InlineData("dev-demo-key", "application/cloudevents+json", "{\"specversion\":\"1.0\"}", 400, "missing-attributes")]
    [InlineData("dev-demo-key", "text/plain", "hello", 415, "unsupported-media-type")]
    public async Task Bad_requests_get_problem_details_never_a_500(string? apiKey, string contentType, string body, int status, string kind)
    {
        using var response = await PostAsync(body, contentType, apiKey);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("urn:pubsub:problem:" + kind, problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
    }

    /// <summary>The demo webhook subscription of pubsub.json: an order event travels ingestion, the stream publisher,
    /// the orders topic, the subscription's queue and the webhook-delivery worker to webhook-demo, which verifies its
    /// signature with the secret the worker signed with (one local secrets file for both).</summary>
    [Fact]
    public async Task An_order_event_reaches_the_webhook_demo_receiver_signed_and_verified()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await system.App.ResourceNotifications.WaitForResourceHealthyAsync("webhook-demo", timeout.Token);
        await system.App.ResourceNotifications.WaitForResourceHealthyAsync("webhook-delivery", timeout.Token);
        var id = Guid.NewGuid().ToString();
        var webhookId = PubSub.Webhooks.Worker.WebhookMessage.WebhookIdOf("demo", id);

        using var response = await PostAsync(CloudEvent(id, "order.created"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var demo = system.App.CreateHttpClient("webhook-demo");
        while (true)
        {
            var received = JsonDocument.Parse(await demo.GetStringAsync("/received", timeout.Token)).RootElement.GetProperty("received").EnumerateArray()
                .Where(r => r.GetProperty("id").GetString() == webhookId).ToList();
            if (received.Count > 0)
            {
                Assert.Equal(("verified", "v1"), (received[^1].GetProperty("result").GetString(), received[^1].GetProperty("scheme").GetString()));
                return;
            }

            await Task.Delay(250, timeout.Token);
        }
    }

    [Fact]
    public async Task The_provisioner_ran_to_completion_and_the_services_report_healthy()
    {
        var provisioner = system.App.ResourceNotifications.TryGetCurrentState("provisioner", out var state) ? state : null;

        Assert.Equal(0, provisioner?.Snapshot.ExitCode);
        using var health = await system.Ingestion.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private async Task<HttpResponseMessage> PostWithIdempotencyKey(string body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-api-key", "dev-demo-key");
        request.Headers.Add("Idempotency-Key", key);
        return await system.Ingestion.SendAsync(request);
    }

    [Fact]
    public async Task A_dead_letter_turns_its_queue_unhealthy_in_the_dashboard_and_the_replay_command_delivers_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await system.App.ResourceNotifications.WaitForResourceHealthyAsync("dlq-publish", timeout.Token);
        var id = Guid.NewGuid().ToString();
        var envelope = TestEvents.Envelope(id);
        await system.Sqs.SendMessageAsync(await system.QueueUrlAsync("pubsub-publish-dlq"),
            TestEvents.PublishLetter(envelope));

        await system.App.ResourceNotifications.WaitForResourceAsync("dlq-publish",
            e => e.Snapshot.HealthStatus == HealthStatus.Unhealthy, timeout.Token);
        var result = await system.App.Services.GetRequiredService<Aspire.Hosting.ApplicationModel.ResourceCommandService>()
            .ExecuteCommandAsync("dlq-publish", "replay", timeout.Token);

        Assert.True(result.Success, result.Message);
        var delivered = await QueueReader.ReceiveAsync(system.Sqs, await system.QueueUrlAsync("orders-demo"), 50, TimeSpan.FromSeconds(10));
        var message = Assert.Single(delivered, m => m.MessageAttributes["id"].StringValue == id);
        Assert.Equal("true", message.MessageAttributes["replayed"].StringValue);
        await system.App.ResourceNotifications.WaitForResourceHealthyAsync("dlq-publish", timeout.Token);
    }

    [Fact]
    public async Task Pubsub_send_publishes_one_event_and_many_at_a_rate_to_the_running_endpoint()
    {
        var endpoint = system.App.GetEndpoint("ingestion", "http").ToString();

        var one = await PubSub.IntegrationTests.Cli.CliRunner.RunAsync(null, "send", "--endpoint", endpoint, "--key", "dev-demo-key",
            "--type", "customer.created", "--data", """{"customerId":42}""");
        var many = await PubSub.IntegrationTests.Cli.CliRunner.RunAsync(null, "send", "--endpoint", endpoint, "--key", "dev-demo-key",
            "--type", "ping", "--count", "20", "--rate", "40", "--json");
        var refused = await PubSub.IntegrationTests.Cli.CliRunner.RunAsync(null, "send", "--endpoint", endpoint, "--key", "wrong",
            "--type", "ping");

        Assert.True(one.ExitCode == 0, one.Stderr);
        Assert.StartsWith("202 ", one.Stdout, StringComparison.Ordinal);
        Assert.True(many.ExitCode == 0, many.Stderr);
        var report = JsonDocument.Parse(many.Stdout).RootElement;
        Assert.Equal(20, report.GetProperty("byStatus").GetProperty("202").GetInt32());
        Assert.True(report.GetProperty("seconds").GetDouble() >= 0.4, "20 events at 40/s take about half a second");
        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("403 ", refused.Stdout, StringComparison.Ordinal);
    }
}
