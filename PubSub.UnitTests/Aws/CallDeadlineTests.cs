using System.Diagnostics;
using Amazon.Runtime;
using PubSub.Aws;
using Amazon.SimpleNotificationService;
using Amazon.SimpleNotificationService.Model;
using PubSub.UnitTests.Fakes;

namespace PubSub.UnitTests.Aws;

/// <summary>The send helper against a service that accepts connections and never answers.</summary>
public sealed class CallDeadlineTests : IDisposable
{
    private readonly HangingEndpoint _hanging = new();
    private AmazonSimpleNotificationServiceClient _sns;

    public CallDeadlineTests() => _sns = _hanging.SnsClient();

    public void Dispose()
    {
        _sns.Dispose();
        _hanging.Dispose();
    }

    private Task<PublishResponse> Publish(CancellationToken cancellationToken = default) =>
        _sns.PublishAsync(new PublishRequest { TopicArn = "arn:aws:sns:us-east-1:000000000000:t", Message = "m" }, cancellationToken);

    [Fact]
    public async Task A_call_to_a_silent_service_gives_up_at_the_deadline_as_a_call_failure()
    {
        var clock = Stopwatch.StartNew();
        using (CallDeadline.Until(DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1.5)))
        {
            await Assert.ThrowsAsync<AmazonClientException>(() => Publish().WaitAsync(TimeSpan.FromSeconds(20)));
        }

        // Without the deadline it would take three attempts of 3 s; the upper bound leaves room for a loaded machine.
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.2), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Without_a_deadline_a_call_makes_three_attempts_of_the_configured_timeout()
    {
        _sns.Dispose();
        _sns = _hanging.SnsClient(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAsync<AmazonClientException>(() => Publish().WaitAsync(TimeSpan.FromSeconds(20)));

        // The listener counts a connection when its accept loop gets to it, which may trail the client.
        for (var waited = 0; _hanging.Connections < AwsTimeouts.MaxAttempts && waited < 5_000; waited += 50)
        {
            await Task.Delay(50);
        }

        Assert.Equal(AwsTimeouts.MaxAttempts, _hanging.Connections);
    }

    [Fact]
    public void The_clients_default_to_the_systems_attempt_timeout_and_retry_count()
    {
        var sns = new AmazonSimpleNotificationServiceConfig();
        var streams = new Amazon.DynamoDBStreams.AmazonDynamoDBStreamsConfig();

        Assert.Equal((AwsTimeouts.Attempt, 2), (sns.Timeout, sns.MaxErrorRetry));
        Assert.Equal((AwsTimeouts.Attempt, 2), (streams.Timeout, streams.MaxErrorRetry));
    }

    [Fact]
    public void A_nested_deadline_never_extends_the_outer_one()
    {
        var outer = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5);
        using (CallDeadline.Until(outer))
        {
            using (CallDeadline.Until(outer + TimeSpan.FromSeconds(10)))
            {
                Assert.Equal(outer, CallDeadline.Current);
            }

            Assert.Equal(outer, CallDeadline.Current);
        }

        Assert.Null(CallDeadline.Current);
    }
}
