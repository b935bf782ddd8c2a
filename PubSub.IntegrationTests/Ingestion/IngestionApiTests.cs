using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using PubSub.Events;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.Ingestion;

[Collection(AwsEmulatorsCollection.Name)]
public sealed class IngestionApiTests(AwsEmulatorsFixture aws)
{
    private static HttpRequestMessage Post(string body, string contentType = "application/cloudevents+json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/events") { Content = new StringContent(body, Encoding.UTF8, contentType) };
        request.Headers.Add("x-api-key", IngestionHostFactory.ApiKey);
        return request;
    }

    [Fact]
    public async Task An_accepted_event_is_in_the_table_with_everything_the_system_adds()
    {
        await using var host = new IngestionHostFactory();
        using var client = host.CreateClient();
        var id = Guid.NewGuid().ToString();

        using var response = await client.SendAsync(Post($$$"""{"specversion":"1.0","id":"{{{id}}}","source":"it","type":"order.created","data":{"n":1}}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var item = (await aws.DynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = aws.Definition.Events.Table,
            Key = new() { [EventItem.Key] = new AttributeValue { S = EventItem.KeyOf("demo", id) } },
            ConsistentRead = true,
        })).Item;
        var stored = EventItem.FromItem(item);
        Assert.Equal(("order.created", "demo", "us-east-1", """{"n":1}"""), (stored.Type, stored.Publisher, stored.OriginRegion, stored.Data));
        Assert.NotNull(stored.TraceParent);
        Assert.True(long.Parse(item[EventItem.ExpiresAt].N, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddDays(29).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task When_the_table_cannot_be_written_the_answer_is_503_with_retry_after_never_2xx()
    {
        await using var host = new IngestionHostFactory(dynamoDbEndpoint: "http://127.0.0.1:9");
        using var client = host.CreateClient();

        using var response = await client.SendAsync(Post("""{"specversion":"1.0","id":"down-1","source":"it","type":"order.created"}"""));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("urn:pubsub:problem:store-unavailable", problem.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_oversized_body_is_refused_before_it_is_read()
    {
        await using var host = new IngestionHostFactory();
        using var client = host.CreateClient();

        using var response = await client.SendAsync(Post(new string(' ', 300 * 1024) + "{}", "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    public async Task Other_methods_on_events_get_a_405_problem(string method)
    {
        await using var host = new IngestionHostFactory();
        using var client = host.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/events"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
