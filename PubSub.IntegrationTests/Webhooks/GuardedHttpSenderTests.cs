using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Webhooks.Delivery;
using Xunit.Abstractions;

namespace PubSub.IntegrationTests.Webhooks;

/// <summary>The guarded sender and the delivery policy against real HTTP receivers on loopback (Kestrel, in
/// process), with the local mode's loopback allowance unless a test is about refusing it.</summary>
public sealed class GuardedHttpSenderTests(ITestOutputHelper output)
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("""{"type":"order.created","data":{"orderId":1}}""");

    private static GuardedHttpSender Sender(bool localMode = true, IHostResolver? resolver = null) =>
        new(new GuardedSenderOptions(localMode), TimeProvider.System, NullLogger<GuardedHttpSender>.Instance, resolver);

    private static WebhookRequest Request(Uri url, int attempt = 1, double timeoutSeconds = 15, string eventId = "evt-1") =>
        new(eventId, "w1", url, attempt, Payload, "application/json",
            [new("webhook-id", eventId), new("webhook-timestamp", "1764547200"), new("webhook-signature", "v1,c2lnbmF0dXJl")],
            TimeSpan.FromSeconds(timeoutSeconds));

    private static Task Answer(HttpContext context, int status, string body = "")
    {
        context.Response.StatusCode = status;
        // Kestrel refuses any write, even an empty one, to a 204 (and then drops the connection).
        return body.Length == 0 ? Task.CompletedTask : context.Response.WriteAsync(body, context.RequestAborted);
    }

    [Fact]
    public async Task A_200_is_a_success_with_its_latency_and_the_receiver_gets_the_body_and_headers()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(c => Answer(c, 200, "thanks"));
        using var sender = Sender();

        var attempt = await sender.SendAsync(Request(receiver.Url()), CancellationToken.None);

        Assert.Equal((200, AttemptError.None, AttemptOutcome.Succeeded), (attempt.StatusCode, attempt.Error, attempt.Outcome));
        Assert.Equal("thanks", attempt.ResponseBody);
        Assert.InRange(attempt.Latency, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(2));
        Assert.Equal(NextStep.Delete, DeliveryPolicy.Decide(attempt, RetrySchedule.Default, 0.5));
        var seen = Assert.Single(receiver.Seen);
        Assert.Equal(Payload, seen.Body);
        Assert.Equal("evt-1", seen.Headers["webhook-id"]);
        Assert.Equal("application/json", seen.Headers["Content-Type"]);
        Assert.Equal($"localhost:{receiver.Port}", seen.Host);
        output.WriteLine($"200 in {attempt.Latency.TotalMilliseconds:F1} ms");
    }

    [Fact]
    public async Task Deliveries_share_one_pooled_connection()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(c => Answer(c, 204));
        using var sender = Sender();

        for (var i = 0; i < 5; i++)
        {
            await sender.SendAsync(Request(receiver.Url()), CancellationToken.None);
        }

        Assert.Single(receiver.Seen.Select(s => s.ConnectionId).Distinct());
    }

    [Fact]
    public async Task A_503_with_retry_after_1_twice_then_200_is_delivered_on_the_third_attempt_about_two_seconds_later()
    {
        var calls = 0;
        await using var receiver = await LoopbackReceiver.StartAsync(c =>
        {
            if (Interlocked.Increment(ref calls) <= 2)
            {
                c.Response.Headers.RetryAfter = "1";
                return Answer(c, 503, "busy");
            }

            return Answer(c, 200);
        });
        using var sender = Sender();
        var random = new Random(16);
        var attempts = new List<DeliveryAttempt>();
        var clock = Stopwatch.StartNew();

        var step = NextStep.RetryIn(TimeSpan.Zero);
        for (var number = 1; step.Kind == NextStepKind.Retry; number++)
        {
            await Task.Delay(step.Delay);
            attempts.Add(await sender.SendAsync(Request(receiver.Url(), number), CancellationToken.None));
            step = DeliveryPolicy.Decide(attempts[^1], RetrySchedule.Default, random);
            if (attempts.Count == 1)
            {
                Assert.Equal(TimeSpan.FromSeconds(1), attempts[0].RetryAfter);
                Assert.InRange(step.Delay, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.1));
            }
        }

        Assert.Equal(NextStepKind.Delete, step.Kind);
        Assert.Equal([503, 503, 200], attempts.Select(a => a.StatusCode));
        Assert.Equal([AttemptOutcome.Throttled, AttemptOutcome.Throttled, AttemptOutcome.Succeeded], attempts.Select(a => a.Outcome));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3.5));
        output.WriteLine($"delivered on attempt 3 after {clock.Elapsed.TotalSeconds:F2} s");
    }

    [Fact]
    public async Task A_410_disables_the_endpoint_and_later_deliveries_are_not_attempted()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(c => Answer(c, 410));
        using var sender = Sender();
        var circuits = new EndpointCircuits(new InMemoryCircuitStateStore(), CircuitBreakerOptions.Default, TimeProvider.System, NullLogger<EndpointCircuits>.Instance);

        var attempt = await sender.SendAsync(Request(receiver.Url()), CancellationToken.None);
        var transition = await circuits.RecordAsync(attempt, CancellationToken.None);

        Assert.Equal(AttemptOutcome.Gone, attempt.Outcome);
        Assert.Equal(NextStep.DisableEndpoint, DeliveryPolicy.Decide(attempt, RetrySchedule.Default, 0.5));
        Assert.Equal(CircuitStatus.Disabled, transition!.To);
        Assert.True(transition.Alerts);
        Assert.Equal(CircuitPermitKind.Disabled, (await circuits.AdmitAsync("w1", CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task A_receiver_that_hangs_is_a_timeout_recorded_within_the_timeout_and_a_small_margin()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(c => Task.Delay(Timeout.Infinite, c.RequestAborted));
        using var sender = Sender();
        var clock = Stopwatch.StartNew();

        var attempt = await sender.SendAsync(Request(receiver.Url(), timeoutSeconds: 1), CancellationToken.None);

        Assert.Equal((null, AttemptError.Timeout, AttemptOutcome.Failed), (attempt.StatusCode, attempt.Error, attempt.Outcome));
        Assert.InRange(attempt.Latency, TimeSpan.FromSeconds(0.95), TimeSpan.FromSeconds(1.5));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.95), TimeSpan.FromSeconds(1.5));
        output.WriteLine($"timeout recorded after {attempt.Latency.TotalMilliseconds:F0} ms (timeout 1000 ms)");
    }

    [Fact]
    public async Task A_body_that_never_ends_is_a_timeout_too()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(async c =>
        {
            c.Response.StatusCode = 200;
            await c.Response.WriteAsync("partial", c.RequestAborted);
            await c.Response.Body.FlushAsync(c.RequestAborted);
            await Task.Delay(Timeout.Infinite, c.RequestAborted);
        });
        using var sender = Sender();

        var attempt = await sender.SendAsync(Request(receiver.Url(), timeoutSeconds: 1), CancellationToken.None);

        Assert.Equal((200, AttemptError.Timeout, AttemptOutcome.Failed), (attempt.StatusCode, attempt.Error, attempt.Outcome));
        Assert.InRange(attempt.Latency, TimeSpan.FromSeconds(0.95), TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task A_redirect_is_a_failure_and_its_target_sees_nothing()
    {
        await using var target = await LoopbackReceiver.StartAsync(c => Answer(c, 200));
        await using var receiver = await LoopbackReceiver.StartAsync(c =>
        {
            c.Response.Headers.Location = target.Url().ToString();
            return Answer(c, 307);
        });
        using var sender = Sender();

        var attempt = await sender.SendAsync(Request(receiver.Url()), CancellationToken.None);

        Assert.Equal((307, AttemptError.Redirect, AttemptOutcome.Failed), (attempt.StatusCode, attempt.Error, attempt.Outcome));
        Assert.Single(receiver.Seen);
        Assert.Empty(target.Seen);
    }

    [Fact]
    public async Task A_long_answer_is_recorded_cut_to_one_KiB_and_an_endless_one_does_not_hold_the_attempt()
    {
        await using var longer = await LoopbackReceiver.StartAsync(c => Answer(c, 500, new string('x', 10_000)));
        await using var endless = await LoopbackReceiver.StartAsync(async c =>
        {
            c.Response.StatusCode = 200;
            var chunk = Encoding.UTF8.GetBytes(new string('y', 4096));
            while (!c.RequestAborted.IsCancellationRequested)
            {
                await c.Response.Body.WriteAsync(chunk, c.RequestAborted);
            }
        });
        using var sender = Sender();

        var cut = await sender.SendAsync(Request(longer.Url()), CancellationToken.None);
        var stream = await sender.SendAsync(Request(endless.Url(), timeoutSeconds: 5), CancellationToken.None);

        Assert.Equal(new string('x', 1024), cut.ResponseBody);
        Assert.Equal((200, AttemptError.None), (stream.StatusCode, stream.Error));
        Assert.Equal(1024, stream.ResponseBody.Length);
        Assert.True(stream.Latency < TimeSpan.FromSeconds(2), stream.Latency.ToString());
    }

    [Fact]
    public async Task Nothing_listening_is_a_refused_connection()
    {
        using var sender = Sender();
        var port = FreePort();

        var attempt = await sender.SendAsync(Request(new Uri($"http://127.0.0.1:{port}/hook")), CancellationToken.None);

        Assert.Equal((null, AttemptError.ConnectionRefused), (attempt.StatusCode, attempt.Error));
    }

    [Fact]
    public async Task Https_to_a_receiver_that_speaks_no_tls_is_a_tls_error()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(c => Answer(c, 200));
        using var sender = Sender();

        var attempt = await sender.SendAsync(Request(receiver.Url("https")), CancellationToken.None);

        Assert.Equal((null, AttemptError.Tls), (attempt.StatusCode, attempt.Error));
    }

    [Fact]
    public async Task The_connection_goes_to_the_address_checked_and_keeps_the_urls_host()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(c => Answer(c, 200));
        var resolver = new RebindingResolver(IPAddress.Loopback, IPAddress.Parse("10.0.0.1"));
        using var sender = Sender(resolver: resolver);

        var attempt = await sender.SendAsync(Request(receiver.Url(host: "hooks.example")), CancellationToken.None);

        Assert.Equal(200, attempt.StatusCode);
        Assert.Equal(1, resolver.Lookups);
        Assert.Equal($"hooks.example:{receiver.Port}", Assert.Single(receiver.Seen).Host);
    }

    [Theory]
    [InlineData("https://localhost:{0}/hook")]
    [InlineData("https://127.0.0.1:{0}/hook")]
    [InlineData("https://[::1]:{0}/hook")]
    [InlineData("https://[::ffff:127.0.0.1]:{0}/hook")]
    [InlineData("https://2130706433:{0}/hook")]
    [InlineData("https://0x7f.1:{0}/hook")]
    [InlineData("https://evil@127.0.0.1:{0}/hook")]
    [InlineData("https://localhost.:{0}/hook")]
    [InlineData("http://localhost:{0}/hook")]
    [InlineData("http://127.0.0.1:{0}/hook")]
    public async Task Without_local_mode_loopback_is_refused_in_every_spelling_and_the_receiver_sees_nothing(string template)
    {
        await using var receiver = await LoopbackReceiver.StartAsync(c => Answer(c, 200));
        using var sender = Sender(localMode: false);
        var url = new Uri(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, receiver.Port));

        var attempt = await sender.SendAsync(Request(url), CancellationToken.None);

        Assert.Equal((null, AttemptError.ForbiddenAddress, AttemptOutcome.Failed), (attempt.StatusCode, attempt.Error, attempt.Outcome));
        Assert.NotNull(attempt.ErrorDetail);
        Assert.Empty(receiver.Seen);
        output.WriteLine($"{url} -> {attempt.ErrorDetail}");
    }

    [Fact]
    public async Task A_hanging_endpoint_does_not_slow_concurrent_deliveries_to_a_healthy_one()
    {
        await using var healthy = await LoopbackReceiver.StartAsync(c => Answer(c, 200));
        await using var hanging = await LoopbackReceiver.StartAsync(c => Task.Delay(Timeout.Infinite, c.RequestAborted));
        using var sender = Sender();
        // Warm the pool first, so that both measurements reuse the same open connections.
        await HealthyLatenciesAsync(sender, healthy.Url());

        var alone = await HealthyLatenciesAsync(sender, healthy.Url());
        var stuck = Enumerable.Range(0, 32).Select(i => sender.SendAsync(Request(hanging.Url(), timeoutSeconds: 3, eventId: $"h{i}"), CancellationToken.None)).ToList();
        var beside = await HealthyLatenciesAsync(sender, healthy.Url());
        var timedOut = await Task.WhenAll(stuck);

        Assert.All(timedOut, a => Assert.Equal(AttemptError.Timeout, a.Error));
        Assert.Equal(32, hanging.Seen.Count);
        output.WriteLine($"healthy alone: p50 {P(alone, 0.5):F1} ms, max {alone.Max():F1} ms; beside 32 hanging deliveries: p50 {P(beside, 0.5):F1} ms, max {beside.Max():F1} ms; hanging ones timed out after {timedOut.Min(a => a.Latency.TotalMilliseconds):F0}-{timedOut.Max(a => a.Latency.TotalMilliseconds):F0} ms");
        // Loose: the healthy endpoint stays far under the hanging one's 3 s timeout.
        Assert.True(beside.Max() < 1000, $"max {beside.Max():F1} ms");
    }

    private static async Task<double[]> HealthyLatenciesAsync(GuardedHttpSender sender, Uri url)
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => sender.SendAsync(Request(url, eventId: $"ok{i}"), CancellationToken.None)));
        Assert.All(attempts, a => Assert.Equal(200, a.StatusCode));
        return [.. attempts.Select(a => a.Latency.TotalMilliseconds)];
    }

    private static double P(double[] values, double quantile) => values.Order().ElementAt((int)(quantile * (values.Length - 1)));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A resolver whose answer changes after the first lookup, as a rebinding attacker's DNS would.</summary>
    private sealed class RebindingResolver(IPAddress first, IPAddress later) : IHostResolver
    {
        public int Lookups;

        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            Task.FromResult<IPAddress[]>([Interlocked.Increment(ref Lookups) == 1 ? first : later]);
    }
}
