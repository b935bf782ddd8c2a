using System.Globalization;
using System.Text;

namespace PubSub.IntegrationTests.Faults;

/// <summary>One request of the corpus and the normal event sent after it, with what the service answered.</summary>
internal sealed record CorpusOutcome(HostileRequest Request, CorpusClient.Answer Hostile, string NormalId, CorpusClient.Answer Normal);

/// <summary>Where the corpus went: answers by class and problem type, accepted events delivered,
/// dead-lettered (by reason) or lost, and the normal events that were late (stalls). A normal event is
/// stalled when it reached its subscriber more than <see cref="StallAfter"/> after its 2xx, or never.</summary>
internal sealed class CorpusAccounting
{
    public static readonly TimeSpan StallAfter = TimeSpan.FromSeconds(5);

    private readonly List<Row> _rows = [];
    private readonly Dictionary<string, int> _problems = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _deadLetterReasons = new(StringComparer.Ordinal);

    public int Sent { get; private set; }

    /// <summary>5xx answers and requests that got no answer: must be 0.</summary>
    public int Failures { get; private set; }

    public int Answered4xx { get; private set; }

    public int Accepted { get; private set; }

    public int Delivered { get; private set; }

    public int DeadLettered { get; private set; }

    public int Lost { get; private set; }

    public int NormalAccepted { get; private set; }

    /// <summary>Normal events the service did not accept (it must keep serving a well-behaved publisher).</summary>
    public int NormalRefused { get; private set; }

    public int Stalls { get; private set; }

    /// <summary>Accepted events (hostile or normal) neither delivered nor dead-lettered yet: what a wait waits for.</summary>
    public int Outstanding { get; private set; }

    public TimeSpan SlowestNormal { get; private set; }

    /// <summary>From each delivered normal event's 2xx to its receipt.</summary>
    private readonly List<TimeSpan> _normalLatencies = [];

    private TimeSpan Percentile(double p) =>
        _normalLatencies.Count == 0 ? TimeSpan.Zero : _normalLatencies.Order().ElementAt((int)Math.Ceiling(p * _normalLatencies.Count) - 1);

    public List<string> FailureCases { get; } = [];

    public List<string> LostCases { get; } = [];

    public List<string> StalledAfter { get; } = [];

    /// <summary>Accepted cases about sensitive data sent by a publisher whose policy is reject.</summary>
    public List<string> SlippedPastReject { get; } = [];

    public TimeSpan Elapsed { get; init; }

    public static CorpusAccounting Count(IReadOnlyList<CorpusOutcome> outcomes, IReadOnlyDictionary<string, DateTimeOffset> receipts,
        IReadOnlyCollection<CorpusDeadLetter> letters, ISet<string> rejectPublishers, TimeSpan elapsed)
    {
        var deadLettered = letters.Where(l => l.Publisher is not null && l.Id is not null)
            .Select(l => SubscriberCollector.KeyOf(l.Publisher!, l.Id!)).ToHashSet(StringComparer.Ordinal);
        var accounting = new CorpusAccounting { Elapsed = elapsed };
        foreach (var reason in letters.GroupBy(l => $"{l.Queue} {l.Reason}"))
        {
            accounting._deadLetterReasons[reason.Key] = reason.Count();
        }

        foreach (var outcome in outcomes)
        {
            accounting.Add(outcome, receipts, deadLettered, rejectPublishers);
        }

        return accounting;
    }

