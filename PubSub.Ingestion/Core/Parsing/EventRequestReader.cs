using System.Net.Http.Headers;
using System.Text.Json;

namespace PubSub.Ingestion.Core.Parsing;

/// <summary>Reads a request in whichever CloudEvents HTTP mode it uses: structured
/// (<c>application/cloudevents+json</c>, or <c>application/json</c> whose object has <c>specversion</c>),
/// binary (<c>ce-specversion</c> header, JSON body), batch (<c>application/cloudevents-batch+json</c>),
/// or plain JSON.</summary>
public static class EventRequestReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = EventLimits.MaxDepth };
    private static readonly JsonDocumentOptions BatchOptions = new() { MaxDepth = EventLimits.MaxDepth + 1 };

    private enum Mode
    {
        Structured,
        Json,
        Batch,
        Unsupported,
    }

    public static ParsedRequest Read(IngestionRequest request)
    {
        var mode = ModeOf(request.ContentType);
        var binary = BinaryEventReader.IsBinaryMode(request.Headers);
        if (binary && mode == Mode.Unsupported && request.Body.Length == 0)
        {
            return ParsedRequest.One(BinaryEventReader.Read(request, body: null));
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

        JsonDocument document;
        try
        {
            if (DataLimits.FirstOverlongString(request.Body.Span) is { } overlong)
            {
                return ParsedRequest.Refused(Problems.InvalidEvent(
                    $"The string at {overlong} is longer than {EventLimits.MaxStringLength} characters."));
            }

            document = JsonDocument.Parse(request.Body, mode == Mode.Batch ? BatchOptions : DocumentOptions);
        }
        catch (JsonException e)
        {
            return ParsedRequest.Refused(Problems.MalformedJson($"The body is not valid JSON: {e.Message}"));
        }

        using (document)
        {
            var root = document.RootElement;
            if (mode == Mode.Batch)
            {
                return ReadBatch(root, request.Publisher);
            }

            if (binary && mode == Mode.Json)
            {
                return ParsedRequest.One(BinaryEventReader.Read(request, root));
            }

            var structured = mode == Mode.Structured
                             || (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("specversion", out _));
            return ParsedRequest.One(structured
                ? StructuredEventReader.Read(root, request.Publisher, request.Body.Length)
                : PlainEventReader.Read(root, request));
        }
    }

    private static ParsedRequest ReadBatch(JsonElement root, string publisher)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            return ParsedRequest.Refused(Problems.InvalidBatch("A batch must be a JSON array of structured CloudEvents."));
        }

        var count = root.GetArrayLength();
        if (count is 0 or > EventLimits.MaxBatchEvents)
        {
            return ParsedRequest.Refused(Problems.InvalidBatch(
                $"A batch holds 1 to {EventLimits.MaxBatchEvents} events; this one holds {count}."));
        }

        var events = new List<ParsedEvent>(count);
        foreach (var element in root.EnumerateArray())
        {
            events.Add(StructuredEventReader.Read(element, publisher, System.Text.Encoding.UTF8.GetByteCount(element.GetRawText())));
        }

        return new ParsedRequest(events, IsBatch: true, Problem: null);
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
