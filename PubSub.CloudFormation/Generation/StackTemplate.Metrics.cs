using System.Text.Json;
using System.Text.Json.Nodes;

namespace PubSub.CloudFormation.Generation;

public sealed partial class StackTemplate
{
    /// <summary>Where both functions put their embedded-metric-format metrics (their PUBSUB_METRICS_NAMESPACE):
    /// one namespace per stack, so that two stacks in one account do not add up.</summary>
    internal const string MetricsNamespace = "PubSub/${AWS::StackName}";

    private const string Dashboard = "Dashboard";

    /// <summary>Metrics per dashboard graph: CloudWatch draws up to 500, a person reads far fewer.</summary>
    internal const int MaxMetricsPerGraph = 50;

    /// <summary>Graphs of one set of names (publishers, topics, routes) before the set is shown as its busiest by a search.</summary>
    internal const int MaxGraphsPerSet = 4;

    /// <summary>The functions' own metrics in CloudWatch: an alarm per publisher on its sensitive findings, and
    /// a dashboard of the API, the publishers, topics and routes of the definition, the queues and the functions.</summary>
    private void AddMetrics()
    {
        Parameter("SensitiveFindingsAlarmThreshold", "Number",
            "Sensitive-data findings of one publisher within the alarm period above which its alarm fires; 0 alarms on any finding.", "0");
        Parameter("SensitiveFindingsAlarmPeriodSeconds", "Number", "The period over which a publisher's sensitive-data findings are summed.", "300",
            "60", "300", "900", "3600");
        foreach (var publisher in _definition.Publishers)
        {
            var alarm = Alarm(LogicalIds.Of("SensitiveFindings", publisher.Name, "Alarm"),
                $"Publisher {publisher.Name} sent events with sensitive data (findings above SensitiveFindingsAlarmThreshold in the period). "
                + "Speak with the publisher: the ingestion function's log names the events and the detectors, never the data (Logs Insights: "
                + $"filter message like \"Sensitive data in event\" and message like \"from {publisher.Name}:\"), and the publisher's sensitiveData policy in the definition "
                + "says whether they were refused, redacted or stored. Have the publisher stop sending it at the source.",
                Fn.Sub(MetricsNamespace), "pubsub.ingestion.sensitive", "Sum",
                Fn.List(Dimension("publisher", publisher.Name)), Fn.Ref("SensitiveFindingsAlarmThreshold"));
            alarm["Properties"]!["Period"] = Fn.Ref("SensitiveFindingsAlarmPeriodSeconds");
        }

        Resource(Dashboard, "AWS::CloudWatch::Dashboard", new JsonObject
        {
            // No DashboardName: dashboards are global to the account, and CloudFormation's generated name cannot collide
            // with a replica region's stack of the same name (the DashboardUrl output gives it).
            ["DashboardBody"] = Fn.Sub(DashboardBody().ToJsonString(new JsonSerializerOptions
            {
                Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            })),
        });
        Output("DashboardUrl", "The stack's CloudWatch dashboard.",
            Fn.Sub($"https://${{AWS::Region}}.console.${{AWS::URLSuffix}}/cloudwatch/home?region=${{AWS::Region}}#dashboards:name=${{{Dashboard}}}"));
    }

