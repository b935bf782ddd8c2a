using Microsoft.AspNetCore.Http.HttpResults;
using PubSub.WebhookDemo.Receiving;
using PubSub.Webhooks.Signing;

namespace PubSub.WebhookDemo.Apis;

/// <summary>The demo receiver: <c>POST /webhook</c> verifies every signature (204, or 401 with the
/// reason), acknowledges a retried delivery once handled, and <c>GET /received</c> lists the last ones.
/// <c>PUT /outage</c> / <c>DELETE /outage</c> play an outage, to watch retries and the circuit breaker.</summary>
public static class WebhookApi
{
    public const string Route = "/webhook";

    public static IEndpointRouteBuilder MapWebhookApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, Receive)
            .WithName("ReceiveWebhook")
            .WithSummary("Receive one Standard Webhooks delivery: 204 when its signature verifies, 401 when not.");
        app.MapGet("/received", (ReceivedWebhooks received) => TypedResults.Ok(new ReceivedList(received.Last())))
            .WithName("ListReceived")
            .WithSummary("The last deliveries received, newest first: ids, sizes and verification results (never bodies).");
        app.MapPut("/outage", SetOutage)
            .WithName("SetOutage")
            .WithSummary("Answer every verified delivery with this status (and Retry-After) until DELETE /outage.");
        app.MapDelete("/outage", ClearOutage)
            .WithName("ClearOutage")
            .WithSummary("Handle deliveries again.");
        return app;
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Receive(HttpRequest request,
        [AsParameters] WebhookApiServices services, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem($"The body is larger than {ReceiverSettings.MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        var headers = request.Headers;
        var id = headers[WebhookHeaderNames.Id].ToString();
        var keys = await services.Keys.GetAsync(cancellationToken);
        var result = services.Verifier.Verify(id, headers[WebhookHeaderNames.Timestamp], headers[WebhookHeaderNames.Signature], body, keys);

        // The id is the sender's until verified: kept only when it could be a valid one (no longer, printable ASCII only,
        // so no control character reaches the log).
        var shownId = id.Length is > 0 and <= WebhookSigner.MaxIdLength && id.All(static c => c is >= ' ' and <= '~') ? id : null;
        var logger = services.Loggers.CreateLogger(typeof(WebhookApi).FullName!);
        if (!result.IsVerified)
        {
            ReceiverLog.Refused(logger, shownId, body.Length, result.Failure.ToString(), result.Reason);
            services.Received.Record(new ReceivedWebhook(shownId, result.Failure.ToString(), null, body.Length, services.Time.GetUtcNow(), result.Reason));
            return TypedResults.Problem(result.Reason, statusCode: StatusCodes.Status401Unauthorized, title: "The webhook's signature does not verify.");
        }

        if (services.Outage.Current is { } outage)
        {
            // Verified but not handled, so the id is not remembered: the retry after the outage is handled as new.
            ReceiverLog.AnsweredOutage(logger, id, outage.Status, outage.Since, body.Length, result.Scheme!);
            services.Received.Record(new ReceivedWebhook(id, $"answered-{outage.Status}", result.Scheme, body.Length, services.Time.GetUtcNow(),
                $"outage since {outage.Since:O}"));
            if (outage.RetryAfterSeconds is { } seconds)
            {
                request.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return TypedResults.Problem("The demo receiver is playing an outage (PUT /outage); DELETE /outage ends it.", statusCode: outage.Status,
                title: "Outage");
        }

        var first = services.Received.TryAccept(id);
        if (first)
        {
            ReceiverLog.Verified(logger, id, body.Length, result.Scheme!);
        }
        else
        {
            ReceiverLog.Duplicate(logger, id, body.Length, result.Scheme!);
        }

        services.Received.Record(new ReceivedWebhook(id, first ? "verified" : "duplicate", result.Scheme, body.Length, services.Time.GetUtcNow(), result.Reason));
        return TypedResults.NoContent();
    }

    public static Results<Ok<Outage>, ProblemHttpResult> SetOutage(OutageRequest outage, ReceiverOutage outages, ILoggerFactory loggers)
    {
        if (outages.TrySet(outage, out var error) is not { } set)
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status400BadRequest, title: "Not an outage the demo plays.");
        }

        ReceiverLog.OutageSet(loggers.CreateLogger(typeof(WebhookApi).FullName!), set.Status, set.RetryAfterSeconds);
        return TypedResults.Ok(set);
    }

    public static NoContent ClearOutage(ReceiverOutage outages, ILoggerFactory loggers)
    {
        outages.Clear();
        ReceiverLog.OutageCleared(loggers.CreateLogger(typeof(WebhookApi).FullName!));
        return TypedResults.NoContent();
    }

    /// <summary>The whole body (signatures cover every byte), or null past the limit.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > ReceiverSettings.MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(buffer, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }
}

public sealed record WebhookApiServices(WebhookVerifier Verifier, ReceiverKeys Keys, ReceivedWebhooks Received, ReceiverOutage Outage, ILoggerFactory Loggers,
    TimeProvider Time);
