using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using PubSub.WebhookDemo.Receiving;

namespace PubSub.IntegrationTests.Webhooks;

/// <summary>The demo receiver in process on Kestrel (a free loopback port: real HTTP), with the given
/// settings, its log lines captured so that tests can check what it logs.</summary>
internal sealed class WebhookDemoHost : WebApplicationFactory<ReceivedWebhooks>
{
    private readonly IReadOnlyDictionary<string, string> _settings;

    public WebhookDemoHost(IReadOnlyDictionary<string, string> settings)
    {
        _settings = settings;
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
    }

    public ConcurrentQueue<string> LogLines { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (name, value) in _settings)
        {
            builder.UseSetting(name, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(LogLines)));
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(lines);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));
    }
}
