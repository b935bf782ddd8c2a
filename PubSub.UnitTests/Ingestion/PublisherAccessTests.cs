using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PubSub.Definition;
using PubSub.Ingestion.Authentication;

namespace PubSub.UnitTests.Ingestion;

public sealed class PublisherAccessTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory().FullName;
    private readonly string _path;
    private readonly SystemDefinitionMonitor _monitor;
    private readonly PublisherAccess _access;

    public PublisherAccessTests()
    {
        _path = Path.Combine(_folder, "pubsub.json");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "pubsub.json"), _path);
        _monitor = new SystemDefinitionMonitor(_path, SystemDefinitionLoader.Load(_path), NullLogger<SystemDefinitionMonitor>.Instance);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Publishers:demo:ApiKey"] = "dev-demo-key",
            ["Publishers:acme:ApiKey"] = "dev-acme-key",
        }).Build();
        _access = new PublisherAccess(_monitor, configuration, new UsageLimiter(new FakeTimeProvider()), NullLogger<PublisherAccess>.Instance);
    }

    public void Dispose()
    {
        _monitor.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData(null, 401, "missing-api-key")]
    [InlineData("", 401, "missing-api-key")]
    [InlineData("guess", 403, "invalid-api-key")]
    public void Requests_without_a_valid_key_are_refused(string? key, int status, string kind)
    {
        var (publisher, problem) = _access.Check(key);

        Assert.Null(publisher);
        Assert.Equal((status, "urn:pubsub:problem:" + kind), (problem!.Status, problem.Type));
    }

    [Fact]
    public void A_valid_key_is_its_publisher_until_the_plan_runs_out()
    {
        Assert.Equal("acme", _access.Check("dev-acme-key").Publisher);

        var results = Enumerable.Range(0, 10).Select(_ => _access.Check("dev-acme-key")).ToList();

        var limited = results[^1].Problem!;
        Assert.Equal((429, "urn:pubsub:problem:rate-limited"), (limited.Status, limited.Type));
        Assert.NotNull(limited.RetryAfterSeconds);
    }

    [Fact]
    public void Disabling_a_publisher_in_the_file_revokes_its_key_without_a_restart()
    {
        File.WriteAllText(_path, File.ReadAllText(_path).Replace("\"name\": \"acme\",", "\"name\": \"acme\", \"enabled\": false,", StringComparison.Ordinal));

        Assert.True(_monitor.Reload());

        var (publisher, problem) = _access.Check("dev-acme-key");
        Assert.Null(publisher);
        Assert.Equal((403, "urn:pubsub:problem:publisher-disabled"), (problem!.Status, problem.Type));
        Assert.Equal("demo", _access.Check("dev-demo-key").Publisher);
    }

    [Fact]
    public void An_invalid_edit_is_ignored_and_the_last_good_definition_stays()
    {
        File.WriteAllText(_path, "{ this is not json");

        Assert.False(_monitor.Reload());

        Assert.Equal("acme", _access.Check("dev-acme-key").Publisher);
    }

    [Fact]
    public async Task The_monitor_notices_a_saved_file_by_itself()
    {
        var changed = new TaskCompletionSource<SystemDefinition>(TaskCreationOptions.RunContinuationsAsynchronously);
        _monitor.Changed += d => changed.TrySetResult(d);

        // Save as editors do: a new file renamed over the old one.
        var temporary = _path + ".tmp";
        File.WriteAllText(temporary, File.ReadAllText(_path).Replace("\"rateLimit\": 5,", "\"rateLimit\": 1,", StringComparison.Ordinal));
        File.Move(temporary, _path, overwrite: true);

        var reloaded = await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, reloaded.Publishers.Single(p => p.Name == "acme").Plan!.RateLimit);
    }
}
