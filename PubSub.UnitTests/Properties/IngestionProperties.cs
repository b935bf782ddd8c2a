using System.Text;
using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Definition;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Parsing;
using PubSub.Ingestion.Core.Storage;
using PubSub.Json;
using PubSub.Sensitive;
using PubSub.UnitTests.Fakes;

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

    // Hostile JSON text: what the reader accepts as well-formed but a decoder or SNS cannot take, and what it refuses.

    /// <summary>Pieces of a JSON string literal's content, as sent: plain text, escapes that decode, lone halves
    /// of surrogate pairs, characters outside XML (escaped and raw), and escapes the reader refuses.</summary>
    private static readonly Gen<string> StringPiece = Gen.Frequency(
        (6, Gen.String[Gen.Char.AlphaNumeric, 0, 6]),
        (2, Gen.OneOf(Gen.Const("\\n"), Gen.Const("\\t"), Gen.Const("\\\""), Gen.Const("\\u00e9"), Gen.Const("\u00e9"), Gen.Const("\\ud83d\\ude00"))),
        (2, Gen.Int[0xD800, 0xDFFF].Select(c => $"\\u{c:x4}")),
        (1, Gen.OneOf(Gen.Const("\\u0000"), Gen.Const("\\u001f"), Gen.Const("\\b"), Gen.Const("\\f"), Gen.Const("\\uffff"), Gen.Const("\\uFFFE"),
            Gen.Const("\uffff"), Gen.Const("\ufffe"), Gen.Const("\u0085"))),
        (1, Gen.OneOf(Gen.Const("\\x"), Gen.Const("\\u12"), Gen.Const("\\u"), Gen.Const("\\"), Gen.Const("\\uZZZZ"))));

    private static readonly Gen<string> HostileString = StringPiece.Array[0, 4].Select(p => "\"" + string.Concat(p) + "\"");

    private static readonly Gen<string> HostileNumber = Gen.OneOf(
        Gen.Const("1e999999999"), Gen.Const("-1e-999999999"), Gen.Const("0.0000000000000000000000000000000000000001"),
        Gen.Int[20, 400].Select(n => new string('9', n)), Gen.Const("-0"), Gen.Const("1E+308"), Gen.Const("01"), Gen.Const("1."));

    private static Gen<string> HostileValue(int depth) => depth == 0
        ? Gen.Frequency((3, HostileString), (1, HostileNumber), (1, Scalar))
        : Gen.Frequency(
            (3, HostileValue(0)),
            (1, HostileValue(depth - 1).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
            (2, Gen.Select(Gen.Select(Gen.Frequency((3, HostileString), (1, Gen.OneOf(Gen.Const("\"a\""), Gen.Const("\"\\u0061\"")))),
                        Gen.OneOf(HostileValue(depth - 1), Scalar)).Array[0, 4], Gen.Bool)
                .Select((members, repeat) => "{" + string.Join(",", (repeat && members.Length > 0 ? members.Append(members[0]) : members)
                    .Select(m => m.Item1 + ":" + m.Item2)) + "}")));

    /// <summary>Objects and arrays nested close to the depth limit, on either side of it.</summary>
    private static readonly Gen<string> DeepValue = Gen.Select(Gen.Int[EventLimits.MaxDepth - 4, EventLimits.MaxDepth + 2], Gen.Bool, HostileString)
        .Select((depth, objects, leaf) => objects
            ? string.Concat(Enumerable.Repeat("{\"k\":", depth)) + leaf + new string('}', depth)
            : new string('[', depth) + leaf + new string(']', depth));

    private static readonly Gen<string> HostileEvent = Gen.Select(HostileString, HostileString, Gen.Frequency((4, HostileValue(3)), (1, DeepValue)), HostileString)
        .Select((id, type, data, extension) =>
            $$$"""{"specversion":"1.0","id":{{{id}}},"source":"s","type":{{{type}}},"ext":{{{extension}}},{{{extension}}}:1,"data":{{{data}}}}""");

    private static readonly EventIngestor Ingestor = CreateIngestor();

    private static EventIngestor CreateIngestor()
    {
        var definition = SystemDefinitionLoader.Load(Path.Combine(AppContext.BaseDirectory, "pubsub.json"));
        definition = definition with
        {
            Publishers = [.. definition.Publishers, new PublisherDefinition("careful", SensitiveData: SensitiveDataPolicy.Redact)],
        };
        return new EventIngestor(new FakeEventStore(), new FakeIngestionDeadLetterQueue(), new FixedIngestionSettings(new IngestionSettings(definition, FingerprintKey.Development)),
            new EventStoreSettings("t", TimeSpan.FromDays(30), "us-east-1"), new RecordingAlertSink(), new IngestionMetrics(new TestMeterFactory()),
            TimeProvider.System, NullLogger<EventIngestor>.Instance);
    }

    private static readonly string[] Publishers = ["demo", "acme", "careful", "anyone"]; // flag, reject, redact, allow

    /// <summary>The whole core, under every policy: a 2xx or a 4xx, never an exception (a 500).</summary>
    private static void AssertCoreAnswers(string contentType, string body, Dictionary<string, string> headers, string publisher)
    {
        var response = Ingestor.IngestAsync(new IngestionRequest(publisher, contentType, headers, Encoding.UTF8.GetBytes(body)), default)
            .GetAwaiter().GetResult();
        IEnumerable<Problem> problems = response switch
        {
            IngestionResponse.Refused refused => [refused.Problem],
            IngestionResponse.One one => one.Result is IngestionResult.Rejected r ? [r.Problem] : [],
            IngestionResponse.Batch batch => batch.Results.OfType<IngestionResult.Rejected>().Select(r => r.Problem),
            _ => throw new InvalidOperationException(response.ToString()),
        };
        Assert.All(problems, p => Assert.InRange(p.Status, 400, 499));
    }

    [Fact]
    public void Hostile_events_in_every_mode_and_under_every_policy_get_a_4xx_or_are_accepted_never_a_500() =>
        Gen.Select(HostileEvent, Gen.Int[0, 3], Gen.Int[0, Publishers.Length - 1], HostileValue(3))
            .Sample((e, mode, publisher, data) =>
            {
                switch (mode)
                {
                    case 0: AssertCoreAnswers("application/cloudevents+json", e, [], Publishers[publisher]); break;
                    case 1: AssertCoreAnswers("application/cloudevents-batch+json", "[" + e + "," + e.Replace("\"id\"", "\"x\"", StringComparison.Ordinal) + "]", [], Publishers[publisher]); break;
                    case 2: AssertCoreAnswers("application/json", data, new Dictionary<string, string> { ["ce-type"] = "t" }, Publishers[publisher]); break;
                    default:
                        AssertCoreAnswers("application/json", data, new Dictionary<string, string>
                        {
                            ["ce-specversion"] = "1.0", ["ce-id"] = "i", ["ce-source"] = "s", ["ce-type"] = "t",
                        }, Publishers[publisher]);
                        break;
                }
            }, iter: 3000);

    private static readonly string[] HeaderNames = ["ce-id", "ce-source", "ce-subject", "idempotency-key", "ce-tenant", "ce-traceparent"];

    [Fact]
    public void Hostile_headers_get_a_4xx_or_are_accepted_never_a_500() =>
        Gen.Select(StringPiece.Array[0, 4], Gen.Int[0, 5], Gen.Bool, Gen.Int[0, Publishers.Length - 1])
            .Sample((pieces, header, binary, publisher) =>
            {
                // Headers arrive decoded: the pieces' escapes stand for the characters they name.
                var value = string.Concat(pieces).Replace("\\u", "%u", StringComparison.Ordinal) + (header % 2 == 0 ? "\ud800" : "%ED%A0%80");
                var name = HeaderNames[header];
                var headers = new Dictionary<string, string> { ["ce-type"] = "t", [name] = value };
                if (binary)
                {
                    headers.TryAdd("ce-id", "i");
                    headers.TryAdd("ce-source", "s");
                    headers["ce-specversion"] = "1.0";
                }

                AssertCoreAnswers("application/json", "{}", headers, Publishers[publisher]);
            }, iter: 2000);

    /// <summary>What the reader's decoder makes of the string it is on: null when it cannot decode it.</summary>
    private static string? Decoded(Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    [Fact]
    public void A_string_is_refused_exactly_when_it_does_not_decode_or_holds_a_character_outside_xml() =>
        HostileString.Sample(literal =>
        {
            var bytes = Encoding.UTF8.GetBytes("[" + literal + "]");
            var reader = new Utf8JsonReader(bytes);
            try
            {
                reader.Read();
                reader.Read();
            }
            catch (JsonException)
            {
                return; // an escape the reader refuses: a malformed-json 400, tested elsewhere
            }

            var fault = JsonText.Check(reader.ValueSpan, reader.ValueIsEscaped);
            var decoded = Decoded(reader);
            var expected = decoded is null ? TextFault.LoneSurrogate
                : decoded.Any(c => c is < ' ' and not ('\t' or '\n' or '\r') or '\ufffe' or '\uffff') ? TextFault.NotXmlCharacter
                : TextFault.None;
            // Either fault may come first in the string; a string with none must pass and one with any must not.
            Assert.Equal(expected == TextFault.None, fault == TextFault.None);
            Assert.True(decoded is null || fault == expected, $"{literal}: {fault}, expected {expected}");
        }, iter: 5000);

    private static readonly bool[] ScanOrNot = [false, true];
    private static readonly string[] DataFaultTypes = ["urn:pubsub:problem:duplicate-member", "urn:pubsub:problem:invalid-characters"];

    [Fact]
    public void Lone_surrogates_and_duplicate_members_at_any_depth_are_always_refused() =>
        Gen.Select(Value(3), Gen.Int[1, 6], Gen.Int[0xD800, 0xDFFF], Gen.Bool, Gen.Bool)
            .Sample((clean, depth, surrogate, duplicate, inName) =>
            {
                var fault = duplicate ? """{"d":1,"d":2}""" : inName ? $$"""{"\u{{surrogate:x4}}":1}""" : $"\"x\\u{surrogate:x4}\"";
                var data = string.Concat(Enumerable.Range(0, depth).Select(i => i % 2 == 0 ? "{\"a\":" + clean + ",\"b\":" : "[" + clean + ","))
                           + fault + string.Concat(Enumerable.Range(0, depth).Reverse().Select(i => i % 2 == 0 ? "}" : "]"));
                var body = $$"""{"specversion":"1.0","id":"e","source":"s","type":"t","data":{{data}}}""";
                foreach (var scan in ScanOrNot)
                {
                    var parsed = EventRequestReader.Read(new IngestionRequest("p", "application/cloudevents+json", new Dictionary<string, string>(), Encoding.UTF8.GetBytes(body)), scan);
                    var problem = parsed.Problem ?? Assert.Single(parsed.Events).Problem;
                    Assert.NotNull(problem);
                    // The clean part may itself hold a duplicate (its generator repeats names): that is found first.
                    Assert.Contains(problem.Type, DataFaultTypes);
                    if (!duplicate)
                    {
                        Assert.True(problem.Type == "urn:pubsub:problem:invalid-characters" || clean.Contains(':', StringComparison.Ordinal), problem.Detail);
                    }
                }
            }, iter: 3000);
}
