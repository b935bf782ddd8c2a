using System.Text;
using System.Text.Json;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Alerts;
using PubSub.Ingestion.Core.Parsing;
using PubSub.LambdaRuntime;

namespace PubSub.Ingestion.Lambda;

/// <summary>The ingestion function's Lambda adapter: API Gateway's proxy event in, the core's answer
/// out as an HTTP response. API Gateway has already checked the API key and the usage plan; this
/// adapter refuses an invocation that did not come through the stack's own API, stage and account, maps
/// the key's id to its publisher and refuses one the system definition has disabled.</summary>
public sealed partial class IngestionFunction(
    EventIngestor ingestor,
    AlertPublisher alerts,
    IIngestionSettingsSource settings,
    IReadOnlyDictionary<string, string> publishersByApiKeyId,
    TrustedApi api,
    ILogger<IngestionFunction> logger) : ILambdaHandler
{
    public async Task<ReadOnlyMemory<byte>> HandleAsync(LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        var request = JsonSerializer.Deserialize(invocation.Body.Span, ApiGatewayJsonContext.Default.ApiGatewayProxyRequest)
            ?? throw new JsonException("The invocation is not an API Gateway proxy event.");
        ApiGatewayProxyResponse response;
        try
        {
            response = await HandleAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The core answers every failure it foresees (the store's included) itself; anything else is
            // answered as a problem, not as Lambda's bare 502.
            LogUnexpected(e, invocation.RequestId);
            response = IngestionHttpResponse.Problem(Problems.InternalError(invocation.RequestId));
        }
        finally
        {
            // Lambda freezes the process after the answer: alerts must go out now.
            await alerts.FlushAsync(cancellationToken);
        }

        return JsonSerializer.SerializeToUtf8Bytes(response, ApiGatewayJsonContext.Default.ApiGatewayProxyResponse);
    }

    private async Task<ApiGatewayProxyResponse> HandleAsync(ApiGatewayProxyRequest request, CancellationToken cancellationToken)
    {
        if (!api.Sent(request.RequestContext))
        {
            var context = request.RequestContext;
            LogForeignInvocation(context?.RequestId, context?.ApiId, context?.Stage, context?.AccountId);
            return IngestionHttpResponse.Problem(Problems.ForeignInvocation());
        }

        if (!string.Equals(request.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase)
            || !(request.Resource ?? request.Path ?? "").TrimEnd('/').EndsWith("/events", StringComparison.Ordinal))
        {
            return IngestionHttpResponse.Problem(Problems.NotFound(request.HttpMethod, request.Path));
        }

        if (request.RequestContext?.Identity?.ApiKeyId is not { } keyId || !publishersByApiKeyId.TryGetValue(keyId, out var publisher))
        {
            // Only reachable when the stack and the function disagree (a key added by hand, say).
            return IngestionHttpResponse.Problem(Problems.InvalidApiKey());
        }

        if (settings.Current.Publisher(publisher) is not { Enabled: true })
        {
            return IngestionHttpResponse.Problem(Problems.PublisherDisabled());
        }

        byte[] body;
        try
        {
            body = request.IsBase64Encoded ? Convert.FromBase64String(request.Body ?? "") : Encoding.UTF8.GetBytes(request.Body ?? "");
        }
        catch (FormatException)
        {
            return IngestionHttpResponse.Problem(Problems.MalformedJson("The body is marked base64 but is not."));
        }

        if (body.Length > EventLimits.MaxBatchBytes)
        {
            return IngestionHttpResponse.Problem(Problems.PayloadTooLarge(EventLimits.MaxEventBytes));
        }

        var (contentType, headers) = ReadHeaders(request.Headers ?? LastValues(request.MultiValueHeaders));
        var response = await ingestor.IngestAsync(new IngestionRequest(publisher, contentType, headers, body), cancellationToken);
        return IngestionHttpResponse.From(response);
    }

    /// <summary>Content-Type, and the headers the core reads (ce-*, idempotency-key) by lower-case name.</summary>
    internal static (string? ContentType, Dictionary<string, string> Headers) ReadHeaders(Dictionary<string, string?>? headers)
    {
        string? contentType = null;
        var copy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in headers ?? [])
        {
            if (value is null)
            {
                continue;
            }

            if (name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
            else if (IngestionRequest.IsEventHeader(name))
            {
                copy[name.ToLowerInvariant()] = value;
            }
        }

        return (contentType, copy);
    }

    /// <summary>API Gateway sends both forms; a test event or another integration may send only this one.</summary>
    private static Dictionary<string, string?>? LastValues(Dictionary<string, List<string?>?>? headers) =>
        headers?.Where(h => h.Value is { Count: > 0 }).ToDictionary(h => h.Key, h => h.Value![^1], StringComparer.Ordinal);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refused request {RequestId}: it came from API {ApiId}, stage {Stage}, account {AccountId}, not this function's API; answered 403")]
    private partial void LogForeignInvocation(string? requestId, string? apiId, string? stage, string? accountId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Invocation {RequestId} failed unexpectedly; answered 500")]
    private partial void LogUnexpected(Exception exception, string requestId);
}
