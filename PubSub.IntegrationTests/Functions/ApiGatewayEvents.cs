using System.Text.Json;
using System.Text.Json.Nodes;

namespace PubSub.IntegrationTests.Functions;

/// <summary>API Gateway REST API proxy events as API Gateway sends them to the ingestion function.</summary>
internal static class ApiGatewayEvents
{
    /// <summary>The API, stage and account these events come from, as the stack tells the function.</summary>
    public const string ApiId = "abc123", Stage = "live", AccountId = "123456789012";

    public static byte[] Post(string body, string contentType, string? apiKeyId, Dictionary<string, string>? headers = null,
        bool base64 = false, string method = "POST", string path = "/events")
    {
        var headerObject = new JsonObject { ["Content-Type"] = contentType, ["Host"] = "abc123.execute-api.us-east-1.amazonaws.com" };
        foreach (var (name, value) in headers ?? [])
        {
            headerObject[name] = value;
        }

        var request = new JsonObject
        {
            ["resource"] = path,
            ["path"] = path,
            ["httpMethod"] = method,
            ["headers"] = headerObject,
            ["multiValueHeaders"] = new JsonObject(),
            ["queryStringParameters"] = null,
            ["body"] = base64 ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(body)) : body,
            ["isBase64Encoded"] = base64,
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = AccountId,
                ["apiId"] = ApiId,
                ["resourcePath"] = path,
                ["stage"] = Stage,
                ["requestId"] = Guid.NewGuid().ToString(),
                ["identity"] = new JsonObject { ["apiKeyId"] = apiKeyId, ["sourceIp"] = "203.0.113.9", ["apiKey"] = "redacted" },
                ["httpMethod"] = method,
            },
        };
        return JsonSerializer.SerializeToUtf8Bytes(request);
    }

    /// <summary>The proxy response's status, headers and body parsed as JSON.</summary>
    public static (int Status, Dictionary<string, string> Headers, JsonElement Body) Read(ReadOnlyMemory<byte> response)
    {
        var root = JsonDocument.Parse(response).RootElement;
        var headers = root.GetProperty("headers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase);
        return (root.GetProperty("statusCode").GetInt32(), headers, JsonDocument.Parse(root.GetProperty("body").GetString()!).RootElement);
    }
}
