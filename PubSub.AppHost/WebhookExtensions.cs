using PubSub.Webhooks.Worker;

namespace PubSub.AppHost;

/// <summary>Webhook delivery run locally: the delivery worker over the emulators' queues, and the demo receiver at
/// the URL the definition's demo subscription names, both given the same secrets file so that the demo verifies
/// what the worker signs.</summary>
internal static class WebhookExtensions
{
    /// <summary>The subscription the demo receiver verifies for.</summary>
    public const string DemoSubscriptionId = "demo";

    /// <summary>The demo's port when the definition has no demo subscription naming one (its launch profile's).</summary>
    private const int DefaultDemoPort = 5090;

    /// <summary>The local secrets file, with a secret for every webhook subscription made now, before the worker and
    /// the demo start: two processes generating one at the same moment would each keep its own.</summary>
    public static string EnsureWebhookSecrets(this LoadedDefinition definition)
    {
        var secrets = new LocalWebhookSecretSource(LocalWebhookSecretSource.DefaultPath(definition.Definition));
        foreach (var subscription in definition.Definition.Subscriptions.Where(s => s is { IsWebhook: true, Id: not null }))
        {
            if (secrets.Read(subscription.Id!).Count == 0)
            {
                secrets.Add(subscription.Id!);
            }
        }

        return secrets.Path;
    }

    public static IResourceBuilder<ProjectResource> WithWebhookSecrets(this IResourceBuilder<ProjectResource> project, string secretsFile) =>
        project.WithEnvironment("Webhooks__SecretsFile", secretsFile);

    /// <summary>The demo receiver, listening (unproxied, so that the port stays put in tests too) on the port of the
    /// demo subscription's <c>http://localhost:PORT/webhook</c>.</summary>
    public static IResourceBuilder<ProjectResource> AddWebhookDemo(this IDistributedApplicationBuilder builder, LoadedDefinition definition, string secretsFile)
    {
        var demo = definition.Definition.Subscriptions.FirstOrDefault(s => s.IsWebhook && s.Id == DemoSubscriptionId);
        var port = demo is not null && Uri.TryCreate(demo.Endpoint, UriKind.Absolute, out var url) ? url.Port : DefaultDemoPort;
        return builder.AddProject<Projects.PubSub_WebhookDemo>("webhook-demo", launchProfileName: null)
            .WithHttpEndpoint(port: port, isProxied: false)
            .WithWebhookSecrets(secretsFile)
            .WithEnvironment("Webhooks__SubscriptionId", DemoSubscriptionId)
            .WithHttpHealthCheck("/health");
    }
}