    /// <summary>The dashboard, for Fn::Sub: <c>${...}</c> are the stack's names. A name from the definition needs
    /// no escaping: the definition allows letters, digits, '-', '_' and '.' only.</summary>
    private JsonObject DashboardBody()
    {
        var widgets = new List<JsonObject>();
        void Graph(string title, string stat, IEnumerable<JsonArray> metrics)
        {
            var all = metrics.ToList();
            var parts = all.Chunk(MaxMetricsPerGraph).ToList();
            for (var i = 0; i < parts.Count; i++)
            {
                widgets.Add(Widget(parts.Count == 1 ? title : $"{title} ({i + 1} of {parts.Count})", stat, parts[i]));
            }
        }

        // One line per name of the definition while a person can read them; past MaxGraphsPerSet graphs' worth, one graph of
        // the busiest, found by a search: a line per name made the dashboard grow with the definition (5,000 routes gave a
        // 765 KB body and a template over CloudFormation's 1 MB limit).
        void PerName(string title, string stat, string metricName, string dimension, IReadOnlyList<string> names, params string[] fixedDimensions)
        {
            if (names.Count <= MaxMetricsPerGraph * MaxGraphsPerSet)
            {
                Graph(title, stat, names.Select(n => Metric(MetricsNamespace, metricName, [dimension, n, .. fixedDimensions], label: n)));
                return;
            }

            widgets.Add(Widget($"{title}: the {MaxMetricsPerGraph} highest of {names.Count}", stat,
                [BusiestBySearch(metricName, stat, dimension, fixedDimensions)]));
        }

        const string api = "AWS/ApiGateway";
        var apiDimensions = new[] { "ApiName", "${AWS::StackName}-ingestion", "Stage", "${StageName}" };
        Graph("API: 4XX and 5XX answers", "Sum", [Metric(api, "4XXError", apiDimensions), Metric(api, "5XXError", apiDimensions)]);
        Graph("API: latency (p50, p99)", "p99", [Metric(api, "Latency", apiDimensions, "p50"), Metric(api, "Latency", apiDimensions, "p99")]);

        var publishers = _definition.Publishers.Select(p => p.Name).ToList();
        PerName("Accepted events by publisher", "Sum", "pubsub.ingestion.events", "publisher", publishers, "outcome", "accepted");
        PerName("Refused events by publisher", "Sum", "pubsub.ingestion.events", "publisher", publishers, "outcome", "rejected");
        PerName("Sensitive-data findings by publisher", "Sum", "pubsub.ingestion.sensitive", "publisher", publishers);
        PerName("Events per request, by publisher (average)", "Average", "pubsub.ingestion.batch.size", "publisher", publishers);

        var topics = _definition.Topics.Select(t => t.Name).ToList();
        PerName("Messages published by topic", "Sum", "pubsub.publisher.messages", "topic", topics);
        PerName("Messages dead-lettered by topic", "Sum", "pubsub.publisher.dead_lettered", "topic", topics);
        PerName("Events matched by route", "Sum", "pubsub.publisher.routed", "route", [.. _definition.Routes.Select(r => r.Name)]);

        // The webhooks' DLQs have graphs of their own (WebhookWidgets).
        var webhookDlqs = Webhooks.Select(w => WebhookId(w.Id!, "DeadLetterQueue")).ToHashSet(StringComparer.Ordinal);
        Graph("Dead-letter queue depths", "Maximum", _deadLetterQueues.Where(q => !webhookDlqs.Contains(q.Id)).Select(q =>
            Metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", ["QueueName", $"${{{q.Id}.QueueName}}"], label: q.Id)));

        foreach (var (metric, stat) in new[] { ("Errors", "Sum"), ("Throttles", "Sum"), ("Duration", "p99") })
        {
            Graph($"Functions: {metric.ToLowerInvariant()} ({stat})", stat,
                _functions.Select(f => Metric("AWS/Lambda", metric, ["FunctionName", $"${{{f}}}"], label: f)));
        }

        Graph("Stream publisher: iterator age and lag (maximum, seconds for lag)", "Maximum",
        [
            Metric("AWS/Lambda", "IteratorAge", ["FunctionName", $"${{{StreamPublisherFunction}}}"], label: "IteratorAge (ms)"),
            Metric(MetricsNamespace, "pubsub.publisher.lag", [], label: "pubsub.publisher.lag (s)"),
            Metric(MetricsNamespace, "pubsub.publisher.batch.size", [], "Average", "records per batch (average)"),
        ]);

        widgets.AddRange(WebhookWidgets());

        // Two graphs a row, in order.
        for (var i = 0; i < widgets.Count; i++)
        {
            widgets[i]["x"] = i % 2 * 12;
            widgets[i]["y"] = i / 2 * 6;
        }

        return new JsonObject { ["start"] = "-PT6H", ["periodOverride"] = "inherit", ["widgets"] = new JsonArray([.. widgets]) };
    }

    private static JsonObject Widget(string title, string stat, JsonArray[] metrics) => new()
    {
        ["type"] = "metric",
        ["width"] = 12,
        ["height"] = 6,
        ["properties"] = new JsonObject
        {
            ["title"] = title,
            ["region"] = "${AWS::Region}",
            ["view"] = "timeSeries",
            ["stat"] = stat,
            ["period"] = 300,
            ["metrics"] = new JsonArray([.. metrics]),
        },
    };

    /// <summary>The <see cref="MaxMetricsPerGraph"/> series of a metric with the highest sum over the graph's range, one per
    /// value of <paramref name="dimension"/>, found by a CloudWatch search expression (SEARCH within SORT) over the
    /// stack's namespace; <paramref name="fixedDimensions"/> (name, value pairs) narrow the search.</summary>
    private static JsonArray BusiestBySearch(string metricName, string stat, string dimension, string[] fixedDimensions)
    {
        var schema = string.Join(",", new[] { dimension }.Concat(fixedDimensions.Where((_, i) => i % 2 == 0)));
        var filters = string.Concat(fixedDimensions.Chunk(2).Select(pair => $" {pair[0]}=\"{pair[1]}\""));
        var search = $"SEARCH('{{\"{MetricsNamespace}\",{schema}}} MetricName=\"{metricName}\"{filters}', '{stat}', 300)";
        return Expression("busiest", $"SORT({search}, SUM, DESC, {MaxMetricsPerGraph})");
    }

    /// <summary>A graph's line (or lines) from a metric math or search expression.</summary>
    private static JsonArray Expression(string id, string expression) => new(new JsonObject { ["expression"] = expression, ["label"] = "", ["id"] = id });

    /// <summary>A dashboard metric: namespace, name, dimension name and value pairs, then its own stat and label.</summary>
    private static JsonArray Metric(string metricNamespace, string name, string[] dimensions, string? stat = null, string? label = null)
    {
        var metric = new JsonArray(metricNamespace, name);
        foreach (var part in dimensions)
        {
            metric.Add((JsonNode?)JsonValue.Create(part));
        }

        var options = new JsonObject();
        if (stat is not null)
        {
            options["stat"] = stat;
        }

        if (label is not null)
        {
            options["label"] = label;
        }

        if (options.Count > 0)
        {
            metric.Add((JsonNode?)options);
        }

        return metric;
    }
}
