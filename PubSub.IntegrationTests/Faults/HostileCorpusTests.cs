using System.Collections.Concurrent;
using System.Diagnostics;
using PubSub.Definition;

namespace PubSub.IntegrationTests.Faults;

/// <summary>Issue 12's hostile corpus against the ingestion service and the stream publisher as processes:
/// every request is followed by a normal event; no request may get a 5xx, every accepted event must reach a
/// subscriber queue or a dead-letter queue, and every normal event must reach its subscriber within 5 s.</summary>
public sealed class HostileCorpusTests
{
    private const int Concurrency = 4;

    /// <summary>How long, after the last request, accepted events may take to arrive before they count as lost.</summary>
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void The_corpus_has_at_least_500_requests_and_is_the_same_every_time()
    {
        var corpus = HostileCorpus.Generate();
        var again = HostileCorpus.Generate();

        Assert.True(corpus.Count >= 500, $"{corpus.Count} requests");
        Assert.Equal(corpus.Select(c => c.Name + c.Publisher + c.Body), again.Select(c => c.Name + c.Publisher + c.Body));
        Assert.Equal(13, corpus.Select(c => c.Category).Distinct().Count());
    }

    [Fact]
    public async Task Hostile_requests_get_a_4xx_or_are_delivered_or_dead_lettered_and_no_normal_event_stalls()
    {
        var timer = Stopwatch.StartNew();
        var all = HostileCorpus.Generate();
        var corpus = all.Where(c => !Excluded(c)).ToList();
        var definitionPath = CorpusDefinition.Write();
        var definition = SystemDefinitionLoader.Load(definitionPath);
        var keys = CorpusDefinition.Keys(definition.Publishers.Select(p => p.Name));
        await using var stack = await FaultStack.StartAsync(definition: definitionPath, apiKeys: keys);

        var leaks = new ConcurrentQueue<string>();
        var subscribers = definition.Subscriptions.Where(s => s.Protocol == "sqs").Select(s => s.Endpoint).Distinct(StringComparer.Ordinal)
            .Select(queue => new SubscriberCollector(stack.Sqs, stack.QueueUrls[queue], receivers: 2, inspect: body => NoteLeaks(body, leaks))).ToList();
        var letters = new ConcurrentQueue<CorpusDeadLetter>();
        var deadLetterReaders = new[] { definition.DeadLetterQueues.Publish, definition.DeadLetterQueues.Ingestion }
            .Select(queue => new SubscriberCollector(stack.Sqs, stack.QueueUrls[queue], receivers: 1,
                inspect: body => letters.Enqueue(CorpusDeadLetter.Read(queue, body)))).ToList();
        try
        {
            using var client = new CorpusClient(stack.Ingestion.BaseUrl, keys, definition);
            var outcomes = new CorpusOutcome[corpus.Count];
            var sending = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, corpus.Count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
            {
                var hostile = await client.SendAsync(corpus[i], ct);
                var normalId = "normal-" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
                outcomes[i] = new CorpusOutcome(corpus[i], hostile, normalId, await client.SendNormalAsync(normalId, ct));
            });
            var sendSeconds = sending.Elapsed.TotalSeconds;

            var rejecting = definition.Publishers.Where(p => (p.SensitiveData ?? definition.SensitiveData.DefaultPolicy) == SensitiveDataPolicy.Reject)
                .Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            CorpusAccounting Count() => CorpusAccounting.Count(outcomes, Receipts(subscribers), letters, rejecting, timer.Elapsed);
            var settleBy = DateTimeOffset.UtcNow + SettleTimeout;
            var accounting = Count();
            while (accounting.Outstanding > 0 && DateTimeOffset.UtcNow < settleBy)
            {
                await Task.Delay(500);
                accounting = Count();
            }

            var ingestionHealthy = await stack.Ingestion.HealthyAsync();
            var streamPublisherHealthy = await stack.StreamPublisher.HealthyAsync();
            Console.WriteLine(accounting);
            Console.Write(accounting.Breakdown());
            Console.WriteLine($"  sending took {sendSeconds:0.0} s at concurrency {Concurrency}; identity leaks seen by subscribers (informational): " +
                              (leaks.IsEmpty ? "none" : string.Join(", ", leaks.GroupBy(l => l).Select(g => $"{g.Key} {g.Count()}"))));
            Console.WriteLine($"  ingestion alive {!stack.Ingestion.HasExited}, healthy {ingestionHealthy}; " +
                              $"stream publisher alive {!stack.StreamPublisher.HasExited}, healthy {streamPublisherHealthy}");
            foreach (var (name, process) in new[] { ("ingestion", stack.Ingestion), ("stream publisher", stack.StreamPublisher) }.Where(p => p.Item2.HasExited))
            {
                Console.WriteLine($"  the {name} exited; the end of its output:{Environment.NewLine}{Tail(process.Output)}");
            }

            if (corpus.Count < all.Count)
            {
                Console.WriteLine($"  DIAGNOSTIC RUN: {all.Count - corpus.Count} requests left out by {ExcludeVariable}");
            }

            var detail = accounting + Environment.NewLine + accounting.Breakdown();
            Assert.True(accounting.Failures == 0, "5xx or no answer: " + detail);
            Assert.True(accounting.NormalRefused == 0, "normal events refused: " + detail);
            Assert.True(accounting.Stalls == 0, "stalls: " + detail);
            Assert.True(accounting.Lost == 0, "lost: " + detail + Environment.NewLine + Tail(stack.StreamPublisher.Output));
            Assert.False(stack.Ingestion.HasExited, "the ingestion service exited: " + Tail(stack.Ingestion.Output));
            Assert.False(stack.StreamPublisher.HasExited, "the stream publisher exited: " + Tail(stack.StreamPublisher.Output));
            Assert.True(ingestionHealthy, "the ingestion service is not healthy");
            Assert.True(streamPublisherHealthy, "the stream publisher is not healthy");
            Assert.True(corpus.Count == all.Count, $"a diagnostic run: {ExcludeVariable} left {all.Count - corpus.Count} requests out");
        }
        finally
        {
            foreach (var reader in subscribers.Concat(deadLetterReaders))
            {
                await reader.DisposeAsync();
            }
        }
    }

    /// <summary>For diagnosis only (the test fails when it is set): a comma-separated list of texts; requests
    /// whose <c>[category] name (publisher)</c> contains one are left out, to see what a crash hides.</summary>
    private const string ExcludeVariable = "PUBSUB_CORPUS_EXCLUDE";

    private static bool Excluded(HostileRequest request) =>
        Environment.GetEnvironmentVariable(ExcludeVariable) is { Length: > 0 } texts &&
        texts.Split(',', StringSplitOptions.RemoveEmptyEntries).Any(t => request.ToString().Contains(t, StringComparison.Ordinal));

    /// <summary>The first receipt of every event at any subscriber queue.</summary>
    private static Dictionary<string, DateTimeOffset> Receipts(IEnumerable<SubscriberCollector> subscribers)
    {
        var receipts = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var (key, at) in subscribers.SelectMany(s => s.FirstReceipts))
        {
            receipts[key] = receipts.TryGetValue(key, out var earlier) && earlier < at ? earlier : at;
        }

        return receipts;
    }

    /// <summary>What a publisher may not set reaching a subscriber: the system's own extensions, or the
    /// corpus's caller trace id (the trace must be a new root linked to it).</summary>
    private static void NoteLeaks(string body, ConcurrentQueue<string> leaks)
    {
        foreach (var marker in new[] { "\"replayed\"", "\"tracestate\"", "4bf92f3577b34da6a3ce929d0e0e4736" })
        {
            if (body.Contains(marker, StringComparison.Ordinal))
            {
                leaks.Enqueue(marker);
            }
        }

        if (body.Split("\"publisher\":").Length > 2)
        {
            leaks.Enqueue("two publisher members");
        }
    }

    private static string Tail(string output) => output.Length <= 4000 ? output : output[^4000..];
}
