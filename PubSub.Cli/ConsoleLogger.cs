using Microsoft.Extensions.Logging;

namespace PubSub.Cli;

/// <summary>Progress lines on stderr (stdout stays for results), without categories or timestamps.</summary>
internal sealed class ConsoleLogger<T>(bool quiet) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => !quiet && logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Console.Error.WriteLine(formatter(state, exception));
        }
    }
}
