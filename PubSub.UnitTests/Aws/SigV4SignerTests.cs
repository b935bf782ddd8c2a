using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using PubSub.Aws;

namespace PubSub.UnitTests.Aws;

/// <summary>Our signer must produce exactly what the SDK's own signer produces.</summary>
public sealed class SigV4SignerTests
{
    private static readonly DateTime At = new(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);

    public static TheoryData<string, string, string, string?, string, bool> Requests => new()
    {
        { "http://127.0.0.1:8000/", "dynamodb", "application/x-amz-json-1.0", "DynamoDB_20120810.PutItem", """{"TableName":"t"}""", false },
        { "https://dynamodb.eu-west-1.amazonaws.com/", "dynamodb", "application/x-amz-json-1.0", "DynamoDB_20120810.GetItem", "{}", true },
        { "https://sns.us-east-1.amazonaws.com/", "sns", "application/x-www-form-urlencoded; charset=utf-8", null, "Action=Publish&Version=2010-03-31&Message=x%20y", false },
        { "http://localhost:4566/", "sns", "application/x-www-form-urlencoded;  charset=utf-8", null, "", true },
        { "https://streams.dynamodb.us-east-1.amazonaws.com/", "dynamodb", "application/x-amz-json-1.0", "DynamoDBStreams_20120810.GetRecords", """{"ShardIterator":"é"}""", false },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Signatures_match_the_sdk_signer_exactly(string url, string service, string contentType, string? target, string body, bool session)
    {
        var credentials = session
            ? (AWSCredentials)new SessionAWSCredentials("ASIAEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "token/with+chars=")
            : new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        var bytes = Encoding.UTF8.GetBytes(body);
        var region = url.Contains("eu-west-1", StringComparison.Ordinal) ? "eu-west-1" : "us-east-1";
        var request = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = new Uri(url), Content = bytes };
        request.Headers["Content-Type"] = contentType;
        List<KeyValuePair<string, string>> headers = [new("Content-Type", contentType)];
        if (target is not null)
        {
            request.Headers["X-Amz-Target"] = target;
            headers.Add(new("X-Amz-Target", target));
        }

        var expected = await AWSSigV4Signer.SignAsync(request, new AWSSigV4Parameters
        {
            Credentials = credentials, Region = RegionEndpoint.GetBySystemName(region), Service = service, SignPayload = true, SignedAt = At,
        });
        var immutable = await credentials.GetCredentialsAsync();
        var actual = new SigV4Signer(region, service).Sign(new Uri(url), headers, bytes, immutable, At);

        Assert.Equal(
            expected.Headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(h => (h.Key.ToLowerInvariant(), h.Value)),
            actual.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Select(h => (h.Key.ToLowerInvariant(), h.Value)));
    }

    [Fact]
    public async Task The_cached_signing_key_follows_the_date_and_the_secret()
    {
        var signer = new SigV4Signer("us-east-1", "sns");
        var first = new BasicAWSCredentials("AKID", "secret-1");
        var second = new BasicAWSCredentials("AKID", "secret-2");
        List<KeyValuePair<string, string>> headers = [new("Content-Type", "text/plain")];
        var url = new Uri("https://sns.us-east-1.amazonaws.com/");

        var (one, two) = (await first.GetCredentialsAsync(), await second.GetCredentialsAsync());
        var a = signer.Sign(url, headers, [], one, At)[0].Value;
        var b = signer.Sign(url, headers, [], two, At)[0].Value;
        var c = signer.Sign(url, headers, [], one, At.AddDays(1))[0].Value;
        var again = signer.Sign(url, headers, [], one, At)[0].Value;

        Assert.Equal(a, again);
        Assert.NotEqual(a, b);
        Assert.NotEqual(a[^64..], c[^64..]);
    }
}
