using System.Text;
using System.Text.Json;
using CsCheck;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Parsing;
using PubSub.Sensitive;

namespace PubSub.UnitTests.Properties;

/// <summary>Whatever a publisher sends, the reader answers with events or problems (a 4xx), never an
/// exception that would become a 500; the scanner and redaction take any JSON.</summary>
public sealed class IngestionProperties
{
    private static readonly string[] ContentTypes =
    [
        "application/json", "application/cloudevents+json", "application/cloudevents-batch+json", "text/plain",
        "application/json; charset=utf-8", "application/vnd.x+json", "", "application/",
    ];

    private static readonly Gen<string> AttributeText = Gen.OneOf(
        Gen.String, Gen.Const("1.0"), Gen.Const(""), Gen.Const("order.created"), Gen.Const("2024-05-01T12:00:00Z"),
        Gen.Const("4111 1111 1111 1111"), Gen.Const("jane@example.com"));

    private static readonly Gen<string> Scalar = Gen.OneOf(
        AttributeText.Select(s => JsonSerializer.Serialize(s)),
        Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "0"),
        Gen.Const("true"), Gen.Const("null"), Gen.Long.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static readonly Gen<string> Json = Value(3);

    private static Gen<string> Value(int depth) => depth == 0
        ? Scalar
        : Gen.OneOf(
            Scalar,
            Value(depth - 1).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]"),
            Gen.Select(AttributeText, Value(depth - 1)).Array[0, 4]
                .Select(members => "{" + string.Join(",", members.Select(m => JsonSerializer.Serialize(m.Item1) + ":" + m.Item2)) + "}"));

    private static readonly Gen<string> CloudEventLike =
        Gen.Select(AttributeText, AttributeText, AttributeText, AttributeText, Json, Gen.Bool)
            .Select((spec, id, source, type, data, withData) =>
                $$"""{"specversion":{{JsonSerializer.Serialize(spec)}},"id":{{JsonSerializer.Serialize(id)}},"source":{{JsonSerializer.Serialize(source)}},"type":{{JsonSerializer.Serialize(type)}}{{(withData ? ",\"data\":" + data : "")}}}""");

    private static void AssertAnswers(string? contentType, byte[] body, Dictionary<string, string> headers)
    {
        var parsed = EventRequestReader.Read(new IngestionRequest("p", contentType, headers, body));
        if (parsed.Problem is { } problem)
        {
            Assert.InRange(problem.Status, 400, 499);
            return;
        }

        Assert.NotEmpty(parsed.Events);
        Assert.All(parsed.Events, e =>
        {
            Assert.True(e.Envelope is null != (e.Problem is null));
            if (e.Problem is not null)
            {
                Assert.InRange(e.Problem.Status, 400, 499);
            }
        });
    }

    [Fact]
    public void Random_bytes_under_any_media_type_get_an_answer() =>
        Gen.Select(Gen.Int[0, ContentTypes.Length - 1], Gen.Byte.Array[0, 600])
            .Sample((type, body) => AssertAnswers(ContentTypes[type], body, []), iter: 3000);

    [Fact]
    public void Random_json_documents_get_an_answer_in_every_mode() =>
        Gen.Select(Gen.Int[0, ContentTypes.Length - 1], Json)
            .Sample((type, json) => AssertAnswers(ContentTypes[type], Encoding.UTF8.GetBytes(json), []), iter: 3000);

    [Fact]
    public void Cloudevent_shaped_documents_and_batches_of_them_get_an_answer() =>
        Gen.Select(CloudEventLike.Array[1, 5], Gen.Bool)
            .Sample((events, batch) => AssertAnswers(
                batch ? "application/cloudevents-batch+json" : "application/cloudevents+json",
                Encoding.UTF8.GetBytes(batch ? "[" + string.Join(",", events) + "]" : events[0]), []), iter: 2000);

    [Fact]
    public void Random_ce_headers_get_an_answer() =>
        Gen.Select(AttributeText, AttributeText, AttributeText, Gen.String, Json)
            .Sample((id, type, time, extension, body) => AssertAnswers("application/json", Encoding.UTF8.GetBytes(body),
                new Dictionary<string, string>
                {
                    ["ce-specversion"] = "1.0", ["ce-id"] = id, ["ce-source"] = "s", ["ce-type"] = type, ["ce-time"] = time,
                    ["ce-x" + (extension.Length % 3)] = extension,
                }), iter: 2000);

    [Fact]
    public void Scanning_and_redacting_any_json_never_fails_and_redaction_keeps_it_json() =>
        Json.Sample(json =>
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            SensitiveDataScanner.Scan(bytes);
            using var _ = JsonDocument.Parse(SensitiveDataScanner.Redact(bytes));
        }, iter: 3000);

    [Fact]
    public void Scanning_any_string_never_fails() =>
        Gen.String.Sample(text => SensitiveDataScanner.ScanText(text, "$"), iter: 5000);
}
