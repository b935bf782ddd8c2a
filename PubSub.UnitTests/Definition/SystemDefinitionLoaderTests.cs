using PubSub.Definition;

namespace PubSub.UnitTests.Definition;

public sealed class SystemDefinitionLoaderTests
{
    private const string Minimal = """
        {
          "name": "t",
          "events": { "table": "t-events", "retentionDays": 7, "archiveBucket": "t-archive" },
          "deadLetterQueues": { "ingestion": "t-ingestion-dlq", "publish": "t-publish-dlq" },
          "topics": [ { "name": "orders" } ],
          "routes": [ { "name": "r", "pattern": { "type": [ { "prefix": "order." } ] }, "topics": [ "orders" ] } ]
        }
        """;

    [Fact]
    public void The_repository_sample_definition_is_valid_and_declares_the_demo_system()
    {
        var definition = SystemDefinitionLoader.Load(Path.Combine(AppContext.BaseDirectory, "pubsub.json"));

        Assert.Equal(["orders", "customers", "alerts", "unrouted"], definition.Topics.Select(t => t.Name));
        Assert.Equal(["demo", "acme"], definition.Publishers.Select(p => p.Name));
        Assert.Equal("unrouted", definition.UnroutedTopic);
        Assert.Equal(["orders-demo", "customers-demo", "unrouted-demo", "alerts-demo", "http://localhost:5090/webhook"], definition.Subscriptions.Select(s => s.Endpoint));
        Assert.Equal([(true, "demo", "orders")], definition.Subscriptions.Where(s => s.IsWebhook).Select(s => (s.IsWebhook, s.Id, s.Topic)));
    }

