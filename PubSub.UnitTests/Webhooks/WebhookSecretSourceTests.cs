using Microsoft.Extensions.Time.Testing;
using PubSub.Webhooks.Signing;
using PubSub.Webhooks.Worker;

namespace PubSub.UnitTests.Webhooks;

public sealed class WebhookSecretSourceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("secrets-").FullName;

    private string FilePath => Path.Combine(_directory, "nested", "webhook-secrets.json");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_secret_is_generated_once_into_a_file_only_its_owner_reads()
    {
        var source = new LocalWebhookSecretSource(FilePath);

        var first = await source.GetAsync("hook", CancellationToken.None);
        var again = await new LocalWebhookSecretSource(FilePath).GetAsync("hook", CancellationToken.None);

        Assert.Equal(Assert.Single(first.Secrets).Reveal(), Assert.Single(again.Secrets).Reveal());
        Assert.StartsWith(WebhookSecret.Prefix, first.Secrets[0].Reveal(), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
        }

        Assert.Empty(source.Read("other"));
    }

    [Fact]
    public void A_rotation_signs_with_both_secrets_until_its_window_ends()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var source = new LocalWebhookSecretSource(FilePath, time);
        var old = source.Add("hook", WebhookSecret.Generate());

        var next = source.Rotate("hook");

        Assert.Equal([next.Reveal(), old.Reveal()], source.Read("hook").Select(s => s.Reveal()));
        time.Advance(LocalWebhookSecretSource.DefaultRotationWindow - TimeSpan.FromSeconds(1));
        Assert.Equal(2, source.Read("hook").Count);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([next.Reveal()], source.Read("hook").Select(s => s.Reveal()));
    }

    [Fact]
    public async Task A_file_that_is_not_JSON_is_refused_and_never_overwritten()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        await File.WriteAllTextAsync(FilePath, "{ broken");

        await Assert.ThrowsAsync<InvalidDataException>(async () => await new LocalWebhookSecretSource(FilePath).GetAsync("hook", CancellationToken.None));
        Assert.Equal("{ broken", await File.ReadAllTextAsync(FilePath));
    }

    [Fact]
    public void The_SSM_value_is_one_secret_per_line_current_first()
    {
        var (current, previous) = (WebhookSecret.Generate(), WebhookSecret.Generate());

        var value = SsmWebhookSecretSource.FormatValue([current, previous]);

        Assert.Equal($"{current.Reveal()}\n{previous.Reveal()}", value);
        Assert.Equal([current.Reveal(), previous.Reveal()], SsmWebhookSecretSource.ParseValue($"\n {value.Replace("\n", "\r\n\n", StringComparison.Ordinal)} \n")
            .Select(s => s.Reveal()));
        var error = Assert.ThrowsAny<FormatException>(() => SsmWebhookSecretSource.ParseValue("whsec_not-base64!!"));
        Assert.DoesNotContain("not-base64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_previous_secret_in_the_SSM_value_carries_the_end_of_its_window()
    {
        var (current, previous) = (WebhookSecret.Generate(), WebhookSecret.Generate());
        var end = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

        var value = SsmWebhookSecretSource.FormatEntries([(current, null), (previous, end)]);

        Assert.Equal($"{current.Reveal()}\n{previous.Reveal()} until=2026-12-02T10:00:00.0000000Z", value);
        Assert.Equal([(current.Reveal(), (DateTimeOffset?)null), (previous.Reveal(), end)],
            SsmWebhookSecretSource.ParseEntries(value).Select(e => (e.Secret.Reveal(), e.Until)));
        var error = Assert.Throws<FormatException>(() => SsmWebhookSecretSource.ParseEntries($"{current.Reveal()}\n{previous.Reveal()} until=soon"));
        Assert.Contains("Line 2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(previous.Reveal(), error.Message, StringComparison.Ordinal);
    }
}
