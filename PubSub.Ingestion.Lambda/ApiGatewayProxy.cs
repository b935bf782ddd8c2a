using System.Text.Json.Serialization;

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
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiGatewayProxyRequest))]
[JsonSerializable(typeof(ApiGatewayProxyResponse))]
internal sealed partial class ApiGatewayJsonContext : JsonSerializerContext;
