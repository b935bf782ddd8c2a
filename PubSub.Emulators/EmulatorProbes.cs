using System.Text;

namespace PubSub.Emulators;

/// <summary>Asks an emulator whether it serves requests yet.</summary>
public static class EmulatorProbes
{
    /// <summary>DynamoDB Local answers ListTables once it is up. It wants an Authorization header
    /// but does not check the signature.</summary>
    public static async Task<bool> DynamoDbReadyAsync(HttpClient http, Uri endpoint, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/x-amz-json-1.0"),
        };
        request.Headers.Add("X-Amz-Target", "DynamoDB_20120810.ListTables");
        request.Headers.TryAddWithoutValidation("Authorization",
            "AWS4-HMAC-SHA256 Credential=probe/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0");
        return await AnswersOkAsync(http, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>fauxqs has a health route.</summary>
    public static async Task<bool> FauxqsReadyAsync(HttpClient http, Uri endpoint, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, "/health"));
        return await AnswersOkAsync(http, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>moto_server has a management API beside the AWS ones.</summary>
    public static async Task<bool> MotoReadyAsync(HttpClient http, Uri endpoint, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, "/moto-api/data.json"));
        return await AnswersOkAsync(http, request, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> AnswersOkAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
