using System.Net.Http.Headers;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace PubSub.Aws;

/// <summary>The one send helper behind every hand-written AWS client: it signs a POST with SigV4,
/// retries throttling, 5xx and transport failures with <see cref="Backoff.Standard"/> (the only retry layer of a
/// call), sizes each attempt by the time left before the <see cref="CallDeadline"/>, and turns an error
/// answer into the protocol's typed exception.</summary>
internal sealed class AwsRequestSender
{
    private readonly AwsServiceEndpoint _endpoint;
    private readonly ClientConfig _config;
    private readonly HttpMessageInvoker _http;
    private readonly int _maxAttempts;
    private readonly TimeProvider _time;
    private readonly Lazy<AWSCredentials> _credentials;
    private readonly SigV4Signer _signer;

    public AwsRequestSender(AwsServiceEndpoint endpoint, ClientConfig config, AWSCredentials? credentials,
        HttpMessageInvoker http, TimeProvider time)
    {
        _endpoint = endpoint;
        _config = config;
        _http = http;
        _time = time;
        _maxAttempts = Math.Max(1, config.MaxErrorRetry + 1);
        _signer = new SigV4Signer(endpoint.SigningRegion, endpoint.SigningService);
        _credentials = new Lazy<AWSCredentials>(() => credentials
            ?? config.DefaultAWSCredentials
            ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(config));
    }

    public Uri EndpointUrl => _endpoint.Url;

    /// <summary>Sends until success, a non-retryable error, the last attempt or the current
    /// <see cref="CallDeadline"/>; throws <see cref="AmazonServiceException"/> (from <paramref name="parseError"/>)
    /// or <see cref="AmazonClientException"/> when the service could not be reached in time.</summary>
    /// <param name="parseError">The error an answer of 300 or more means; null when that answer is one of the
    /// operation's normal outcomes (DynamoDB's failed condition), which is then returned like a success.</param>
    public async Task<AwsHttpResponse> SendAsync(AwsRequest request,
        Func<AwsHttpResponse, AmazonServiceException?> parseError, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var timeout = AttemptTimeout();
            if (timeout <= TimeSpan.Zero)
            {
                throw new AmazonClientException($"{request.Operation} was not sent to {_endpoint.Url}: no time is left before the deadline.");
            }

            Exception failure;
            try
            {
                var response = await SendOnceAsync(request, timeout, cancellationToken).ConfigureAwait(false);
                if ((int)response.StatusCode < 300)
                {
                    return response;
                }

                if (parseError(response) is not { } error)
                {
                    return response;
                }

                if (!AwsErrors.IsTransient(error) || attempt >= _maxAttempts)
                {
                    throw error;
                }

                failure = error;
            }
            catch (HttpRequestException e)
            {
                failure = e;
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                failure = e; // the per-attempt timeout, not the caller
            }

            var delay = Backoff.Standard.DelayBefore(attempt - 1);
            if (attempt >= _maxAttempts || CallDeadline.Remaining(_time) is { } left && delay >= left)
            {
                throw new AmazonClientException(
                    $"{request.Operation} could not reach {_endpoint.Url} after {attempt} attempts: {failure.Message}", failure);
            }

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The configured attempt timeout, cut to the time left before the current deadline.</summary>
    private TimeSpan AttemptTimeout()
    {
        var configured = _config.Timeout ?? AwsTimeouts.Attempt;
        return CallDeadline.Remaining(_time) is { } left && left < configured ? left : configured;
    }

    private async Task<AwsHttpResponse> SendOnceAsync(AwsRequest request, TimeSpan attemptTimeout, CancellationToken cancellationToken)
    {
        using var message = await CreateSignedMessageAsync(request, cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(attemptTimeout);

        using var response = await _http.SendAsync(message, timeout.Token).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        var requestId = FirstHeader(response, "x-amzn-RequestId") ?? FirstHeader(response, "x-amz-request-id");
        return new AwsHttpResponse(response.StatusCode, body, requestId);
    }

    private async Task<HttpRequestMessage> CreateSignedMessageAsync(AwsRequest request, CancellationToken cancellationToken)
    {
        List<KeyValuePair<string, string>> headers = [new("Content-Type", request.ContentType)];
        if (request.Target is not null)
        {
            headers.Add(new("X-Amz-Target", request.Target));
        }

        var credentials = await _credentials.Value.GetCredentialsAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var signed = _signer.Sign(_endpoint.Url, headers, request.Body, credentials, _time.GetUtcNow().UtcDateTime);

        var message = new HttpRequestMessage(HttpMethod.Post, _endpoint.Url)
        {
            Content = new ByteArrayContent(request.Body),
        };
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
        if (request.Target is not null)
        {
            message.Headers.TryAddWithoutValidation("X-Amz-Target", request.Target);
        }

        foreach (var (name, value) in signed)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    private static string? FirstHeader(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

/// <summary>One operation's wire request: a POST body with its media type, and the JSON protocols' target.</summary>
internal sealed record AwsRequest(string Operation, string ContentType, byte[] Body, string? Target = null);
