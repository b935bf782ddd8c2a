using PubSub.Aws;
using PubSub.Ingestion.Authentication;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Answers;
using PubSub.Ingestion.Core.Parsing;
using PubSub.Ingestion.Hosting;

namespace PubSub.Ingestion.Apis;

/// <summary>The local HTTP adapter of the ingestion function: what API Gateway does in AWS (API keys,
/// usage plans, requests in flight, reading the body in time) and the proxy integration (request in, the
/// core's answer out, as the Lambda adapter sends it).</summary>
public static class EventsApi
{
    public const string ApiKeyHeader = "x-api-key";

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/events", PostEvents)
            .WithName("PostEvents")
            .WithSummary("Publish one event (structured, binary or plain JSON) or a batch of CloudEvents.");
        return app;
    }

    public static async Task<IResult> PostEvents(HttpRequest request, [AsParameters] EventsApiServices services,
        CancellationToken cancellationToken)
    {
        var (publisher, denied) = services.Access.Check(request.Headers[ApiKeyHeader].ToString());
        if (denied is not null)
        {
            return new AnswerResult(IngestionAnswer.Problem(denied));
        }

        // Counted once the publisher is known: a flood of unauthenticated requests must not use up its slots.
        using var lease = services.InFlight.TryEnter(publisher!);
        if (lease is null)
        {
            return Refuse(Problems.TooManyInFlight(services.InFlight.Limit), request.HttpContext.Response);
        }

        if (request.ContentLength > EventLimits.MaxBatchBytes)
        {
            return Refuse(Problems.PayloadTooLarge(EventLimits.MaxEventBytes), request.HttpContext.Response); // not worth reading
        }

        var (body, unread) = await ReadBodyAsync(request, services, cancellationToken);
        if (unread is not null)
        {
            return Refuse(unread, request.HttpContext.Response);
        }

        var headers = IngestionRequest.EventHeaders(request.Headers.Select(h => KeyValuePair.Create(h.Key, (string?)h.Value.ToString())));
        using var deadline = CallDeadline.Until(DateTimeOffset.UtcNow + AwsTimeouts.IngestionInvocation); // as the Lambda function's timeout
        return new AnswerResult(await services.Ingestor.AnswerAsync(
            new IngestionRequest(publisher!, request.ContentType, headers, body), cancellationToken));
    }

    /// <summary>The body, or why it could not be read: too large (Kestrel's limit, for a body without a
    /// Content-Length), or too slow (this host's time limit, or Kestrel's minimum data rate).</summary>
    private static async Task<(ReadOnlyMemory<byte> Body, Problem? Problem)> ReadBodyAsync(HttpRequest request,
        EventsApiServices services, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(services.Limits.RequestTimeout, services.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return (await RequestBody.ReadAsync(request.Body, EventLimits.MaxBatchBytes + 1, linked.Token), null);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (default, Problems.RequestTimeout(services.Limits.RequestTimeout));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (default, Problems.PayloadTooLarge(EventLimits.MaxEventBytes));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            return (default, Problems.RequestTimeout(services.Limits.RequestTimeout));
        }
    }

    /// <summary>A refusal with the body left unread: the connection closes after the answer, rather than
    /// the host draining (or the client sending) the rest.</summary>
    private static AnswerResult Refuse(Problem problem, HttpResponse response)
    {
        response.Headers.Connection = "close";
        return new AnswerResult(IngestionAnswer.Problem(problem));
    }
}

/// <param name="Ingestor">The core (<see cref="IngestionCore.Ingestor"/>).</param>
public sealed record EventsApiServices(EventIngestor Ingestor, PublisherAccess Access, InFlightLimiter InFlight, HostLimits Limits, TimeProvider Time);
