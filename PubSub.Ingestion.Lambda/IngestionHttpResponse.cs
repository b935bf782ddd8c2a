using System.Globalization;
using System.Text;
using System.Text.Json;
using PubSub.Ingestion.Core;

namespace PubSub.Ingestion.Lambda;

/// <summary>Turns the ingestion core's answer into the HTTP response API Gateway returns, in the same
/// shape as the local host's: 202 with the id, 200 for a retry, 207 for a batch with rejections, and
/// RFC 9457 problem details for every refusal. Written with <see cref="Utf8JsonWriter"/> because
/// problem extensions are open-ended values, which source-generated serialisation cannot type.</summary>
public static class IngestionHttpResponse
{
    private const string Json = "application/json";
    private const string ProblemJson = "application/problem+json";

    public static ApiGatewayProxyResponse From(IngestionResponse response) => response switch
    {
        IngestionResponse.Refused refused => Problem(refused.Problem),
        IngestionResponse.One { Result: IngestionResult.Accepted accepted } => Respond(accepted.Status, Json, IdBody(accepted.Id),
            ("Location", $"/events/{Uri.EscapeDataString(accepted.Id)}")),
        IngestionResponse.One { Result: IngestionResult.Duplicate duplicate } => Respond(duplicate.Status, Json, IdBody(duplicate.Id)),
        IngestionResponse.One { Result: IngestionResult.Rejected rejected } => Problem(rejected.Problem),
        IngestionResponse.Batch batch => Batch(batch),
        _ => throw new InvalidOperationException($"Unexpected ingestion response {response}"),
    };

    public static ApiGatewayProxyResponse Problem(Problem problem)
    {
        var body = Write(writer => WriteProblem(writer, problem));
        return problem.RetryAfterSeconds is { } seconds
            ? Respond(problem.Status, ProblemJson, body, ("Retry-After", seconds.ToString(CultureInfo.InvariantCulture)))
            : Respond(problem.Status, ProblemJson, body);
    }

    private static ApiGatewayProxyResponse Batch(IngestionResponse.Batch batch)
    {
        var accepted = batch.Results.Count(r => r is IngestionResult.Accepted);
        var duplicates = batch.Results.Count(r => r is IngestionResult.Duplicate);
        var rejected = batch.Results.Count - accepted - duplicates;
        var body = Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("accepted"u8, accepted);
            writer.WriteNumber("duplicates"u8, duplicates);
            writer.WriteNumber("rejected"u8, rejected);
            writer.WriteStartArray("results"u8);
            for (var i = 0; i < batch.Results.Count; i++)
            {
                var result = batch.Results[i];
                var (id, problem) = result switch
                {
                    IngestionResult.Accepted a => (a.Id, null),
                    IngestionResult.Duplicate d => (d.Id, null),
                    IngestionResult.Rejected r => (r.Id, r.Problem),
                    var other => throw new InvalidOperationException($"Unexpected result {other}"),
                };
                var status = result.Status;
                writer.WriteStartObject();
                writer.WriteNumber("index"u8, i);
                writer.WriteString("id"u8, id);
                writer.WriteNumber("status"u8, status);
                writer.WritePropertyName("problem"u8);
                if (problem is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    WriteProblem(writer, problem);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
        if (rejected == 0)
        {
            return Respond(202, Json, body);
        }

        return batch.RetryAfterSeconds is { } seconds
            ? Respond(207, Json, body, ("Retry-After", seconds.ToString(CultureInfo.InvariantCulture)))
            : Respond(207, Json, body);
    }

    private static string IdBody(string id) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, id);
        writer.WriteEndObject();
    });

    private static void WriteProblem(Utf8JsonWriter writer, Problem problem)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, problem.Type);
        writer.WriteString("title"u8, problem.Title);
        writer.WriteNumber("status"u8, problem.Status);
        writer.WriteString("detail"u8, problem.Detail);
        foreach (var (name, value) in problem.Extensions)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>The value kinds <see cref="Problems"/> puts in extensions.</summary>
    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int n: writer.WriteNumberValue(n); break;
            case long n: writer.WriteNumberValue(n); break;
            case double n: writer.WriteNumberValue(n); break;
            case SchemaError error:
                writer.WriteStartObject();
                writer.WriteString("path"u8, error.Path);
                writer.WriteString("message"u8, error.Message);
                writer.WriteEndObject();
                break;
            case IReadOnlyDictionary<string, int> counts:
                writer.WriteStartObject();
                foreach (var (key, count) in counts)
                {
                    writer.WriteNumber(key, count);
                }

                writer.WriteEndObject();
                break;
            case System.Collections.IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static ApiGatewayProxyResponse Respond(int status, string contentType, string body, params (string Name, string Value)[] headers)
    {
        var response = new ApiGatewayProxyResponse { StatusCode = status, Body = body };
        response.Headers["Content-Type"] = contentType;
        foreach (var (name, value) in headers)
        {
            response.Headers[name] = value;
        }

        return response;
    }
}
