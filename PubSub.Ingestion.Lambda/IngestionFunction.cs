using System.Text;
using System.Text.Json;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Answers;
using PubSub.LambdaRuntime;

namespace PubSub.Ingestion.Lambda;

/// <summary>The ingestion function's Lambda adapter: API Gateway's proxy event in, the core's answer out.
/// API Gateway has already checked the API key and the usage plan; this adapter refuses an invocation that
/// did not come through the stack's own API, stage and account, and maps the key's id to its publisher.</summary>
public sealed partial class IngestionFunction(
    IngestionCore core,
    IReadOnlyDictionary<string, string> publishersByApiKeyId,
    TrustedApi api,
    ILogger<IngestionFunction> logger) : ILambdaHandler
{
    public async Task<ReadOnlyMemory<byte>> HandleAsync(LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        var request = JsonSerializer.Deserialize(invocation.Body.Span, ApiGatewayJsonContext.Default.ApiGatewayProxyRequest)
            ?? throw new JsonException("The invocation is not an API Gateway proxy event.");
        IngestionAnswer answer;
        try
        {
            answer = await AnswerAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The core answers every failure it foresees (the store's included) itself; anything else is
            // answered as a problem, not as Lambda's bare 502.
            LogUnexpected(e, invocation.RequestId);
            answer = IngestionAnswer.Problem(Problems.InternalError(invocation.RequestId));
        }
        finally
        {
            // Lambda freezes the process after the answer: alerts must go out now.
            await core.Alerts.FlushAsync(cancellationToken);
        }

        return JsonSerializer.SerializeToUtf8Bytes(ApiGatewayProxyResponse.From(answer), ApiGatewayJsonContext.Default.ApiGatewayProxyResponse);
    }

    private async Task<IngestionAnswer> AnswerAsync(ApiGatewayProxyRequest request, CancellationToken cancellationToken)
    {
        if (!api.Sent(request.RequestContext))
        {
            var context = request.RequestContext;
            LogForeignInvocation(context?.RequestId, context?.ApiId, context?.Stage, context?.AccountId);
            return IngestionAnswer.Problem(Problems.ForeignInvocation());
        }

        if (!string.Equals(request.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase)
            || !(request.Resource ?? request.Path ?? "").TrimEnd('/').EndsWith("/events", StringComparison.Ordinal))
        {
            return IngestionAnswer.Problem(Problems.NotFound(request.HttpMethod, request.Path));
        }

        if (request.RequestContext?.Identity?.ApiKeyId is not { } keyId || !publishersByApiKeyId.TryGetValue(keyId, out var publisher))
        {
            // Only reachable when the stack and the function disagree (a key added by hand, say).
            return IngestionAnswer.Problem(Problems.InvalidApiKey());
        }

        var headers = request.LastHeaderValues();
        var contentType = headers.LastOrDefault(h => h.Value is not null && h.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase)).Value;
        var (body, unreadable) = Body(request);
        return await core.Ingestor.AnswerAsync(
            new IngestionRequest(publisher, contentType, IngestionRequest.EventHeaders(headers), body) { Unreadable = unreadable },
            cancellationToken);
    }

    /// <summary>The body, or why it cannot be read; the core answers the latter after its publisher check.</summary>
    private static (byte[] Body, Problem? Unreadable) Body(ApiGatewayProxyRequest request)
    {
        try
        {
            return (request.IsBase64Encoded ? Convert.FromBase64String(request.Body ?? "") : Encoding.UTF8.GetBytes(request.Body ?? ""), null);
        }
        catch (FormatException)
        {
            return ([], Problems.MalformedJson("The body is marked base64 but is not."));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refused request {RequestId}: it came from API {ApiId}, stage {Stage}, account {AccountId}, not this function's API; answered 403")]
    private partial void LogForeignInvocation(string? requestId, string? apiId, string? stage, string? accountId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Invocation {RequestId} failed unexpectedly; answered 500")]
    private partial void LogUnexpected(Exception exception, string requestId);
}
