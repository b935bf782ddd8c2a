using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.Ingestion;

/// <summary>What a hostile publisher sends through the local HTTP host: a 4xx naming the fault, never a 500.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class HostileRequestApiTests(AwsEmulatorsFixture aws)
{
    private static HttpRequestMessage Post(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/events") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/cloudevents+json");
        request.Headers.Add("x-api-key", IngestionHostFactory.KeyOf("demo")); // policy flag: the data is scanned
        return request;
    }

    private static async Task<string> ProblemTypeAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.True(problem.TryGetProperty("type", out _), $"{(int)response.StatusCode} {text}");
        return $"{(int)response.StatusCode} {problem.GetProperty("type").GetString()} {problem.GetProperty("detail").GetString()}";
    }

    [Theory]
    [InlineData("""{"specversion":"1.0","id":"\ud800","source":"s","type":"t"}""", "400 urn:pubsub:problem:invalid-characters $.id")]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s","type":"t","data":{"x":"\udc00"}}""", "400 urn:pubsub:problem:invalid-characters $.data.x")]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s","type":"t","data":{"a":[{"x":1,"x":2}]}}""", "400 urn:pubsub:problem:duplicate-member")]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s","type":"t","traceparent":"00-x"}""", "400 urn:pubsub:problem:reserved-attribute")]
    public async Task Hostile_events_are_a_400_naming_the_fault(string body, string expected)
    {
        _ = aws;
        await using var host = new IngestionHostFactory();
        using var client = host.CreateClient();

        using var response = await client.SendAsync(Post(body));

        Assert.StartsWith(expected, await ProblemTypeAsync(response), StringComparison.Ordinal);
    }
}
