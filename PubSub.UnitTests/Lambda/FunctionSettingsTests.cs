using PubSub.Functions;

namespace PubSub.UnitTests.Lambda;

/// <summary>What the functions read from the environment CloudFormation gives them.</summary>
public sealed class FunctionSettingsTests
{
    private static readonly string Root = Path.GetDirectoryName(Path.Combine(AppContext.BaseDirectory, "pubsub.json"))!;

    private static FunctionSettings Read(Dictionary<string, string> variables) =>
        FunctionSettings.FromEnvironment(name => variables.GetValueOrDefault(name) ?? (name == "LAMBDA_TASK_ROOT" ? Root : null));

    [Fact]
    public void The_stacks_names_win_over_the_definitions_and_topic_arns_come_from_the_prefix()
    {
        var settings = Read(new()
        {
            ["AWS_REGION"] = "eu-west-1",
            ["PUBSUB_EVENTS_TABLE"] = "prod-events",
            ["PUBSUB_ARCHIVE_BUCKET"] = "prod-archive-123",
            ["PUBSUB_TOPIC_ARN_PREFIX"] = "arn:aws:sns:eu-west-1:123456789012:",
            ["PUBSUB_API_KEYS"] = "k1=demo, k2=acme",
            ["PUBSUB_INGESTION_DLQ_URL"] = "https://sqs.eu-west-1.amazonaws.com/123456789012/dlq",
            ["PUBSUB_LOG_LEVEL"] = "warning",
            ["PUBSUB_API_ID"] = "a1b2c3d4e5",
            ["PUBSUB_API_STAGE"] = "live",
            ["PUBSUB_ACCOUNT_ID"] = "123456789012",
        });

        Assert.Equal(("eu-west-1", "prod-events", "prod-archive-123"), (settings.Region, settings.Definition.Events.Table, settings.Definition.Events.ArchiveBucket));
        Assert.Equal("arn:aws:sns:eu-west-1:123456789012:orders", settings.TopicArns["orders"]);
        Assert.Equal(settings.Definition.Topics.Count, settings.TopicArns.Count);
        Assert.Equal(("demo", "acme"), (settings.PublishersByApiKeyId["k1"], settings.PublishersByApiKeyId["k2"]));
        Assert.Equal("https://sqs.eu-west-1.amazonaws.com/123456789012/dlq", settings.IngestionDeadLetterQueueUrl);
        Assert.Null(settings.PublishDeadLetterQueueUrl);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, settings.LogLevel);
        Assert.Equal(("a1b2c3d4e5", "live", "123456789012"), (settings.ApiId, settings.ApiStage, settings.AccountId));
    }

    [Fact]
    public void Without_the_stacks_variables_the_definitions_names_are_used_and_topics_are_looked_up()
    {
        var settings = Read(new() { ["AWS_REGION"] = "us-east-1" }); // Lambda always sets it

        Assert.Equal("pubsub-events", settings.Definition.Events.Table);
        Assert.Empty(settings.TopicArns);
        Assert.Empty(settings.PublishersByApiKeyId);
    }

    [Theory]
    [InlineData("k1")]
    [InlineData("=demo")]
    [InlineData("k1=")]
    public void A_malformed_key_map_is_refused_naming_the_pair(string pair)
    {
        var error = Assert.Throws<FormatException>(() => FunctionSettings.ParseApiKeys($"k0=ok,{pair}"));

        Assert.Contains($"'{pair}'", error.Message, StringComparison.Ordinal);
    }
}