    [Fact]
    public void A_minimal_definition_loads_with_comments_and_defaults()
    {
        var definition = SystemDefinitionLoader.Parse("// a comment\n" + Minimal);

        Assert.Equal("t-events", definition.Events.Table);
        Assert.Empty(definition.Publishers);
        Assert.Null(definition.UnroutedTopic);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var json = Minimal
            .Replace("\"topics\": [ \"orders\" ]", "\"topics\": [ \"nope\" ]", StringComparison.Ordinal)
            .Replace("{ \"name\": \"orders\" }", "{ \"name\": \"orders\" }, { \"name\": \"orders\" }", StringComparison.Ordinal)
            .Replace("\"retentionDays\": 7", "\"retentionDays\": 0", StringComparison.Ordinal);

        var error = Assert.Throws<SystemDefinitionException>(() => SystemDefinitionLoader.Parse(json, "test.json"));

        Assert.Contains("route 'r' targets topic 'nope', which is not declared", error.Errors);
        Assert.Contains("topic 'orders' is declared twice", error.Errors);
        Assert.Contains("events.retentionDays must be between 1 and 3650", error.Errors);
        Assert.Contains("test.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_route_pattern_is_refused_naming_the_route()
    {
        var json = Minimal.Replace("{ \"prefix\": \"order.\" }", "{ \"prefix\": 5 }", StringComparison.Ordinal);

        var error = Assert.Throws<SystemDefinitionException>(() => SystemDefinitionLoader.Parse(json));

        Assert.Contains(error.Errors, e => e.StartsWith("route 'r' has an invalid pattern: 'prefix'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"nmae\": \"x\",", "nmae")]
    [InlineData("", "name")]
    public void Unknown_or_missing_members_are_refused_with_their_path(string change, string mentioned)
    {
        var json = change.Length > 0
            ? Minimal.Replace("\"name\": \"t\",", change + "\"name\": \"t\",", StringComparison.Ordinal)
            : Minimal.Replace("\"name\": \"t\",", "", StringComparison.Ordinal);

        var error = Assert.Throws<SystemDefinitionException>(() => SystemDefinitionLoader.Parse(json));

        Assert.Contains(mentioned, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Subscriptions_must_name_declared_topics_and_known_protocols()
    {
        const string subscriptions = """ "subscriptions": [ { "topic": "ghost", "protocol": "pigeon", "endpoint": "q" } ], "routes" """;
        var json = Minimal.Replace("\"routes\"", subscriptions, StringComparison.Ordinal);

        var error = Assert.Throws<SystemDefinitionException>(() => SystemDefinitionLoader.Parse(json));

        Assert.Contains("a subscription targets topic 'ghost', which is not declared", error.Errors);
        Assert.Contains("subscription to 'ghost' has unknown protocol 'pigeon'", error.Errors);
    }

    [Fact]
    public void A_webhook_subscription_loads_with_its_settings_and_derived_names()
    {
        const string subscriptions = """
             "subscriptions": [ { "id": "billing-1", "topic": "orders", "protocol": "webhook", "endpoint": "https://hooks.example.com/in",
               "filterPolicy": { "type": ["order.created"] }, "rateLimit": 2.5, "timeoutSeconds": 60, "ordering": "partitionkey" } ], "routes"
            """;
        var definition = SystemDefinitionLoader.Parse(Minimal.Replace("\"routes\"", subscriptions, StringComparison.Ordinal));

        var webhook = Assert.Single(definition.Subscriptions);
        Assert.True(webhook.IsWebhook);
        Assert.Equal(("billing-1", 2.5, 60, "partitionkey"), (webhook.Id, webhook.RateLimit, webhook.TimeoutSeconds, webhook.Ordering));
        Assert.Equal("t-webhook-billing-1", WebhookNames.Queue(definition, "billing-1"));
        Assert.Equal("t-webhook-billing-1-dlq", WebhookNames.DeadLetterQueue(definition, "billing-1"));
        Assert.Equal("t-events-webhook-attempts", WebhookNames.AttemptsTable(definition));
        Assert.Equal("t-events-webhook-endpoints", WebhookNames.EndpointsTable(definition));
        Assert.Equal("/t/webhooks/billing-1/secret", WebhookNames.SecretParameter(definition, "billing-1"));
    }

    [Theory]
    [InlineData("\"id\": \"a\", \"endpoint\": \"http://localhost:5080/hook\"", null)]
    [InlineData("\"id\": \"a\", \"endpoint\": \"http://127.0.0.1:5080/hook\"", null)]
    [InlineData("\"id\": \"a\", \"endpoint\": \"http://[::1]:5080/hook\"", null)]
    [InlineData("\"id\": \"a\", \"endpoint\": \"http://hooks.example.com/in\"", "must be an https URL")]
    [InlineData("\"id\": \"a\", \"endpoint\": \"http://localhost.example.com/in\"", "must be an https URL")]
    [InlineData("\"id\": \"a\", \"endpoint\": \"https://user:pw@hooks.example.com/in\"", "without user info")]
    [InlineData("\"id\": \"a\", \"endpoint\": \"https://hooks.example.com/in#x\"", "without user info")]
    [InlineData("\"id\": \"a\", \"endpoint\": \"ftp://hooks.example.com/in\"", "must be an https URL")]
    [InlineData("\"id\": \"a\", \"endpoint\": \"/relative\"", "must be an https URL")]
    [InlineData("\"endpoint\": \"https://h.example.com/\"", "id must be 1-40")]
    [InlineData("\"id\": \"Upper\", \"endpoint\": \"https://h.example.com/\"", "id must be 1-40")]
    [InlineData("\"id\": \"-a\", \"endpoint\": \"https://h.example.com/\"", "id must be 1-40")]
    [InlineData("\"id\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", \"endpoint\": \"https://h.example.com/\"", "id must be 1-40")]
    [InlineData("\"id\": \"a\", \"endpoint\": \"https://h.example.com/\", \"rateLimit\": 0", "rateLimit must be more than 0")]
    [InlineData("\"id\": \"a\", \"endpoint\": \"https://h.example.com/\", \"rateLimit\": 10001", "rateLimit must be more than 0")]
    [InlineData("\"id\": \"a\", \"endpoint\": \"https://h.example.com/\", \"timeoutSeconds\": 0", "timeoutSeconds must be between 1 and 60")]
    [InlineData("\"id\": \"a\", \"endpoint\": \"https://h.example.com/\", \"timeoutSeconds\": 61", "timeoutSeconds must be between 1 and 60")]
    [InlineData("\"id\": \"a\", \"endpoint\": \"https://h.example.com/\", \"ordering\": \"fifo\"", "ordering must be none or partitionkey")]
    [InlineData("\"id\": \"a\", \"endpoint\": \"https://h.example.com/\", \"rawMessageDelivery\": true", "rawMessageDelivery is implied")]
    public void Webhook_subscriptions_are_checked(string members, string? error)
    {
        var subscriptions = $$""" "subscriptions": [ { "topic": "orders", "protocol": "webhook", {{members}} } ], "routes" """;
        var json = Minimal.Replace("\"routes\"", subscriptions, StringComparison.Ordinal);

        if (error is null)
        {
            Assert.True(SystemDefinitionLoader.Parse(json).Subscriptions[0].IsWebhook);
        }
        else
        {
            var refused = Assert.Throws<SystemDefinitionException>(() => SystemDefinitionLoader.Parse(json));
            Assert.Contains(refused.Errors, e => e.Contains(error, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Webhook_ids_are_unique_fit_a_queue_name_and_webhook_settings_belong_to_webhooks_only()
    {
        var longName = Minimal.Replace("\"name\": \"t\"", $"\"name\": \"{new string('n', 40)}\"", StringComparison.Ordinal);
        const string subscriptions = """
             "subscriptions": [
               { "id": "same", "topic": "orders", "protocol": "webhook", "endpoint": "https://a.example.com/" },
               { "id": "same", "topic": "orders", "protocol": "webhook", "endpoint": "https://b.example.com/" },
               { "id": "long-enough-to-overflow-the-queue-name", "topic": "orders", "protocol": "webhook", "endpoint": "https://c.example.com/" },
               { "topic": "orders", "protocol": "sqs", "endpoint": "q", "rateLimit": 5 } ], "routes"
            """;

        var error = Assert.Throws<SystemDefinitionException>(() => SystemDefinitionLoader.Parse(longName.Replace("\"routes\"", subscriptions, StringComparison.Ordinal)));

        Assert.Contains("webhook subscription 'same' is declared twice", error.Errors);
        Assert.Contains(error.Errors, e => e.Contains("is longer than SQS allows (80)", StringComparison.Ordinal));
        Assert.Contains("subscription to 'orders': id, rateLimit, timeoutSeconds and ordering are for webhook subscriptions only", error.Errors);
    }

    [Fact]
    public void Find_looks_in_parent_directories()
    {
        var root = Directory.CreateTempSubdirectory();
        try
        {
            var nested = Directory.CreateDirectory(Path.Combine(root.FullName, "a", "b"));
            File.WriteAllText(Path.Combine(root.FullName, SystemDefinitionLoader.DefaultFileName), Minimal);

            Assert.Equal(Path.Combine(root.FullName, SystemDefinitionLoader.DefaultFileName), SystemDefinitionLoader.Find(nested.FullName));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_publishers_source_prefixes_are_read_and_an_empty_or_repeated_prefix_is_refused_naming_the_publisher()
    {
        var valid = SystemDefinitionLoader.Parse(Minimal.TrimEnd().TrimEnd('}') +
            ""","publishers": [ { "name": "acme", "sources": [ "https://acme.example/", "urn:acme:" ] }, { "name": "any" } ] }""");
        var invalid = Minimal.TrimEnd().TrimEnd('}') +
            ""","publishers": [ { "name": "a", "sources": [] }, { "name": "b", "sources": [ "", "x", "x", "y\u0007" ] } ] }""";

        var error = Assert.Throws<SystemDefinitionException>(() => SystemDefinitionLoader.Parse(invalid));

        Assert.Equal(["https://acme.example/", "urn:acme:"], valid.Publishers[0].Sources!);
        Assert.Null(valid.Publishers[1].Sources);
        Assert.Contains(error.Errors, e => e.StartsWith("publisher 'a': sources must list at least one prefix", StringComparison.Ordinal));
        Assert.Contains("publisher 'b': sources[0] must be 1-1024 characters without control characters", error.Errors);
        Assert.Contains("publisher 'b': sources[3] must be 1-1024 characters without control characters", error.Errors);
        Assert.Contains("publisher 'b': source prefix 'x' is declared twice", error.Errors);
    }

    [Theory]
    [InlineData("https://acme.example/orders", true)]
    [InlineData("urn:acme:billing", true)]
    [InlineData("acme", true)]
    [InlineData("demo", false)]
    [InlineData("https://acme.example.evil/", false)]
    [InlineData("HTTPS://ACME.EXAMPLE/orders", false)]
    public void A_source_is_allowed_when_it_starts_with_a_declared_prefix_or_is_the_publishers_own_name(string source, bool allowed)
    {
        var publisher = new PublisherDefinition("acme", Sources: ["https://acme.example/", "urn:acme:"]);

        Assert.Equal(allowed, publisher.AllowsSource(source));
        Assert.True(new PublisherDefinition("demo").AllowsSource("acme"));
    }
}
