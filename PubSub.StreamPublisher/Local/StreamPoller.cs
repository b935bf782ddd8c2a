using Amazon.DynamoDBv2;
using PubSub.Aws;
using Amazon.DynamoDBStreams;
using Amazon.DynamoDBStreams.Model;
using PubSub.Definition;
using PubSub.StreamPublisher.Core;

namespace PubSub.StreamPublisher.Local;

/// <summary>The local stand-in for Lambda's event source mapping: reads every shard of the Events
/// table's stream (parents before children, closed shards to their end), hands the records to the
/// core, and retries a shard from its first failed record. Its position in each shard is checkpointed
/// after every batch, so a restart resumes where it stopped. Survives the emulator going away.</summary>
internal sealed partial class StreamPoller(
    IAmazonDynamoDB dynamoDb,
    IAmazonDynamoDBStreams streams,
    StreamBatchProcessor processor,
    IShardCheckpoints checkpoints,
    SystemDefinition definition,
    StreamPollerOptions options,
    StreamPollerHealth health,
    TimeProvider timeProvider,
    ILogger<StreamPoller> logger) : BackgroundService
{
    private static readonly TimeSpan RetryBase = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan IdleBase = TimeSpan.FromMilliseconds(25);
    private static readonly Backoff StreamRetry = new(RetryBase, TimeSpan.FromSeconds(10));
    private static readonly Backoff UnexpectedRetry = new(RetryBase, TimeSpan.FromSeconds(30));

    private readonly Dictionary<string, ShardCursor> _shards = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, ShardCheckpoint> _checkpoints = new Dictionary<string, ShardCheckpoint>();
    private bool _shardFinished;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var streamArn = await StreamArnAsync(stoppingToken);
                LogPolling(definition.Events.Table, streamArn);
                failures = 0;
                await PollAsync(streamArn, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (AwsErrors.IsCallFailure(e, stoppingToken) || e is StreamUnavailableException)
            {
                failures++;
                health.Failed(e.Message);
                LogStreamUnavailable(failures, e.Message);
                await DelayAsync(StreamRetry.DelayBefore(failures), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Whatever it is, ending here would stop the host: delivery for every publisher. Log, wait, go on.
                failures++;
                health.Failed($"unexpected {e.GetType().Name}");
                LogUnexpected(e, failures);
                await DelayAsync(UnexpectedRetry.DelayBefore(failures), stoppingToken);
            }
        }
    }

    /// <summary>A pause that ends quietly when the host stops.</summary>
    private async Task DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, timeProvider, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the loop ends on its next check
        }
    }

    private async Task<string> StreamArnAsync(CancellationToken cancellationToken)
    {
        var table = (await dynamoDb.DescribeTableAsync(definition.Events.Table, cancellationToken)).Table;
        return table.LatestStreamArn
               ?? throw new StreamUnavailableException($"Table {definition.Events.Table} has no stream.");
    }

    private async Task PollAsync(string streamArn, CancellationToken cancellationToken)
    {
        _shards.Clear();
        _checkpoints = await checkpoints.LoadAsync(streamArn, cancellationToken);
        var refreshedAt = DateTimeOffset.MinValue;
        var idle = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = timeProvider.GetUtcNow();
            if (now - refreshedAt >= options.RefreshInterval || _shardFinished)
            {
                _shardFinished = false; // a closed shard's children appear in the description
                await RefreshShardsAsync(streamArn, cancellationToken);
                refreshedAt = now;
            }

            var (read, backlog) = (0, false);
            foreach (var cursor in ReadableShards(now))
            {
                var count = await ReadShardAsync(streamArn, cursor, cancellationToken);
                read += count;
                backlog |= count >= options.BatchSize;
            }

            health.Succeeded();
            idle = read > 0 ? 0 : idle + 1;
            if (!backlog)
            {
                // A quiet stream is read less and less often, up to the idle delay (a pause, not a retry: no jitter).
                var delay = read > 0 ? options.TrickleDelay : new Backoff(IdleBase, options.IdleDelay).Ceiling(idle);
                await Task.Delay(delay, timeProvider, cancellationToken);
            }
        }
    }

    private async Task RefreshShardsAsync(string streamArn, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? startAfter = null;
        do
        {
            var description = (await streams.DescribeStreamAsync(
                new DescribeStreamRequest { StreamArn = streamArn, ExclusiveStartShardId = startAfter }, cancellationToken))
                .StreamDescription;
            foreach (var shard in description.Shards)
            {
                seen.Add(shard.ShardId);
                if (!_shards.ContainsKey(shard.ShardId))
                {
                    var cursor = new ShardCursor(shard);
                    if (_checkpoints.TryGetValue(shard.ShardId, out var checkpoint))
                    {
                        cursor.LastSequenceNumber = checkpoint.SequenceNumber;
                        cursor.Finished = checkpoint.Finished;
                    }

                    _shards[shard.ShardId] = cursor;
                    LogShardFound(shard.ShardId, shard.ParentShardId, cursor.LastSequenceNumber ?? "the trim horizon");
                }
            }

            startAfter = description.LastEvaluatedShardId;
        }
        while (startAfter is not null);

        // Shards past the stream's retention disappear from its description.
        foreach (var gone in _shards.Keys.Where(id => !seen.Contains(id)).ToList())
        {
            _shards.Remove(gone);
        }
    }

    /// <summary>Shards whose parent has been read to its end (or is gone), in stream order.</summary>
    private List<ShardCursor> ReadableShards(DateTimeOffset now) =>
        _shards.Values
            .Where(s => !s.Finished && s.RetryAt <= now)
            .Where(s => s.Shard.ParentShardId is not { } parent || !_shards.TryGetValue(parent, out var p) || p.Finished)
            .OrderBy(s => s.Shard.SequenceNumberRange?.StartingSequenceNumber?.PadLeft(40, '0'), StringComparer.Ordinal)
            .ToList();

    /// <summary>Reads one batch from a shard and hands it to the core; returns how many records it read.</summary>
    private async Task<int> ReadShardAsync(string streamArn, ShardCursor cursor, CancellationToken cancellationToken)
    {
        GetRecordsResponse page;
        try
        {
            cursor.Iterator ??= (await streams.GetShardIteratorAsync(cursor.IteratorRequest(streamArn), cancellationToken)).ShardIterator;
            if (cursor.Iterator is null)
            {
                cursor.Finished = true;
                return 0;
            }

            page = await streams.GetRecordsAsync(new GetRecordsRequest { ShardIterator = cursor.Iterator, Limit = cursor.BatchLimit ?? options.BatchSize },
                cancellationToken);
        }
        catch (AmazonDynamoDBStreamsException e) when (e.ErrorCode == AmazonDynamoDBStreamsException.ExpiredIterator)
        {
            cursor.Iterator = null; // fetched again from the last position
            return 0;
        }
        catch (AmazonDynamoDBStreamsException e) when (e.ErrorCode == AmazonDynamoDBStreamsException.TrimmedDataAccess)
        {
            LogTrimmed(cursor.Shard.ShardId, cursor.LastSequenceNumber);
            cursor.Iterator = null;
            cursor.LastSequenceNumber = null;
            cursor.RetrySequenceNumber = null;
            return 0;
        }
        catch (AmazonDynamoDBStreamsException e) when (e.ErrorCode == AmazonDynamoDBStreamsException.ResourceNotFound)
        {
            throw new StreamUnavailableException($"The stream {streamArn} is gone: {e.Message}");
        }

        // A batch that was read is finished and checkpointed even when a stop is requested meanwhile
        // (within the drain timeout), so a graceful restart publishes nothing twice.
        using var drain = new CancellationTokenSource();
        using var stopping = cancellationToken.Register(() => drain.CancelAfter(options.DrainTimeout));
        if (page.Records.Count > 0)
        {
            var failedAt = await ProcessAsync(cursor, page.Records, drain.Token, cancellationToken);
            if (failedAt is not null)
            {
                ScheduleRetry(cursor, page.Records, failedAt);
                await CheckpointAsync(streamArn, cursor, drain.Token);
                return page.Records.Count;
            }

            cursor.LastSequenceNumber = page.Records[^1].Dynamodb?.SequenceNumber ?? cursor.LastSequenceNumber;
            cursor.RetrySequenceNumber = null;
            cursor.ConsecutiveFailures = 0;
            cursor.IsolatedFailures = 0;
            cursor.BatchLimit = cursor.BatchLimit * 2 is { } doubled && doubled < options.BatchSize ? doubled : null;
        }

        cursor.Iterator = page.NextShardIterator;
        if (cursor.Iterator is null)
        {
            cursor.Finished = true;
            _shardFinished = true;
            LogShardFinished(cursor.Shard.ShardId);
        }

        if (page.Records.Count > 0 || cursor.Finished)
        {
            await CheckpointAsync(streamArn, cursor, drain.Token);
        }

        return page.Records.Count;
    }

    /// <summary>Hands a batch to the core; returns the sequence number of its first record to retry, or null.
    /// An unexpected exception (a bug, not a record's failure: the core dead-letters those) is isolated as
    /// Lambda's BisectBatchOnFunctionError does: the batch is halved until the record that throws is alone; that
    /// record is then dead-lettered after <see cref="IsolatedAttempts"/> tries, so it cannot block its shard.
    /// Nothing is skipped: until the DLQ has taken it, the record is retried, with backoff.</summary>
    private async Task<string?> ProcessAsync(ShardCursor cursor, List<Record> records, CancellationToken drainToken,
        CancellationToken stoppingToken)
    {
        try
        {
            StreamBatchResult result;
            using (CallDeadline.Until(timeProvider.GetUtcNow() + AwsTimeouts.StreamInvocation)) // as the Lambda function's timeout
            {
                result = await processor.ProcessAsync(records, drainToken);
            }

            return result.AllHandled ? null : result.FailedSequenceNumbers[0];
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            var first = records[0].Dynamodb?.SequenceNumber ?? "";
            LogBatchFailed(e, cursor.Shard.ShardId, first, records.Count);
            if (records.Count > 1)
            {
                cursor.BatchLimit = Math.Max(1, records.Count / 2);
                return first;
            }

            if (++cursor.IsolatedFailures < IsolatedAttempts || !await TryDeadLetterAsync(records[0], e, drainToken))
            {
                return first;
            }

            cursor.IsolatedFailures = 0;
            return null;
        }
    }

    /// <summary>Tries of a single record that keeps throwing before it is dead-lettered.</summary>
    internal const int IsolatedAttempts = 3;

    private async Task<bool> TryDeadLetterAsync(Record record, Exception error, CancellationToken cancellationToken)
    {
        try
        {
            return await processor.DeadLetterAsync(record, error, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogBatchFailed(e, "(dead-letter)", record.Dynamodb?.SequenceNumber ?? "", 1);
            return false;
        }
    }

    /// <summary>Saves the shard's position. A failure costs only duplicates after a restart (the batches
    /// since the last saved position are published again), so it is logged and reading goes on.</summary>
    private async Task CheckpointAsync(string streamArn, ShardCursor cursor, CancellationToken cancellationToken)
    {
        try
        {
            await checkpoints.SaveAsync(streamArn, cursor.Shard.ShardId,
                new ShardCheckpoint(cursor.LastSequenceNumber, cursor.Finished), cancellationToken);
        }
        catch (Exception e) when (AwsErrors.IsCallFailure(e, cancellationToken))
        {
            LogCheckpointFailed(cursor.Shard.ShardId, e.Message);
        }
    }

    /// <summary>Lambda's ReportBatchItemFailures, locally: resume at the first failed record, later.</summary>
    private void ScheduleRetry(ShardCursor cursor, List<Record> records, string firstFailed)
    {
        var index = records.FindIndex(r => r.Dynamodb?.SequenceNumber == firstFailed);
        if (index > 0)
        {
            cursor.LastSequenceNumber = records[index - 1].Dynamodb?.SequenceNumber;
        }

        cursor.RetrySequenceNumber = firstFailed;
        cursor.Iterator = null;
        cursor.ConsecutiveFailures++;
        var delay = new Backoff(RetryBase, options.RetryDelay).DelayBefore(cursor.ConsecutiveFailures);
        cursor.RetryAt = timeProvider.GetUtcNow() + delay;
        LogRetryScheduled(cursor.Shard.ShardId, firstFailed, delay.TotalSeconds);
    }


    [LoggerMessage(Level = LogLevel.Information, Message = "Polling the stream of table {Table}: {StreamArn}")]
    private partial void LogPolling(string table, string streamArn);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading shard {ShardId} (parent {ParentShardId}) after {Position}")]
    private partial void LogShardFound(string shardId, string? parentShardId, string position);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Could not save the position in shard {ShardId} ({Error}); a restart would publish the records since the last saved one again")]
    private partial void LogCheckpointFailed(string shardId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shard {ShardId} is closed and fully read")]
    private partial void LogShardFinished(string shardId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream unavailable (failure {Failures}): {Error}; retrying")]
    private partial void LogStreamUnavailable(int failures, string error);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Shard {ShardId}: records from {SequenceNumber} could not be handled; retrying in {DelaySeconds:F1} s")]
    private partial void LogRetryScheduled(string shardId, string sequenceNumber, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "The stream poller failed unexpectedly (failure {Failures}); retrying")]
    private partial void LogUnexpected(Exception exception, int failures);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Shard {ShardId}: the batch of {Count} records from {SequenceNumber} failed unexpectedly; it is retried, halved until the record that fails is alone")]
    private partial void LogBatchFailed(Exception exception, string shardId, string sequenceNumber, int count);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Shard {ShardId} was trimmed past {SequenceNumber}: records older than the stream's retention were never read")]
    private partial void LogTrimmed(string shardId, string? sequenceNumber);
}

internal sealed class StreamUnavailableException(string message) : Exception(message);
