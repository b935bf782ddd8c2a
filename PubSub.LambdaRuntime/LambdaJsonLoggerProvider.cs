using System.Text.Json;

namespace PubSub.LambdaRuntime;

/// <summary>Writes each log entry as one JSON line on stdout, in the shape of Lambda's JSON log format
/// (<c>timestamp</c>, <c>level</c>, <c>message</c>, <c>requestId</c>), which CloudWatch Logs Insights
/// reads without parsing rules. Synchronous on purpose: Lambda freezes the process between
/// invocations, and a background writer's lines would arrive late or, at shutdown, never.</summary>
public sealed class LambdaJsonLoggerProvider(Stream output, LogLevel minimumLevel, TimeProvider? timeProvider = null)
    : ILoggerProvider, ISupportExternalScope
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly LogLevel _minimumLevel = minimumLevel;
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public static LambdaJsonLoggerProvider ForStandardOutput(LogLevel minimumLevel) =>
        new(Console.OpenStandardOutput(), minimumLevel);

    public ILogger CreateLogger(string categoryName) => new JsonLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() => output.Flush();

    /// <summary>Writes one line that is already JSON (an embedded metric format document, say), whole and
    /// never interleaved with a log entry.</summary>
    public void WriteLine(ReadOnlySpan<byte> json)
    {
        lock (_gate)
        {
            output.Write(json);
            output.WriteByte((byte)'\n');
            output.Flush();
        }
    }

    private void Write(string category, LogLevel level, string message, Exception? exception)
    {
        string? requestId = null;
        _scopes.ForEachScope((scope, _) => requestId ??= (scope as LambdaRequestScope)?.RequestId, (object?)null);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("timestamp"u8, _time.GetUtcNow());
            writer.WriteString("level"u8, LevelName(level));
            writer.WriteString("category"u8, category);
            writer.WriteString("message"u8, message);
            if (requestId is not null)
            {
                writer.WriteString("requestId"u8, requestId);
            }

            if (exception is not null)
            {
                writer.WriteString("errorType"u8, exception.GetType().Name);
                writer.WriteString("errorMessage"u8, exception.Message);
                writer.WriteString("stackTrace"u8, exception.ToString());
            }

            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        lock (_gate)
        {
            buffer.Position = 0;
            buffer.CopyTo(output);
            output.Flush();
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        _ => "FATAL",
    };

    private sealed class JsonLogger(LambdaJsonLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider._minimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(category, logLevel, formatter(state, exception), exception);
            }
        }
    }
}
