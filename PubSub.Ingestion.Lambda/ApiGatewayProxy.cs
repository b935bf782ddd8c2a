using System.Text;
using System.Text.Json.Serialization;
using PubSub.Ingestion.Core.Answers;

namespace PubSub.Ingestion.Lambda;

/// <summary>The API Gateway REST API (v1) proxy integration's request: only the members this function reads.</summary>
public sealed record ApiGatewayProxyRequest
{
    public string? Resource { get; init; }
    public string? Path { get; init; }
    public string? HttpMethod { get; init; }

    /// <summary>Header names as the client sent them (any case); the last value of a repeated header.</summary>
    public Dictionary<string, string?>? Headers { get; init; }

    /// <summary>Every value of every header; the only headers when <see cref="Headers"/> is null.</summary>
    public Dictionary<string, List<string?>?>? MultiValueHeaders { get; init; }

    public string? Body { get; init; }
    public bool IsBase64Encoded { get; init; }
    public ApiGatewayRequestContext? RequestContext { get; init; }

    /// <summary>Each header's last value: from <see cref="Headers"/>, else from <see cref="MultiValueHeaders"/>
    /// (API Gateway sends both forms; a test event or another integration may send only the second).</summary>
    public IEnumerable<KeyValuePair<string, string?>> LastHeaderValues() =>
        Headers ?? MultiValueHeaders?.Where(h => h.Value is { Count: > 0 }).Select(h => KeyValuePair.Create(h.Key, h.Value![^1])) ?? [];
}

public sealed record ApiGatewayRequestContext
{
    public string? RequestId { get; init; }
    public string? ApiId { get; init; }
    public string? Stage { get; init; }
    public string? AccountId { get; init; }
    public ApiGatewayIdentity? Identity { get; init; }
}

public sealed record ApiGatewayIdentity
{
    /// <summary>The id of the API key the request carried; API Gateway has already checked it.</summary>
    public string? ApiKeyId { get; init; }

    public string? SourceIp { get; init; }
}

/// <summary>The proxy integration's response: API Gateway sends it to the client as it is.</summary>
public sealed record ApiGatewayProxyResponse
{
    public required int StatusCode { get; init; }
    public Dictionary<string, string> Headers { get; init; } = [];
    public string? Body { get; init; }
    public bool IsBase64Encoded { get; init; }

    /// <summary>The core's answer as it is.</summary>
    public static ApiGatewayProxyResponse From(IngestionAnswer answer)
    {
        var response = new ApiGatewayProxyResponse { StatusCode = answer.Status, Body = Encoding.UTF8.GetString(answer.Body.Span) };
        response.Headers["Content-Type"] = answer.ContentType;
        foreach (var (name, value) in answer.Headers)
        {
            response.Headers[name] = value;
        }

        return response;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiGatewayProxyRequest))]
[JsonSerializable(typeof(ApiGatewayProxyResponse))]
internal sealed partial class ApiGatewayJsonContext : JsonSerializerContext;
