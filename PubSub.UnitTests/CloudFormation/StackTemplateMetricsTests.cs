using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PubSub.CloudFormation.Generation;
using PubSub.Functions.Metrics;

namespace PubSub.UnitTests.CloudFormation;

/// <summary>The functions' embedded metrics in the stack: their namespace, an alarm per publisher on its
/// sensitive findings, and the dashboard built from the definition, which must name only metrics and
/// dimension sets the functions write.</summary>
public sealed partial class StackTemplateMetricsTests
{
    private const string Namespace = "PubSub/${AWS::StackName}";

    private static JsonObject Generate(string publishers = "") => StackTemplate.Generate(StackTemplateTests.Definition(publishers: publishers));

    /// <summary>The dashboard body with each Fn::Sub reference (<c>${X}</c>) replaced by <c>REF(X)</c>, and the references.</summary>
    private static (JsonObject Body, List<string> References) Dashboard(JsonObject template)
    {
        var text = template["Resources"]!["Dashboard"]!["Properties"]!["DashboardBody"]!["Fn::Sub"]!.GetValue<string>();
        var references = SubReference().Matches(text).Select(m => m.Groups[1].Value).ToList();
        return (JsonNode.Parse(SubReference().Replace(text, "REF($1)"))!.AsObject(), references);
    }

    /// <summary>The graphs' metrics named one by one (a search expression, an array holding one object, is not one).</summary>
    private static IEnumerable<JsonArray> Metrics(JsonObject body) =>
        body["widgets"]!.AsArray().SelectMany(w => w!["properties"]!["metrics"]!.AsArray()).Select(m => m!.AsArray()).Where(m => m[0] is JsonValue);

    [GeneratedRegex(@"\$\{([^!}][^}]*)\}")]
    private static partial Regex SubReference();

