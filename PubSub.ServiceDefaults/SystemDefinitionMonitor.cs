using Microsoft.Extensions.Logging;
using PubSub.Definition;

namespace Microsoft.Extensions.Hosting;

/// <summary>The system definition as the file says now: a change to the file is loaded and, when
/// valid, published through <see cref="Changed"/>; an invalid edit is logged and ignored, so that a
/// running service keeps its last good definition.</summary>
public sealed partial class SystemDefinitionMonitor : IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    private readonly ILogger<SystemDefinitionMonitor> _logger;
    private readonly FileSystemWatcher? _watcher;
    private readonly Timer _debounce;

    public SystemDefinitionMonitor(string path, SystemDefinition initial, ILogger<SystemDefinitionMonitor> logger)
    {
        Path = System.IO.Path.GetFullPath(path);
        Current = initial;
        _logger = logger;
        _debounce = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
        try
        {
            // Editors save by writing a temporary file and renaming it, so watch the folder, not the file.
            _watcher = new FileSystemWatcher(System.IO.Path.GetDirectoryName(Path)!, System.IO.Path.GetFileName(Path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size,
                EnableRaisingEvents = true,
            };
            _watcher.Changed += (_, _) => _debounce.Change(Settle, Timeout.InfiniteTimeSpan);
            _watcher.Created += (_, _) => _debounce.Change(Settle, Timeout.InfiniteTimeSpan);
            _watcher.Renamed += (_, _) => _debounce.Change(Settle, Timeout.InfiniteTimeSpan);
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
        {
            LogNotWatched(e, Path);
        }
    }

    public string Path { get; }

    public SystemDefinition Current { get; private set; }

    public event Action<SystemDefinition>? Changed;

    /// <summary>Loads the file again now; true when a new definition took effect.</summary>
    public bool Reload()
    {
        try
        {
            var definition = SystemDefinitionLoader.Load(Path);
            if (SystemDefinitionLoader.Serialize(definition) == SystemDefinitionLoader.Serialize(Current))
            {
                return false;
            }

            Current = definition;
            LogReloaded(Path);
            Changed?.Invoke(definition);
            return true;
        }
        catch (SystemDefinitionException e)
        {
            LogInvalid(Path, e.Message);
            return false;
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reloaded the system definition {Path}")]
    private partial void LogReloaded(string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "The changed system definition {Path} is invalid and was not applied: {Problems}")]
    private partial void LogInvalid(string path, string problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Changes to {Path} will not be noticed: the file cannot be watched")]
    private partial void LogNotWatched(Exception exception, string path);
}
