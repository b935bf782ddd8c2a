using Amazon.SimpleSystemsManagement.Model;
using PubSub.Definition;
using PubSub.IntegrationTests.Cli;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.Webhooks.Signing;
using PubSub.Webhooks.Worker;

namespace PubSub.IntegrationTests.Webhooks;

/// <summary>The webhook secrets in AWS (an SSM SecureString parameter, one secret a line) against moto_server, which
/// serves SSM: <c>pubsub webhooks rotate-secret</c> without <c>--local</c> keeps the previous secret signing for the
/// rotation window (24 h, as locally) and the worker's source stops using it once the window ends; the next rotation
/// drops it.</summary>
[Collection(MotoCollection.Name)]
public sealed class SsmSecretRotationTests(MotoFixture moto) : IRunsOnMoto, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pubsub-ssm-rotation-").FullName;
    // SSM refuses parameter names that start with "aws" or "ssm" (moto as AWS): the name leads the parameter's path.
    private readonly string _name = "rot" + Guid.NewGuid().ToString("N")[..8];

    private string DefinitionFile => Path.Combine(_directory, "pubsub.json");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [AwsFact]
    public async Task Rotate_secret_in_aws_keeps_the_previous_secret_for_24_hours_and_drops_it_after()
    {
        File.WriteAllText(DefinitionFile, $$"""
            {
              "name": "{{_name}}",
              "events": { "table": "{{_name}}-events", "retentionDays": 7, "archiveBucket": "{{_name}}-archive" },
              "deadLetterQueues": { "ingestion": "{{_name}}-ingestion-dlq", "publish": "{{_name}}-publish-dlq" },
              "topics": [ { "name": "orders" } ],
              "publishers": [ { "name": "shop", "plan": { "rateLimit": 10, "burstLimit": 20 } } ],
              "subscriptions": [ { "topic": "orders", "protocol": "webhook", "id": "billing", "endpoint": "https://billing.example.com/in" } ]
            }
            """);
        var definition = SystemDefinitionLoader.Load(DefinitionFile);
        var clock = new MovableTime(DateTimeOffset.UtcNow);
        var source = new SsmWebhookSecretSource(moto.Ssm, definition, clock) { CacheFor = TimeSpan.Zero };
        var first = await source.AddAsync("billing", null, CancellationToken.None);

        var rotate = await CliRunner.RunAsync(moto.EnvironmentVariables.ToDictionary(v => v.Key, v => (string?)v.Value),
            "webhooks", "rotate-secret", "billing", "--definition", DefinitionFile, "--json");

        Assert.True(rotate.ExitCode == 0, rotate.Stderr);
        var second = System.Text.Json.JsonDocument.Parse(rotate.Stdout).RootElement.GetProperty("secret").GetString()!;
        var stored = await ValueAsync(definition);
        var lines = stored.Split('\n');
        Assert.Equal(second, lines[0]);
        Assert.StartsWith(first.Reveal() + " until=", lines[1], StringComparison.Ordinal);
        var until = SsmWebhookSecretSource.ParseEntries(stored)[1].Until!.Value;
        Assert.InRange(until - DateTimeOffset.UtcNow, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24));
        Assert.Equal([second, first.Reveal()], Revealed(await source.GetAsync("billing", CancellationToken.None))); // both sign

        clock.Now = until + TimeSpan.FromSeconds(1);
        Assert.Equal([second], Revealed(await source.GetAsync("billing", CancellationToken.None))); // the window ended: no longer signs

        var third = await source.RotateAsync("billing", null, CancellationToken.None);
        Assert.Equal([third.Reveal(), second], Revealed(await source.GetAsync("billing", CancellationToken.None)));
        Assert.DoesNotContain(first.Reveal(), await ValueAsync(definition), StringComparison.Ordinal); // dropped for good
    }

    private async Task<string> ValueAsync(SystemDefinition definition) =>
        (await moto.Ssm.GetParameterAsync(new GetParameterRequest { Name = WebhookNames.SecretParameter(definition, "billing"), WithDecryption = true }))
        .Parameter.Value;

    private static string[] Revealed(WebhookSigningKeys keys) => [.. keys.Secrets.Select(s => s.Reveal())];

    private sealed class MovableTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
