using PubSub.Definition;

namespace PubSub.AppHost;

/// <summary>The system definition the AppHost runs, and the path every service is given.</summary>
internal sealed record LoadedDefinition(string Path, SystemDefinition Definition);

internal static class SystemDefinitionExtensions
{
    private const string DefinitionPathKey = "PubSub:Definition";

    /// <summary><c>PubSub:Definition</c> when set, else <c>pubsub.json</c> in the repository.</summary>
    public static LoadedDefinition LoadSystemDefinition(this IDistributedApplicationBuilder builder)
    {
        var path = builder.Configuration[DefinitionPathKey]
                   ?? SystemDefinitionLoader.Find(builder.AppHostDirectory)
                   ?? throw new SystemDefinitionException($"No {SystemDefinitionLoader.DefaultFileName} found above {builder.AppHostDirectory}; set {DefinitionPathKey}.");
        path = Path.GetFullPath(path, builder.AppHostDirectory);
        return new LoadedDefinition(path, SystemDefinitionLoader.Load(path));
    }

    public static IResourceBuilder<ProjectResource> WithSystemDefinition(this IResourceBuilder<ProjectResource> project,
        LoadedDefinition definition) =>
        project.WithEnvironment("PubSub__Definition", definition.Path);

    /// <summary>One secret parameter per publisher (<c>{name}-api-key</c>), defaulting to the development
    /// key <c>dev-{name}-key</c>; set <c>Parameters:{name}-api-key</c> (user secrets) to override it.</summary>
    public static IResourceBuilder<ProjectResource> WithPublisherApiKeys(this IResourceBuilder<ProjectResource> project,
        LoadedDefinition definition)
    {
        foreach (var publisher in definition.Definition.Publishers)
        {
            var key = project.ApplicationBuilder.AddParameter($"{publisher.Name}-api-key",
                $"dev-{publisher.Name}-key", secret: true);
            project.WithEnvironment($"Publishers__{publisher.Name}__ApiKey", key);
        }

        return project;
    }
}
