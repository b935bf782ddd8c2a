using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PubSub.Aws;
using PubSub.Ingestion.Authentication;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Parsing;
using PubSub.Ingestion.Hosting;

namespace PubSub.Ingestion.Apis;

/// <summary>The local HTTP adapter of the ingestion function: what API Gateway does in AWS (API keys,
/// usage plans) and the proxy integration (request in, status and body out).</summary>
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

    public static async Task<Results<Accepted<EventAcceptedResponse>, Ok<EventAcceptedResponse>, Accepted<BatchResponse>,
        JsonHttpResult<BatchResponse>, ProblemHttpResult>> PostEvents(
        HttpRequest request, [AsParameters] EventsApiServices services, CancellationToken cancellationToken)
    {
        var (publisher, denied) = services.Access.Check(request.Headers[ApiKeyHeader].ToString());
        if (denied is not null)
        {
            return Problem(denied, request.HttpContext.Response);
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

        var ingestion = new IngestionRequest(publisher!, request.ContentType, CopyHeaders(request.Headers), body);
        using var deadline = CallDeadline.Until(DateTimeOffset.UtcNow + AwsTimeouts.IngestionInvocation); // as the Lambda function's timeout
        var response = await services.Ingestor.IngestAsync(ingestion, cancellationToken);
        return response switch
        {
            IngestionResponse.Refused refused => Problem(refused.Problem, request.HttpContext.Response),
            IngestionResponse.One { Result: IngestionResult.Accepted accepted } =>
                TypedResults.Accepted($"/events/{Uri.EscapeDataString(accepted.Id)}", new EventAcceptedResponse(accepted.Id)),
            IngestionResponse.One { Result: IngestionResult.Duplicate duplicate } => TypedResults.Ok(new EventAcceptedResponse(duplicate.Id)),
            IngestionResponse.One { Result: IngestionResult.Rejected rejected } => Problem(rejected.Problem, request.HttpContext.Response),
            IngestionResponse.Batch batch => BatchResult(batch, request.HttpContext.Response),
            _ => throw new InvalidOperationException($"Unexpected response {response}"),
        };
    }

    /// <summary>202 when every event was accepted (or was a retry), else 207 Multi-Status; the body
    /// lists each event's outcome in the order sent.</summary>
    private static Results<Accepted<EventAcceptedResponse>, Ok<EventAcceptedResponse>, Accepted<BatchResponse>,
        JsonHttpResult<BatchResponse>, ProblemHttpResult> BatchResult(IngestionResponse.Batch batch, HttpResponse response)
    {
        var items = batch.Results.Select((result, index) => result switch
        {
            IngestionResult.Accepted a => new BatchItemResult(index, a.Id, a.Status, null),
            IngestionResult.Duplicate d => new BatchItemResult(index, d.Id, d.Status, null),
            IngestionResult.Rejected r => new BatchItemResult(index, r.Id, r.Status, ToProblemDetails(r.Problem)),
            _ => throw new InvalidOperationException($"Unexpected result {result}"),
        }).ToList();
        var body = new BatchResponse(
            items.Count(i => i.Status == StatusCodes.Status202Accepted),
            items.Count(i => i.Status == StatusCodes.Status200OK),
            items.Count(i => i.Problem is not null),
            items);
        if (body.Rejected == 0)
        {
            return TypedResults.Accepted((string?)null, body);
        }

        if (batch.RetryAfterSeconds is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return TypedResults.Json(body, statusCode: StatusCodes.Status207MultiStatus);
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
    private static ProblemHttpResult Refuse(Problem problem, HttpResponse response)
    {
        response.Headers.Connection = "close";
        return Problem(problem, response);
    }

    private static Dictionary<string, string> CopyHeaders(IHeaderDictionary headers)
    {
        var copy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            if (IngestionRequest.IsEventHeader(name))
            {
                copy[name.ToLowerInvariant()] = value.ToString();
            }
        }

        return copy;
    }

    internal static ProblemHttpResult Problem(Problem problem, HttpResponse response)
    {
        if (problem.RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(ToProblemDetails(problem));
    }

    private static ProblemDetails ToProblemDetails(Problem problem)
    {
        var details = new ProblemDetails { Type = problem.Type, Title = problem.Title, Status = problem.Status, Detail = problem.Detail };
        foreach (var (key, value) in problem.Extensions)
        {
            details.Extensions[key] = value;
        }

        return details;
    }
}

public sealed record EventAcceptedResponse(string Id);

public sealed record BatchResponse(int Accepted, int Duplicates, int Rejected, IReadOnlyList<BatchItemResult> Results);

/// <param name="Status">The HTTP status this event would have had on its own.</param>
public sealed record BatchItemResult(int Index, string? Id, int Status, ProblemDetails? Problem);

public sealed record EventsApiServices(EventIngestor Ingestor, PublisherAccess Access, InFlightLimiter InFlight, HostLimits Limits, TimeProvider Time);