    private void Add(CorpusOutcome outcome, IReadOnlyDictionary<string, DateTimeOffset> receipts, HashSet<string> deadLettered, ISet<string> rejectPublishers)
    {
        var (request, hostile, normalId, normal) = outcome;
        var row = _rows.Find(r => r.Category == request.Category) ?? new Row(request.Category);
        if (!_rows.Contains(row))
        {
            _rows.Add(row);
        }

        Sent++;
        row.Sent++;
        if (hostile.IsFailure)
        {
            Failures++;
            row.Failures++;
            FailureCases.Add($"{request} -> {(hostile.Status == 0 ? "no answer" : hostile.Status.ToString(CultureInfo.InvariantCulture))} {hostile.ProblemType}");
        }
        else if (hostile.Is4xx)
        {
            Answered4xx++;
            row.Answered4xx++;
        }

        if (hostile.ProblemType is { } type && !hostile.IsFailure)
        {
            Increment(_problems, type);
        }

        foreach (var item in hostile.ItemProblems)
        {
            Increment(_problems, "batch item " + item);
        }

        foreach (var id in hostile.AcceptedIds)
        {
            Accepted++;
            row.Accepted++;
            var key = SubscriberCollector.KeyOf(request.Publisher, id);
            if (receipts.ContainsKey(key))
            {
                Delivered++;
                row.Delivered++;
            }
            else if (deadLettered.Contains(key))
            {
                DeadLettered++;
                row.DeadLettered++;
            }
            else
            {
                Lost++;
                Outstanding++;
                row.Lost++;
                LostCases.Add($"{request} id '{id}'");
            }
        }

        if (hostile.AcceptedIds.Count > 0 && rejectPublishers.Contains(request.Publisher) && (request.Category.StartsWith('3') || request.Category.StartsWith('4')))
        {
            SlippedPastReject.Add(request.ToString());
        }

        if (!normal.Is2xx)
        {
            NormalRefused++;
            return;
        }

        NormalAccepted++;
        var late = receipts.TryGetValue(SubscriberCollector.KeyOf("demo", normalId), out var at) ? at - normal.At : (TimeSpan?)null;
        if (late is null)
        {
            Outstanding++;
        }
        else
        {
            _normalLatencies.Add(late.Value);
            SlowestNormal = late > SlowestNormal ? late.Value : SlowestNormal;
        }

        if (late is null || late > StallAfter)
        {
            Stalls++;
            row.Stalls++;
            StalledAfter.Add($"{normalId} after {request} ({(late is null ? "never delivered" : $"{late.Value.TotalSeconds:0.0} s")})");
        }
    }

    private static void Increment(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    private static string Counts(Dictionary<string, int> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"accounting (hostile corpus): sent {Sent} hostile requests (each followed by a normal event), 4xx {Answered4xx}, 5xx or no answer {Failures}, " +
        $"accepted {Accepted} events, delivered {Delivered}, dead-lettered {DeadLettered}, lost {Lost}; " +
        $"normal events accepted {NormalAccepted}, refused {NormalRefused}, stalls {Stalls} (2xx to receipt: median {Percentile(0.5).TotalSeconds:0.0} s, " +
        $"p95 {Percentile(0.95).TotalSeconds:0.0} s, slowest {SlowestNormal.TotalSeconds:0.0} s); " +
        $"{Elapsed.TotalSeconds:0} s");

    /// <summary>The problem types, the dead letters by reason and one line per category, then what failed by name.</summary>
    public string Breakdown()
    {
        var text = new StringBuilder();
        text.AppendLine("  4xx by problem type: " + Counts(_problems));
        text.AppendLine("  dead letters by queue and reason: " + Counts(_deadLetterReasons));
        foreach (var row in _rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {row.Category}: sent {row.Sent}, 4xx {row.Answered4xx}, 5xx {row.Failures}, accepted {row.Accepted}, delivered {row.Delivered}, " +
                $"dead-lettered {row.DeadLettered}, lost {row.Lost}, stalls after it {row.Stalls}");
        }

        List(text, "5xx or no answer", FailureCases);
        List(text, "lost", LostCases);
        List(text, "stalled normal events", StalledAfter);
        List(text, "sensitive data accepted from a reject publisher (informational)", SlippedPastReject);
        return text.ToString();
    }

    private static void List(StringBuilder text, string title, List<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  {title} ({items.Count}):");
        foreach (var item in items.Take(60))
        {
            text.AppendLine("    " + item.ReplaceLineEndings(" "));
        }

        if (items.Count > 60)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    ... and {items.Count - 60} more");
        }
    }

    private sealed class Row(string category)
    {
        public string Category { get; } = category;

        public int Sent { get; set; }

        public int Failures { get; set; }

        public int Answered4xx { get; set; }

        public int Accepted { get; set; }

        public int Delivered { get; set; }

        public int DeadLettered { get; set; }

        public int Lost { get; set; }

        public int Stalls { get; set; }
    }
}
