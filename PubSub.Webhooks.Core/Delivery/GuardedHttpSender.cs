using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;

namespace PubSub.Webhooks.Delivery;

/// <summary>Sends webhook deliveries so that a subscriber's URL cannot reach inside our network: the URL rules first
/// (<see cref="WebhookUrl"/>), then, at connect time, the host is resolved once, every address checked
/// (<see cref="AddressRules"/>) and the socket connected to a checked address; no second lookup, so a name that
/// changes its answer (DNS rebinding) gains nothing. TLS keeps the URL's host for SNI and the certificate check,
/// and Host stays the URL's. No redirect followed, no cookie, no proxy, no credentials; one timeout covers connect,
/// headers and body; at most 1 KiB of the answer read. One instance per process: it holds the connection pool.</summary>
public sealed partial class GuardedHttpSender : IDisposable
{
    private readonly HttpClient client;
    private readonly GuardedSenderOptions options;
    private readonly IHostResolver resolver;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<GuardedHttpSender> logger;

    public GuardedHttpSender(GuardedSenderOptions options, TimeProvider timeProvider, ILogger<GuardedHttpSender> logger, IHostResolver? resolver = null)
    {
        this.options = options;
        this.timeProvider = timeProvider;
        this.logger = logger;
        this.resolver = resolver ?? DnsHostResolver.Instance;
        client = new HttpClient(CreateHandler(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        Credentials = null,
        PreAuthenticate = false,
        AutomaticDecompression = DecompressionMethods.None,
        // Addresses are pinned per connection: recycle them so that a changed DNS answer is checked and used.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        // An unread rest of an answer is drained for reuse only if small and quick; else the connection is dropped.
        MaxResponseDrainSize = 64 * 1024,
        ResponseDrainTimeout = TimeSpan.FromSeconds(1),
        MaxResponseHeadersLength = 64,
        ConnectCallback = ConnectToCheckedAddressAsync,
    };

    /// <summary>One attempt: the record of what happened. Throws only when <paramref name="cancellationToken"/> is
    /// cancelled (shutdown: no attempt to record; the message comes back).</summary>
    public async Task<DeliveryAttempt> SendAsync(WebhookRequest request, CancellationToken cancellationToken)
    {
        var startedAt = timeProvider.GetUtcNow();
        var started = timeProvider.GetTimestamp();
        DeliveryAttempt Record(int? status, AttemptError error, string body = "", TimeSpan? retryAfter = null, string? detail = null) =>
            new(request.EventId, request.EndpointId, request.Url.OriginalString, request.AttemptNumber, startedAt, status, error,
                timeProvider.GetElapsedTime(started), body, retryAfter, detail);

        if (WebhookUrl.Refusal(request.Url, options.LocalMode) is { } refusal)
        {
            LogRefused(request.EndpointId, refusal);
            return Record(null, AttemptError.ForbiddenAddress, detail: refusal);
        }

        using var timeout = new CancellationTokenSource(request.Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        int? status = null;
        try
        {
            using var message = CreateMessage(request);
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            var retryAfter = RetryAfterHeader.Read(response.Headers, timeProvider.GetUtcNow());
            var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var body = await ResponseBody.ReadStartAsync(stream, linked.Token).ConfigureAwait(false);
                return Record(status, AttemptClassifier.ErrorOf(status.Value), body, retryAfter);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Record(status, AttemptError.Timeout);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            var (error, detail) = Explain(e);
            if (error == AttemptError.ForbiddenAddress)
            {
                LogRefused(request.EndpointId, detail);
            }

            return Record(status, error, detail: detail.Length > 0 ? detail : null);
        }
    }

    private HttpRequestMessage CreateMessage(WebhookRequest request)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, request.Url) { Content = new ReadOnlyMemoryContent(request.Body) };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        message.Headers.TryAddWithoutValidation("User-Agent", options.UserAgent);
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    /// <summary>The handler's connect step: resolve once, refuse the whole answer if any address is forbidden (an
    /// attacker controls which one a client would pick), then connect to the checked addresses in turn.</summary>
    private async ValueTask<Stream> ConnectToCheckedAddressAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = await resolver.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        // Plain http is for local runs, and then only to loopback: a receiver on this machine.
        var plainHttp = context.InitialRequestMessage.RequestUri?.Scheme == Uri.UriSchemeHttp;
        foreach (var address in addresses)
        {
            var refusal = AddressRules.Refusal(address, options.LocalMode)
                ?? (plainHttp && !AddressRules.IsLoopback(address) ? $"http:// to {address}, which is not loopback" : null);
            if (refusal is not null)
            {
                throw new ForbiddenAddressException($"{host} resolves to a forbidden address: {refusal}");
            }
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    private static (AttemptError Error, string Detail) Explain(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case ForbiddenAddressException forbidden:
                    return (AttemptError.ForbiddenAddress, forbidden.Message);
                case AuthenticationException:
                    return (AttemptError.Tls, "");
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return (AttemptError.ConnectionRefused, "");
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return (AttemptError.NameResolution, "");
            }
        }

        return e is HttpRequestException { HttpRequestError: var kind } ? kind switch
        {
            HttpRequestError.NameResolutionError => (AttemptError.NameResolution, ""),
            HttpRequestError.SecureConnectionError => (AttemptError.Tls, ""),
            _ => (AttemptError.ConnectionFailed, ""),
        } : (AttemptError.ConnectionFailed, "");
    }

    public void Dispose() => client.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId}: delivery refused ({Reason})")]
    private partial void LogRefused(string endpointId, string reason);
}
