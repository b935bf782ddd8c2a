using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using PubSub.Definition;
using PubSub.WebhookDelivery.Local;

namespace PubSub.UnitTests.Webhooks;

/// <summary>The local worker's readers: which definition changes restart a subscription's reader, and what its
/// health check says.</summary>
public sealed class WebhookReadersTests
{
    private static SubscriptionDefinition Demo(string? filter = null, string endpoint = "http://localhost:5090/webhook", double? rate = null) =>
        new("orders", "webhook", endpoint, FilterPolicy: filter is null ? null : JsonDocument.Parse(filter).RootElement, Id: "demo", RateLimit: rate);

    [Fact]
    public void A_reloaded_subscription_with_the_same_filter_policy_text_keeps_its_reader()
    {
        // Two parses: equal text, distinct JSON elements (a reload reads the file again).
        Assert.True(WebhookReaders.SameDelivery(Demo("""{"type":["order.created"]}"""), Demo("""{"type":["order.created"]}""")));
        Assert.True(WebhookReaders.SameDelivery(Demo(), Demo()));
    }

    [Theory]
    [InlineData("""{"type":["order.paid"]}""", "http://localhost:5090/webhook", null)]
    [InlineData("""{"type":["order.created"]}""", "http://localhost:5091/webhook", null)]
    [InlineData("""{"type":["order.created"]}""", "http://localhost:5090/webhook", 5.0)]
    [InlineData(null, "http://localhost:5090/webhook", null)]
    public void A_changed_filter_policy_endpoint_or_rate_restarts_the_reader(string? filter, string endpoint, double? rate) =>
        Assert.False(WebhookReaders.SameDelivery(Demo(filter, endpoint, rate), Demo("""{"type":["order.created"]}""")));

    [Fact]
    public async Task Health_is_unhealthy_for_a_minute_after_a_reader_failed_and_names_it()
    {
        var time = new FakeTimeProvider();
        var health = new WebhookReadersHealth(time);
        health.Started("demo");
        health.Count(1);

        var before = await health.CheckHealthAsync(new HealthCheckContext());
        health.Failed("demo", "The specified queue does not exist.");
        var failing = await health.CheckHealthAsync(new HealthCheckContext());
        time.Advance(WebhookReadersHealth.FailureShownFor + TimeSpan.FromSeconds(1));
        var after = await health.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal((HealthStatus.Healthy, HealthStatus.Unhealthy, HealthStatus.Healthy), (before.Status, failing.Status, after.Status));
        Assert.Contains("demo (The specified queue does not exist.)", failing.Description, StringComparison.Ordinal);
    }
}
