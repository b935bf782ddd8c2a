using Microsoft.Extensions.DependencyInjection;
using PubSub.Definition;

namespace Microsoft.Extensions.Hosting;

public static class SystemDefinitionExtensions
{
    /// <summary>The configuration key naming the system definition file.</summary>
    public const string DefinitionPathKey = "PubSub:Definition";

    /// <summary>Loads the system definition named by <c>PubSub:Definition</c> (environment:
    /// <c>PubSub__Definition</c>), else the nearest <c>pubsub.json</c> above the content root, and
    /// registers it with a <see cref="SystemDefinitionMonitor"/> that follows changes to the file. An
    /// invalid definition stops the host at start, listing its problems.</summary>
    public static SystemDefinition AddSystemDefinition(this IHostApplicationBuilder builder)
    {
        var path = builder.Configuration[DefinitionPathKey]
                   ?? SystemDefinitionLoader.Find(builder.Environment.ContentRootPath)
                   ?? SystemDefinitionLoader.Find(Directory.GetCurrentDirectory())
                   ?? throw new SystemDefinitionException(
                       $"No system definition: set {DefinitionPathKey} or put {SystemDefinitionLoader.DefaultFileName} in or above {builder.Environment.ContentRootPath}.");
        var definition = SystemDefinitionLoader.Load(path);
        builder.Services.AddSingleton(definition);
        builder.Services.AddSingleton(sp => new SystemDefinitionMonitor(path, definition,
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SystemDefinitionMonitor>>()));
        return definition;
    }
}
