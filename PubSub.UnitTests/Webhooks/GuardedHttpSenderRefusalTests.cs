using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Webhooks.Delivery;

namespace PubSub.UnitTests.Webhooks;

/// <summary>The sender's refusals that need no receiver: a resolver that answers what an attacker's DNS would. Nothing
/// here may reach the network (the answers are refused before any connect).</summary>
public sealed class GuardedHttpSenderRefusalTests
{
    private static async Task<DeliveryAttempt> SendAsync(string url, bool localMode, params IPAddress[] answer)
    {
        using var sender = new GuardedHttpSender(new GuardedSenderOptions(localMode), TimeProvider.System,
            NullLogger<GuardedHttpSender>.Instance, new FixedResolver(answer));
        return await sender.SendAsync(
            new WebhookRequest("e1", "w1", new Uri(url), 1, "{}"u8.ToArray(), "application/json", [], TimeSpan.FromSeconds(5)),
            CancellationToken.None);
    }

    /// <summary>An attempt's timeout is bounded (the circuit's probe lease assumes it): past it, or at zero, the request
    /// cannot be made, rather than an attempt that throws when sent (found by review).</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(61)]
    [InlineData(86_400 * 60)]
    public void A_timeout_outside_its_bounds_is_refused_when_the_request_is_made(int seconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new WebhookRequest("e1", "w1", new Uri("https://hooks.example/x"), 1, "{}"u8.ToArray(), "application/json", [], TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("fd00:ec2::254")]
    [InlineData("::ffff:a9fe:a9fe")]
    [InlineData("127.0.0.1")]
    public async Task A_multi_address_answer_with_one_forbidden_address_is_refused_whole(string forbidden)
    {
        var attempt = await SendAsync("https://hooks.example/x", localMode: false, IPAddress.Parse("8.8.8.8"), IPAddress.Parse(forbidden));

        Assert.Equal(AttemptError.ForbiddenAddress, attempt.Error);
        Assert.Contains(forbidden.Contains("ffff", StringComparison.Ordinal) ? "169.254.169.254" : forbidden, attempt.ErrorDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_mode_sends_plain_http_only_to_loopback()
    {
        var attempt = await SendAsync("http://hooks.example/x", localMode: true, IPAddress.Parse("8.8.8.8"));

        Assert.Equal(AttemptError.ForbiddenAddress, attempt.Error);
        Assert.Contains("not loopback", attempt.ErrorDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_mode_still_refuses_private_and_metadata_addresses()
    {
        var attempt = await SendAsync("https://hooks.example/x", localMode: true, IPAddress.Parse("169.254.169.254"));

        Assert.Equal(AttemptError.ForbiddenAddress, attempt.Error);
    }

    [Fact]
    public async Task An_empty_answer_is_a_name_resolution_failure()
    {
        var attempt = await SendAsync("https://hooks.example/x", localMode: false);

        Assert.Equal(AttemptError.NameResolution, attempt.Error);
    }

    private sealed class FixedResolver(IPAddress[] answer) : IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Task.FromResult(answer);
    }
}
