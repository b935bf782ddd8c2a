using System.Net;
using System.Text.Json;

namespace PubSub.Aws;

/// <summary>An error answer of the AWS JSON protocols (DynamoDB, DynamoDB Streams):
/// <c>{"__type":"com.amazonaws.dynamodb.v20120810#Code","message":"…"}</c>.</summary>
internal static class JsonProtocolError
{
    public static (string Code, string Message) Read(AwsHttpResponse response, string service)
    {
        string? type = null, message = null;
        try
        {
            if (response.Body.Length > 0)
            {
                using var document = JsonDocument.Parse(response.Body);
                var root = document.RootElement;
                type = root.TryGetProperty("__type", out var t) ? t.GetString() : null;
                message = root.TryGetProperty("message", out var m) ? m.GetString()
                    : root.TryGetProperty("Message", out var m2) ? m2.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // not JSON (a proxy's page, say): fall back to the status code
        }

        var code = type is null ? DefaultCode(response.StatusCode) : type[(type.LastIndexOf('#') + 1)..];
        return (code, message ?? $"{service} answered {(int)response.StatusCode} {response.StatusCode}.");
    }

    private static string DefaultCode(HttpStatusCode status) => status switch
    {
        HttpStatusCode.TooManyRequests => "ThrottlingException",
        >= HttpStatusCode.InternalServerError => "InternalServerError",
        _ => status.ToString(),
    };
}
