using System.Text;
using System.Text.Json;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Answers;

namespace PubSub.UnitTests.Ingestion;

/// <summary>The answer the core decides for both adapters: status, content type, headers and body.</summary>
public sealed class IngestionAnswerTests
{
    private static JsonElement Body(IngestionAnswer answer) => JsonDocument.Parse(answer.Body).RootElement;

    private static string? Header(IngestionAnswer answer, string name) =>
        answer.Headers.SingleOrDefault(h => h.Key == name).Value;

    [Fact]
    public void An_accepted_event_is_a_202_with_its_id_and_location()
    {
        var answer = IngestionAnswer.From(new IngestionResponse.One(new IngestionResult.Accepted("a b/1")));

        Assert.Equal((202, "application/json"), (answer.Status, answer.ContentType));
        Assert.Equal("/events/a%20b%2F1", Header(answer, "Location"));
        Assert.Equal("""{"id":"a b/1"}""", Encoding.UTF8.GetString(answer.Body.Span));
    }

    [Fact]
    public void A_retry_is_a_200_with_the_original_id_and_no_location()
    {
        var answer = IngestionAnswer.From(new IngestionResponse.One(new IngestionResult.Duplicate("e1")));

        Assert.Equal((200, "application/json", "e1"), (answer.Status, answer.ContentType, Body(answer).GetProperty("id").GetString()));
        Assert.Empty(answer.Headers);
    }

    [Fact]
    public void A_problem_is_problem_details_with_its_extensions_and_retry_after_when_it_has_one()
    {
        var schema = IngestionAnswer.Problem(Problems.SchemaViolation("order.created", [new SchemaError("/orderId", "not an integer")]));
        var unavailable = IngestionAnswer.Problem(Problems.StoreUnavailable());

        Assert.Equal((422, "application/problem+json"), (schema.Status, schema.ContentType));
        Assert.Equal("""{"path":"/orderId","message":"not an integer"}""", Body(schema).GetProperty("errors")[0].GetRawText());
        Assert.Equal(("urn:pubsub:problem:schema-violation", 422), (Body(schema).GetProperty("type").GetString(), Body(schema).GetProperty("status").GetInt32()));
        Assert.Empty(schema.Headers);
        Assert.Equal((503, "5"), (unavailable.Status, Header(unavailable, "Retry-After")));
    }

    [Fact]
    public void A_batch_is_a_202_when_nothing_was_rejected_else_a_207_with_the_longest_retry_after()
    {
        var clean = IngestionAnswer.From(new IngestionResponse.Batch([new IngestionResult.Accepted("a"), new IngestionResult.Duplicate("b")]));
        var mixed = IngestionAnswer.From(new IngestionResponse.Batch([
            new IngestionResult.Accepted("a"),
            new IngestionResult.Rejected(Problems.StoreUnavailable(), "b"),
            new IngestionResult.Rejected(Problems.InvalidEvent("no"))]));

        Assert.Equal(202, clean.Status);
        Assert.Empty(clean.Headers);
        Assert.Equal((207, "5"), (mixed.Status, Header(mixed, "Retry-After")));
        var body = Body(mixed);
        Assert.Equal((1, 0, 2), (body.GetProperty("accepted").GetInt32(), body.GetProperty("duplicates").GetInt32(), body.GetProperty("rejected").GetInt32()));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("results")[0].GetProperty("problem").ValueKind);
        Assert.Equal((2, JsonValueKind.Null, 400), (body.GetProperty("results")[2].GetProperty("index").GetInt32(),
            body.GetProperty("results")[2].GetProperty("id").ValueKind, body.GetProperty("results")[2].GetProperty("status").GetInt32()));
    }

    [Fact]
    public void A_problem_that_echoes_what_a_publisher_sent_is_written_even_with_a_lone_surrogate()
    {
        var answer = IngestionAnswer.Problem(Problems.UnsupportedMediaType("text/\ud800<x>"));

        Assert.Equal(415, answer.Status);
        Assert.StartsWith("Content-Type 'text/", Body(answer).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
