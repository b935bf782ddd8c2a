using System.Text.Json;

namespace PubSub.IntegrationTests.Cli;

/// <summary><c>pubsub cfn generate|lint</c> as a user runs them; they need no AWS endpoint. The linter
/// uses the specification the tool ships with.</summary>
public sealed class CfnCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pubsub-cfn-").FullName;

    private static string Definition => Path.Combine(AppContext.BaseDirectory, "pubsub.json");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_generated_template_lints_clean_and_check_passes_until_the_definition_changes()
    {
        var template = Path.Combine(_folder, "pubsub.template.json");
        var generate = await CliRunner.RunAsync(null, "cfn", "generate", "--definition", Definition, "-o", template);
        var lint = await CliRunner.RunAsync(null, "cfn", "lint", template);
        var fresh = await CliRunner.RunAsync(null, "cfn", "generate", "--definition", Definition, "-o", template, "--check");
        var changed = Path.Combine(_folder, "pubsub.json");
        File.WriteAllText(changed, File.ReadAllText(Definition).Replace("\"name\": \"acme\"", "\"name\": \"acme2\"", StringComparison.Ordinal));
        var stale = await CliRunner.RunAsync(null, "cfn", "generate", "--definition", changed, "-o", template, "--check");

        Assert.True(generate.ExitCode == 0, generate.Stderr);
        Assert.True(lint.ExitCode == 0, lint.Stdout + lint.Stderr);
        Assert.Contains("0 error(s)", lint.Stdout, StringComparison.Ordinal);
        Assert.True(fresh.ExitCode == 0, fresh.Stderr);
        Assert.Equal(1, stale.ExitCode);
        Assert.Contains("out of date", stale.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_local_webhook_subscription_is_left_out_of_the_stack_with_a_warning()
    {
        var definition = Path.Combine(_folder, "pubsub.json");
        File.WriteAllText(definition, File.ReadAllText(Definition).Replace("""
            "subscriptions": [
            """, """
            "subscriptions": [
                { "topic": "orders", "protocol": "webhook", "id": "local-test", "endpoint": "http://localhost:5080/webhooks" },
                { "topic": "orders", "protocol": "webhook", "id": "billing", "endpoint": "https://billing.example.com/hooks" },
            """, StringComparison.Ordinal));
        var template = Path.Combine(_folder, "pubsub.template.json");

        var generate = await CliRunner.RunAsync(null, "cfn", "generate", "--definition", definition, "-o", template);
        var lint = await CliRunner.RunAsync(null, "cfn", "lint", template);

        Assert.True(generate.ExitCode == 0, generate.Stderr);
        Assert.Contains("webhook subscription 'local-test' (http://localhost:5080/webhooks) is for local runs: left out", generate.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("'billing'", generate.Stderr, StringComparison.Ordinal);
        var text = File.ReadAllText(template);
        Assert.Contains("WebhookBillingQueue", text, StringComparison.Ordinal);
        Assert.DoesNotContain("WebhookLocalTest", text, StringComparison.Ordinal);
        Assert.True(lint.ExitCode == 0, lint.Stdout + lint.Stderr);
    }

    [Fact]
    public async Task A_broken_template_exits_1_naming_each_error_and_json_output_counts_them()
    {
        var broken = Path.Combine(_folder, "broken.json");
        File.WriteAllText(broken, """
            { "Resources": {
                "Queue": { "Type": "AWS::SQS::Queue", "Properties": { "VisibilityTimeout": "long", "Colour": "red" } },
                "Topic": { "Type": "AWS::SNS::Topic", "Properties": { "KmsMasterKeyId": { "Fn::GetAtt": ["Queue", "Url"] } } } } }
            """);

        var text = await CliRunner.RunAsync(null, "cfn", "lint", broken);
        var json = await CliRunner.RunAsync(null, "cfn", "lint", broken, "--json");

        Assert.Equal(1, text.ExitCode);
        Assert.Contains("Resources/Queue/Properties/VisibilityTimeout: Expected an integer", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("Unknown property 'Colour'", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("AWS::SQS::Queue has no attribute 'Url'", text.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, json.ExitCode);
        Assert.Equal(3, JsonDocument.Parse(json.Stdout).RootElement.GetProperty("errors").GetInt32());
    }

    [Fact]
    public async Task A_yaml_template_with_short_forms_is_linted_like_json()
    {
        var broken = Path.Combine(_folder, "broken.template.yaml");
        File.WriteAllText(broken, """
            Resources:
              Key:
                Type: AWS::KMS::Key
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: !Sub ${AWS::StackName}-queue
                  KmsMasterKeyId: !GetAtt Key.Id
            """);

        var text = await CliRunner.RunAsync(null, "cfn", "lint", broken);

        Assert.Equal(1, text.ExitCode);
        Assert.Contains("Resources/Queue/Properties/KmsMasterKeyId", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("AWS::KMS::Key has no attribute 'Id'", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_or_specification_exits_2_with_one_line()
    {
        var missing = await CliRunner.RunAsync(null, "cfn", "lint", Path.Combine(_folder, "nope.json"));
        var noSpec = await CliRunner.RunAsync(null, "cfn", "lint", "--spec", Path.Combine(_folder, "db.json.gz"), Definition);

        Assert.Equal(2, missing.ExitCode);
        Assert.Single(missing.Stderr.Trim().Split('\n'));
        Assert.Equal(2, noSpec.ExitCode);
        Assert.Contains("No specification", noSpec.Stderr, StringComparison.Ordinal);
    }
}
