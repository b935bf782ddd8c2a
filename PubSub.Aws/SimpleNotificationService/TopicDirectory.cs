using System.Collections.Concurrent;
using Amazon.SimpleNotificationService;
using Amazon.SimpleNotificationService.Model;

namespace PubSub.Aws.SimpleNotificationService;

/// <summary>Topic names (as the definition and routes use them) to ARNs. Configured ARNs win
/// (CloudFormation passes them); otherwise ListTopics is asked once and again on a miss.</summary>
public sealed class TopicDirectory(IAmazonSimpleNotificationService sns, IReadOnlyDictionary<string, string> configuredArns)
    : IDisposable
{
    private readonly ConcurrentDictionary<string, string> _arns = new(configuredArns, StringComparer.Ordinal);
    private readonly SemaphoreSlim _refresh = new(1, 1);

    public async Task<string> ArnOfAsync(string topic, CancellationToken cancellationToken)
    {
        if (_arns.TryGetValue(topic, out var arn))
        {
            return arn;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_arns.ContainsKey(topic))
            {
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _refresh.Release();
        }

        return _arns.TryGetValue(topic, out arn)
            ? arn
            : throw new TopicNotFoundException($"Topic '{topic}' does not exist; provision it (pubsub provision) or deploy the stack.");
    }

    public void Dispose() => _refresh.Dispose();

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        string? next = null;
        do
        {
            var page = await sns.ListTopicsAsync(new ListTopicsRequest { NextToken = next }, cancellationToken).ConfigureAwait(false);
            foreach (var topic in page.Topics)
            {
                _arns.TryAdd(topic.TopicArn[(topic.TopicArn.LastIndexOf(':') + 1)..], topic.TopicArn);
            }

            next = page.NextToken;
        }
        while (next is not null);
    }
}

public sealed class TopicNotFoundException : Exception
{
    public TopicNotFoundException()
    {
    }

    public TopicNotFoundException(string message) : base(message)
    {
    }

    public TopicNotFoundException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
