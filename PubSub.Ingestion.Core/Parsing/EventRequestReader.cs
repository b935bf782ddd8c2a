using System.Net.Http.Headers;
using System.Text.Json;
using PubSub.Json;
using PubSub.Sensitive;

namespace PubSub.Ingestion.Core.Parsing;

/// <summary>Reads a request in whichever CloudEvents HTTP mode it uses, in a single pass of a JSON
/// reader over the body: structured (<c>application/cloudevents+json</c>, or <c>application/json</c>
/// whose object has <c>specversion</c>), binary (<c>ce-specversion</c> header, JSON body), batch
/// (<c>application/cloudevents-batch+json</c>), or plain JSON. The same pass enforces the limits and,
/// when asked, finds sensitive data in the events' data.</summary>
public static class EventRequestReader
{
    private static readonly string[] PlainMembers = ["type", "specversion"];

    private enum Mode
    {
        Structured,
        Json,
        Batch,
        Unsupported,
    }

    /// <param name="scan">Whether to look for sensitive data while reading (the publisher's policy is not <c>allow</c>).</param>
    public static ParsedRequest Read(IngestionRequest request, bool scan = false)
    {
        var mode = ModeOf(request.ContentType);
        var binary = BodyEventReader.IsBinaryMode(request.Headers);
        if (binary && mode == Mode.Unsupported && request.Body.Length == 0)
        {
            return ParsedRequest.One(BodyEventReader.ReadBinary(request, data: null, findings: null));
        }

        if (mode == Mode.Unsupported)
        {
            return ParsedRequest.Refused(binary
                ? Problems.UnsupportedMediaType(request.ContentType) with
                {
                    Detail = "Binary-mode events must carry JSON data (application/json or a +json type); send other data as data_base64 in a structured event.",
                }
                : Problems.UnsupportedMediaType(request.ContentType));
        }

        var limit = mode == Mode.Batch ? EventLimits.MaxBatchBytes : EventLimits.MaxEventBytes;
        if (request.Body.Length > limit)
        {
            return ParsedRequest.Refused(Problems.PayloadTooLarge(limit));
        }

        // The JSON reader checks UTF-8 only where it decodes; stored data and what subscribers receive must be valid
        // throughout. Vectorised: a few nanoseconds per KiB.
        if (!System.Text.Unicode.Utf8.IsValid(request.Body.Span))
        {
            return ParsedRequest.Refused(Problems.MalformedJson("The body is not valid UTF-8."));
        }

        try
        {
            var reader = new Utf8JsonReader(request.Body.Span, new JsonReaderOptions { MaxDepth = EventLimits.MaxDepth + (mode == Mode.Batch ? 1 : 0) });
            if (!reader.Read())
            {
                return ParsedRequest.Refused(Problems.MalformedJson("The body is empty."));
            }

            var parsed = mode switch
            {
                Mode.Batch => ReadBatch(ref reader, request, scan),
                Mode.Structured => ParsedRequest.One(StructuredEventReader.Read(ref reader, request.Body, request.Publisher, scan)),
                _ => ReadJson(ref reader, request, binary, scan),
            };
            if (reader.Read())
            {
                return ParsedRequest.Refused(Problems.MalformedJson("The body holds more than one JSON value."));
            }

            return parsed;
        }
        catch (JsonException e)
        {
            return ParsedRequest.Refused(Problems.MalformedJson($"The body is not valid JSON: {e.Message}"));
        }
    }

    private static ParsedRequest ReadJson(ref Utf8JsonReader reader, IngestionRequest request, bool binary, bool scan)
    {
        if (JsonFaults.Check(new JsonValueChecker(request.Body, EventLimits.MaxArrayElements), reader, request.Body, "$.data") is { } fault)
        {
            reader.Skip();
            return !binary && HasSpecVersion(request.Body.Span)
                ? ReadStructured(request, scan) // names the fault by its place in the event
                : ParsedRequest.Refused(fault);
        }

        var walk = JsonDataWalker.Walk(ref reader, request.Body, "$.data", scan, EventLimits.MaxStringLength, PlainMembers);
        if (walk.OverlongPath is { } overlong)
        {
            return ParsedRequest.Refused(StructuredEventReader.OverlongString(overlong));
        }

        var data = JsonPayload.FromUtf8(request.Body);
        if (binary)
        {
            return ParsedRequest.One(BodyEventReader.ReadBinary(request, data, walk.Findings));
        }

        if (walk.Captured![1] is not null)
        {
            return ReadStructured(request, scan); // application/json holding a structured CloudEvent: read it again as one
        }

        return ParsedRequest.One(BodyEventReader.ReadPlain(request, data, walk.Captured[0], walk.Findings));
    }

    private static ParsedRequest ReadStructured(IngestionRequest request, bool scan)
    {
        var structured = new Utf8JsonReader(request.Body.Span, new JsonReaderOptions { MaxDepth = EventLimits.MaxDepth });
        structured.Read();
        return ParsedRequest.One(StructuredEventReader.Read(ref structured, request.Body, request.Publisher, scan));
    }

    /// <summary>Whether a JSON object has a top-level <c>specversion</c> member, without decoding anything.</summary>
    private static bool HasSpecVersion(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = EventLimits.MaxDepth });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual("specversion"u8))
            {
                return true;
            }

            reader.Read();
            reader.Skip();
        }

        return false;
    }

    private static ParsedRequest ReadBatch(ref Utf8JsonReader reader, IngestionRequest request, bool scan)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return ParsedRequest.Refused(Problems.InvalidBatch("A batch must be a JSON array of structured CloudEvents."));
        }

        var events = new List<ParsedEvent>();
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (++count > EventLimits.MaxBatchEvents)
            {
                reader.Skip(); // only counted, to say how many there were
                continue;
            }

            events.Add(StructuredEventReader.Read(ref reader, request.Body, request.Publisher, scan));
        }

        return count is 0 or > EventLimits.MaxBatchEvents
            ? ParsedRequest.Refused(Problems.InvalidBatch($"A batch holds 1 to {EventLimits.MaxBatchEvents} events; this one holds {count}."))
            : new ParsedRequest(events, IsBatch: true, Problem: null);
    }

    private static Mode ModeOf(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType is null)
        {
            return Mode.Unsupported;
        }

        var type = media.MediaType.ToLowerInvariant();
        return type switch
        {
            "application/cloudevents+json" => Mode.Structured,
            "application/cloudevents-batch+json" => Mode.Batch,
            "application/json" => Mode.Json,
            _ when type.StartsWith("application/", StringComparison.Ordinal) && type.EndsWith("+json", StringComparison.Ordinal) => Mode.Json,
            _ => Mode.Unsupported,
        };
    }
}
