using PubSub.Ingestion.Core.Answers;

namespace PubSub.Ingestion.Apis;

/// <summary>Sends the core's answer as it is: status, headers, content type and body.</summary>
internal sealed class AnswerResult(IngestionAnswer answer) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            response.Headers[name] = value;
        }

        response.ContentType = answer.ContentType;
        response.ContentLength = answer.Body.Length;
        return response.Body.WriteAsync(answer.Body, httpContext.RequestAborted).AsTask();
    }
}
