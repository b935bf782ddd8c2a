using System.Text.Json;
using PubSub.Events;

namespace PubSub.Ingestion.Core.Parsing;

/// <summary>Plain JSON: the body is the data; the type comes from a <c>ce-type</c> header or the body's
/// <c>type</c> member; the id from <c>ce-id</c> or <c>Idempotency-Key</c>, else a new UUIDv7; the
/// source from <c>ce-source</c>, else the publisher.</summary>
internal static class PlainEventReader
{
    public static ParsedEvent Read(JsonElement body, IngestionRequest request)
    {
        var headers = request.Headers;
        var type = headers.GetValueOrDefault("ce-type")
                   ?? (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                       ? t.GetString()
                       : null);
        if (string.IsNullOrEmpty(type))
        {
            return ParsedEvent.Refused(Problems.MissingAttributes(["type"]) with
            {
                Detail = "The event has no type: send a ce-type header or a \"type\" member in the JSON body.",
            });
        }

        var id = headers.GetValueOrDefault("ce-id") ?? headers.GetValueOrDefault("idempotency-key") ?? Guid.CreateVersion7().ToString();
        var source = headers.GetValueOrDefault("ce-source") ?? request.Publisher;
        var subject = headers.GetValueOrDefault("ce-subject");
        var problem = AttributeRules.ParseTime(headers.GetValueOrDefault("ce-time"), out var time)
                      ?? AttributeRules.CheckId(id)
                      ?? AttributeRules.CheckLength("type", type)
                      ?? AttributeRules.CheckLength("source", source)
                      ?? AttributeRules.CheckLength("subject", subject);
        if (problem is not null)
        {
            return ParsedEvent.Refused(problem);
        }

        var envelope = new EventEnvelope
        {
            Id = id,
            Source = source,
            Type = type,
            Subject = subject,
            Time = time,
            DataContentType = "application/json",
            Data = body.GetRawText(),
            Publisher = request.Publisher,
            ReceivedAt = default,
            OriginRegion = "",
        };
        return ParsedEvent.Of(envelope with { Fingerprint = EventFingerprint.Of(envelope) });
    }
}
