using Microsoft.AspNetCore.Server.Kestrel.Core;
using PubSub.WebhookDemo.Receiving;
using PubSub.Webhooks.Signing;

namespace PubSub.WebhookDemo.Extensions;

public static class Extensions
{
    public static void AddWebhookDemo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new WebhookVerifier(sp.GetRequiredService<TimeProvider>()));

        // What it trusts (secrets for v1, public keys or a JWKS URL for v1a), read at start: a malformed
        // key stops it here, naming the setting.
        builder.Services.AddSingleton(ReceiverSettings.From(builder.Configuration));
        builder.Services.AddHttpClient(ReceiverKeys.JwksClient, client => client.Timeout = TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton<ReceiverKeys>();
        builder.Services.AddSingleton<ReceivedWebhooks>();
        builder.Services.AddSingleton<ReceiverOutage>();
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = ReceiverSettings.MaxBodyBytes);
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, ReceiverJsonContext.Default));
    }
}
