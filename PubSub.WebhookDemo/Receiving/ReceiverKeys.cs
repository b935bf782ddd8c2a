using PubSub.Webhooks.Signing;
using PubSub.Webhooks.Worker;

namespace PubSub.WebhookDemo.Receiving;

/// <summary>The keys a delivery is verified with: the configured ones plus, when a JWKS URL is set, the
/// sender's published Ed25519 keys, fetched at most every <see cref="JwksRefresh"/> (a key added by a
/// rotation is picked up then). A JWKS that cannot be read keeps the last keys read and is tried again
/// after <see cref="JwksRetry"/> (the sender's host may start after this one). With a secrets file, the subscription's
/// secrets in it are read at every delivery (a rotation is picked up at once; one is generated if there is none).</summary>
public sealed partial class ReceiverKeys(ReceiverSettings settings, IHttpClientFactory http, TimeProvider time, ILogger<ReceiverKeys> logger) : IDisposable
{
    public const string JwksClient = "jwks";

    public static readonly TimeSpan JwksRefresh = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan JwksRetry = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private WebhookVerificationKeys _keys = new(settings.Secrets, settings.PublicKeys);
    private DateTimeOffset _nextFetch = DateTimeOffset.MinValue;
    private readonly LocalWebhookSecretSource? _file = settings.SecretsFile is { } path ? new LocalWebhookSecretSource(path, time) : null;

    public async Task<WebhookVerificationKeys> GetAsync(CancellationToken cancellationToken)
    {
        var keys = await GetConfiguredAsync(cancellationToken);
        if (_file is null)
        {
            return keys;
        }

        var shared = await _file.GetAsync(settings.SubscriptionId!, cancellationToken);
        return keys with { Secrets = [.. keys.Secrets, .. shared.Secrets] };
    }

    private async Task<WebhookVerificationKeys> GetConfiguredAsync(CancellationToken cancellationToken)
    {
        if (settings.JwksUrl is null || time.GetUtcNow() < _nextFetch)
        {
            return _keys;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (time.GetUtcNow() >= _nextFetch)
            {
                var (keys, read) = await FetchAsync(settings.JwksUrl, cancellationToken);
                _keys = keys;
                _nextFetch = time.GetUtcNow() + (read ? JwksRefresh : JwksRetry);
            }

            return _keys;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<(WebhookVerificationKeys Keys, bool Read)> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            var document = await http.CreateClient(JwksClient).GetByteArrayAsync(url, cancellationToken);
            var published = JsonWebKeySet.Read(document);
            LogJwksRead(logger, url, published.Count);
            return (new WebhookVerificationKeys(settings.Secrets, [.. settings.PublicKeys, .. published]), true);
        }
        catch (Exception e) when (e is HttpRequestException or FormatException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogJwksUnreadable(logger, url, e.Message);
            return (_keys, false);
        }
    }

    public void Dispose() => _refresh.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Read {KeyCount} Ed25519 keys from the JWKS at {JwksUrl}")]
    private static partial void LogJwksRead(ILogger logger, Uri jwksUrl, int keyCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the JWKS at {JwksUrl} ({Reason}); keeping the keys read before")]
    private static partial void LogJwksUnreadable(ILogger logger, Uri jwksUrl, string reason);
}
