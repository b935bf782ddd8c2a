using Microsoft.AspNetCore.Http.HttpResults;
using PubSub.Ingestion.Authentication;
using PubSub.Ingestion.Core;

namespace PubSub.Ingestion.Apis;

/// <summary>The local HTTP adapter of the ingestion function: what API Gateway does in AWS (API key
/// check) and the proxy integration (request in, status and body out).</summary>
public static class EventsApi
{
    public const string ApiKeyHeader = "x-api-key";

    /// <summary>A little more than one event, so that an oversized event is answered 413 with
    /// problem details instead of the connection being cut.</summary>
    private const int MaxBodyBytes = CloudEventParser.MaxEventBytes + 1;

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/events", PostEvent)
            .WithName("PostEvent")
            .WithSummary("Publish one event (a structured CloudEvent or plain JSON with a type).");
        return app;
    }

    public static async Task<Results<Accepted<EventAcceptedResponse>, Ok<EventAcceptedResponse>, ProblemHttpResult>> PostEvent(
        HttpRequest request, [AsParameters] EventsApiServices services, CancellationToken cancellationToken)
    {
        if (!request.Headers.TryGetValue(ApiKeyHeader, out var keys) || keys.ToString() is not { Length: > 0 } apiKey)
        {
            return Problem(Problems.MissingApiKey());
        }

        if (services.Keys.Authenticate(apiKey) is not { } publisher)
        {
            return Problem(Problems.InvalidApiKey());
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return Problem(Problems.PayloadTooLarge(CloudEventParser.MaxEventBytes)); // not worth reading
        }

        var body = await RequestBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        var ingestion = new IngestionRequest(publisher, request.ContentType, CopyHeaders(request.Headers), body);
        return await services.Ingestor.IngestAsync(ingestion, cancellationToken) switch
        {
            IngestionResult.Accepted accepted => TypedResults.Accepted($"/events/{Uri.EscapeDataString(accepted.Id)}",
                new EventAcceptedResponse(accepted.Id)),
            IngestionResult.Duplicate duplicate => TypedResults.Ok(new EventAcceptedResponse(duplicate.Id)),
            IngestionResult.Rejected rejected => Problem(rejected.Problem, request.HttpContext.Response),
            var other => throw new InvalidOperationException($"Unexpected result {other}"),
        };
    }

    private static Dictionary<string, string> CopyHeaders(IHeaderDictionary headers)
    {
        var copy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            if (name.StartsWith("ce-", StringComparison.OrdinalIgnoreCase)
                || name.Equals("idempotency-key", StringComparison.OrdinalIgnoreCase))
            {
                copy[name.ToLowerInvariant()] = value.ToString();
            }
        }

        return copy;
    }

    internal static ProblemHttpResult Problem(Problem problem, HttpResponse? response = null)
    {
        if (problem.RetryAfterSeconds is { } seconds && response is not null)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(problem.Detail, statusCode: problem.Status, title: problem.Title, type: problem.Type,
            extensions: problem.Extensions);
    }
}

public sealed record EventAcceptedResponse(string Id);

public sealed record EventsApiServices(EventIngestor Ingestor, PublisherKeys Keys);