    [Fact]
    public void Both_functions_write_their_metrics_to_the_stacks_namespace()
    {
        var resources = Generate()["Resources"]!;

        foreach (var function in new[] { "IngestionFunction", "StreamPublisherFunction" })
        {
            var variables = resources[function]!["Properties"]!["Environment"]!["Variables"]!;
            Assert.Equal(Namespace, variables[EmbeddedMetricsListener.NamespaceVariable]!["Fn::Sub"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Each_publisher_has_an_alarm_on_its_sensitive_findings_alone_with_the_runbook()
    {
        var template = Generate(publishers: """, { "name": "old-partner", "enabled": false }""");
        var resources = template["Resources"]!.AsObject();

        var alarms = resources.Where(r => r.Key.StartsWith("SensitiveFindings", StringComparison.Ordinal)).ToList();

        Assert.Equal(["SensitiveFindingsAcmeAlarm", "SensitiveFindingsOldPartnerAlarm"], alarms.Select(a => a.Key).Order(StringComparer.Ordinal));
        var alarm = resources["SensitiveFindingsOldPartnerAlarm"]!;
        Assert.Equal("AWS::CloudWatch::Alarm", alarm["Type"]!.GetValue<string>());
        var properties = alarm["Properties"]!;
        Assert.Equal(Namespace, properties["Namespace"]!["Fn::Sub"]!.GetValue<string>());
        Assert.Equal("pubsub.ingestion.sensitive", properties["MetricName"]!.GetValue<string>());
        var dimension = Assert.Single(properties["Dimensions"]!.AsArray())!;
        Assert.Equal("publisher", dimension["Name"]!.GetValue<string>());
        Assert.Equal("old-partner", dimension["Value"]!.GetValue<string>());
        Assert.Contains(["publisher"], EmbeddedMetricCatalog.ByName["pubsub.ingestion.sensitive"].DimensionSets);
        Assert.Equal("Sum", properties["Statistic"]!.GetValue<string>());
        Assert.Equal("GreaterThanThreshold", properties["ComparisonOperator"]!.GetValue<string>());
        Assert.Equal("SensitiveFindingsAlarmThreshold", properties["Threshold"]!["Ref"]!.GetValue<string>());
        Assert.Equal("SensitiveFindingsAlarmPeriodSeconds", properties["Period"]!["Ref"]!.GetValue<string>());
        Assert.Equal("TopicAlerts", properties["AlarmActions"]![0]!["Ref"]!.GetValue<string>());
        Assert.Contains("Speak with the publisher", properties["AlarmDescription"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("old-partner", properties["AlarmDescription"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.InRange(properties["AlarmDescription"]!.GetValue<string>().Length, 1, 1024); // CloudWatch's limit
    }

    [Fact]
    public void The_threshold_and_period_are_stack_parameters()
    {
        var parameters = Generate()["Parameters"]!;

        Assert.Equal("0", parameters["SensitiveFindingsAlarmThreshold"]!["Default"]!.GetValue<string>());
        Assert.Equal("Number", parameters["SensitiveFindingsAlarmThreshold"]!["Type"]!.GetValue<string>());
        Assert.Equal("300", parameters["SensitiveFindingsAlarmPeriodSeconds"]!["Default"]!.GetValue<string>());
        Assert.Equal(["60", "300", "900", "3600"], parameters["SensitiveFindingsAlarmPeriodSeconds"]!["AllowedValues"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public void The_dashboard_shows_each_publisher_topic_route_queue_and_function_of_the_stack()
    {
        var template = Generate();
        var (body, references) = Dashboard(template);
        var metrics = Metrics(body).Select(m => m.ToJsonString()).ToList();

        string[] expected =
        [
            """["PubSub/REF(AWS::StackName)","pubsub.ingestion.events","publisher","acme","outcome","rejected",""",
            """["PubSub/REF(AWS::StackName)","pubsub.ingestion.sensitive","publisher","acme",""",
            """["PubSub/REF(AWS::StackName)","pubsub.publisher.messages","topic","orders",""",
            """["PubSub/REF(AWS::StackName)","pubsub.publisher.dead_lettered","topic","alerts",""",
            """["AWS/SQS","ApproximateNumberOfMessagesVisible","QueueName","REF(PublishDeadLetterQueue.QueueName)",""",
            """["AWS/Lambda","Throttles","FunctionName","REF(IngestionFunction)",""",
            """["AWS/Lambda","IteratorAge","FunctionName","REF(StreamPublisherFunction)",""",
            """["AWS/ApiGateway","5XXError","ApiName","REF(AWS::StackName)-ingestion","Stage","REF(StageName)"]""",
        ];
        Assert.All(expected, e => Assert.Contains(metrics, m => m.Contains(e, StringComparison.Ordinal)));

        // Every reference is a resource, a parameter or a pseudo parameter of the template.
        var names = template["Resources"]!.AsObject().Select(r => r.Key).Concat(template["Parameters"]!.AsObject().Select(p => p.Key)).ToHashSet();
        Assert.All(references, r => Assert.True(r.StartsWith("AWS::", StringComparison.Ordinal) || names.Contains(r.Split('.')[0]), r));
    }

    [Fact]
    public void The_dashboard_names_only_metrics_and_dimension_sets_the_functions_write()
    {
        var (body, _) = Dashboard(Generate());

        foreach (var metric in Metrics(body).Where(m => m[0]!.GetValue<string>() == "PubSub/REF(AWS::StackName)"))
        {
            var name = metric[1]!.GetValue<string>();
            var dimensions = metric.Skip(2).Where(n => n is JsonValue).Select(n => n!.GetValue<string>()).Where((_, i) => i % 2 == 0).ToArray();
            Assert.True(EmbeddedMetricCatalog.ByName.TryGetValue(name, out var written), name);
            Assert.Contains(written.DimensionSets, set => set.Order(StringComparer.Ordinal).SequenceEqual(dimensions.Order(StringComparer.Ordinal)));
        }
    }

    [Fact]
    public void With_many_publishers_the_graphs_split_and_the_body_stays_small()
    {
        var many = string.Concat(Enumerable.Range(0, 120).Select(i => $$""", { "name": "publisher-{{i:D3}}" }"""));
        var template = Generate(many);
        var (body, _) = Dashboard(template);
        var text = template["Resources"]!["Dashboard"]!["Properties"]!["DashboardBody"]!["Fn::Sub"]!.GetValue<string>();

        var widgets = body["widgets"]!.AsArray();
        Assert.All(widgets, w => Assert.InRange(w!["properties"]!["metrics"]!.AsArray().Count, 1, StackTemplate.MaxMetricsPerGraph));
        Assert.InRange(widgets.Count, 1, 500);
        Assert.Equal(121, Metrics(body).Count(m => m[1]!.GetValue<string>() == "pubsub.ingestion.sensitive"));
        Assert.Contains(widgets, w => w!["properties"]!["title"]!.GetValue<string>() == "Sensitive-data findings by publisher (3 of 3)");

        // Far below CloudFormation's 1 MB template limit (the packaged template goes through S3).
        Assert.InRange(text.Length, 1, 100_000);
        Assert.InRange(StackTemplate.ToJson(template).Length, 1, 1_000_000);
    }

    /// <summary>Thousands of routes (or publishers, or topics) give one graph of the busiest by a search instead of a line
    /// each: the dashboard and the template stay far below CloudFormation's limits whatever the definition's size.</summary>
    [Fact]
    public void With_thousands_of_routes_the_dashboard_shows_the_busiest_by_search_and_stays_small()
    {
        var routes = string.Join(",", Enumerable.Range(0, 5000).Select(i => $$"""{ "name": "route-{{i:D4}}", "pattern": { "type": [ "t{{i}}" ] }, "topics": [ "orders" ] }"""));
        var template = StackTemplate.Generate(PubSub.Definition.SystemDefinitionLoader.Parse(DefinitionWithRoutes(routes)));
        var (body, _) = Dashboard(template);
        var text = template["Resources"]!["Dashboard"]!["Properties"]!["DashboardBody"]!["Fn::Sub"]!.GetValue<string>();

        var routeGraph = Assert.Single(body["widgets"]!.AsArray(), w => w!["properties"]!["title"]!.GetValue<string>().StartsWith("Events matched by route", StringComparison.Ordinal));
        Assert.Equal("Events matched by route: the 50 highest of 5000", routeGraph!["properties"]!["title"]!.GetValue<string>());
        var expression = Assert.Single(routeGraph["properties"]!["metrics"]!.AsArray())![0]!["expression"]!.GetValue<string>();
        Assert.Equal("""SORT(SEARCH('{"PubSub/REF(AWS::StackName)",route} MetricName="pubsub.publisher.routed"', 'Sum', 300), SUM, DESC, 50)""", expression);
        Assert.DoesNotContain(Metrics(body), m => m[1]!.GetValue<string>() == "pubsub.publisher.routed");
        Assert.InRange(text.Length, 1, 20_000);
        Assert.InRange(StackTemplate.ToJson(template).Length, 1, 200_000);
    }

    [Fact]
    public void A_search_keeps_the_fixed_dimensions_of_the_metric_it_replaces()
    {
        var many = string.Concat(Enumerable.Range(0, 250).Select(i => $$""", { "name": "publisher-{{i:D3}}" }"""));
        var (body, _) = Dashboard(Generate(many));

        var accepted = Assert.Single(body["widgets"]!.AsArray(), w => w!["properties"]!["title"]!.GetValue<string>().StartsWith("Accepted events by publisher", StringComparison.Ordinal));
        Assert.Equal("""SORT(SEARCH('{"PubSub/REF(AWS::StackName)",publisher,outcome} MetricName="pubsub.ingestion.events" outcome="accepted"', 'Sum', 300), SUM, DESC, 50)""",
            accepted!["properties"]!["metrics"]![0]![0]!["expression"]!.GetValue<string>());
    }

    /// <summary>A small definition with <paramref name="routes"/>.</summary>
    private static string DefinitionWithRoutes(string routes) => $$"""
        {
          "name": "shop",
          "events": { "table": "shop-events", "retentionDays": 7, "archiveBucket": "shop-archive" },
          "deadLetterQueues": { "ingestion": "shop-ingestion-dlq", "publish": "shop-publish-dlq" },
          "topics": [ { "name": "alerts" }, { "name": "orders" } ],
          "alertsTopic": "alerts",
          "routes": [ {{routes}} ],
          "publishers": [ { "name": "acme", "plan": { "rateLimit": 5, "burstLimit": 10 } } ]
        }
        """;
}
