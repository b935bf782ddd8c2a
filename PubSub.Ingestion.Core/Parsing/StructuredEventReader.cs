using System.Text;
using System.Text.Json;
using PubSub.Events;
using PubSub.Json;
using PubSub.Sensitive;

namespace PubSub.Ingestion.Core.Parsing;

/// <summary>A structured-mode CloudEvent (the JSON event format), read in one pass of a reader: the
/// attributes, then <c>data</c> walked in place (limits checked, sensitive data scanned, bytes sliced
/// from the request without a copy) or <c>data_base64</c>.</summary>
internal static class StructuredEventReader
{
    /// <param name="reader">Positioned on the event's first token; left on its last.</param>
    public static ParsedEvent Read(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body, string publisher, bool scan)
    {
        var start = reader.TokenStartIndex;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return ParsedEvent.Refused(Problems.InvalidEvent("A structured CloudEvent must be a JSON object."));
        }

        var attributes = new Attributes();
        Problem? problem = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (JsonFaults.CheckToken(ref reader, member: null) is { } badName)
            {
                problem ??= badName;
                reader.Read();
                reader.Skip();
                continue;
            }

            var name = reader.ValueIsEscaped ? reader.GetString()! : null;
            var known = name is null ? Known(ref reader) : KnownName(name);
            name ??= known ?? reader.GetString()!;
            reader.Read();
            if (problem is null && !attributes.FirstTime(name))
            {
                // Parsers disagree on which of two equal names wins; refusing the event leaves no doubt
                // about what was stored, routed and scanned.
                problem = Problems.DuplicateMember("$." + name, name);
            }

            problem ??= ReadMember(ref reader, body, name, known is not null, attributes, scan);
            if (problem is not null && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        if (reader.BytesConsumed - start > EventLimits.MaxEventBytes)
        {
            return ParsedEvent.Refused(Problems.PayloadTooLarge(EventLimits.MaxEventBytes));
        }

        return problem is not null ? ParsedEvent.Refused(problem) : attributes.ToEvent(publisher);
    }

    private static Problem? ReadMember(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body, string name, bool known,
        Attributes attributes, bool scan)
    {
        switch (name)
        {
            case "data":
                if (reader.TokenType == JsonTokenType.Null)
                {
                    return null;
                }

                if (JsonFaults.Check(new JsonValueChecker(body, EventLimits.MaxArrayElements), reader, body, "$.data") is { } fault)
                {
                    return fault;
                }

                var dataStart = (int)reader.TokenStartIndex;
                var walk = JsonDataWalker.Walk(ref reader, body, "$.data", scan, EventLimits.MaxStringLength);
                attributes.Data = JsonPayload.FromUtf8(body[dataStart..(int)reader.BytesConsumed]);
                attributes.DataFindings = walk.Findings;
                return walk.OverlongPath is { } overlong ? OverlongString(overlong) : null;
            case "data_base64":
                if (reader.TokenType == JsonTokenType.Null)
                {
                    return null;
                }

                if (reader.TokenType == JsonTokenType.String && JsonFaults.CheckToken(ref reader, "data_base64") is { } badText)
                {
                    return badText;
                }

                if (reader.TokenType != JsonTokenType.String || !reader.TryGetBytesFromBase64(out var bytes))
                {
                    return Problems.InvalidEvent("data_base64 must be a base64 string.");
                }

                attributes.DataBinary = bytes;
                return null;
            default:
                return known ? ReadAttribute(ref reader, name, attributes) : ReadExtension(ref reader, body, name, attributes);
        }
    }

    private static Problem? ReadAttribute(ref Utf8JsonReader reader, string name, Attributes attributes)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length == 0)
        {
            return Problems.InvalidEvent($"{name} must be a non-empty string.");
        }

        if (JsonFaults.CheckToken(ref reader, name) is { } badText)
        {
            return badText;
        }

        var value = reader.GetString()!;
        attributes.Set(name, value);
        return JsonFaults.CheckAttribute(name, value, "$.") ?? AttributeRules.CheckLength(name, value);
    }

    private static Problem? ReadExtension(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body, string name, Attributes attributes)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (AttributeRules.CheckExtensionName(name) is { } badName)
        {
            return badName;
        }

        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            return Problems.InvalidEvent($"Extension '{name}' must be a string, number or boolean.");
        }

        if (reader.TokenType == JsonTokenType.String
            && (JsonFaults.CheckToken(ref reader, name) ?? JsonFaults.CheckAttribute(name, reader.GetString(), "$.")) is { } badText)
        {
            return badText;
        }

        var raw = Encoding.UTF8.GetString(body.Span[(int)reader.TokenStartIndex..(int)reader.BytesConsumed]);
        (attributes.Extensions ??= new Dictionary<string, string>(StringComparer.Ordinal))[name] = raw;
        return AttributeRules.CheckLength(name, raw);
    }

    internal static Problem OverlongString(string path) =>
        Problems.InvalidEvent($"The string at {path} is longer than {EventLimits.MaxStringLength} characters.");

    /// <summary>Matches the common names without decoding them.</summary>
    private static string? Known(ref Utf8JsonReader reader)
    {
        foreach (var name in AttributeRules.ContextAttributeNames)
        {
            if (reader.ValueTextEquals(name))
            {
                return name;
            }
        }

        return null;
    }

    private static string? KnownName(string name) => AttributeRules.ContextAttributes.Contains(name) ? name : null;

    /// <summary>The attributes as they are read; turned into an envelope once the object ends.</summary>
    private sealed class Attributes
    {
        private string? _specVersion, _id, _source, _type, _subject, _time, _dataContentType, _dataSchema;
        private int _seen;
        private HashSet<string>? _otherNames;

        public JsonPayload? Data { get; set; }
        public byte[]? DataBinary { get; set; }
        public IReadOnlyList<SensitiveFinding>? DataFindings { get; set; }
        public Dictionary<string, string>? Extensions { get; set; }

        /// <summary>False when a member of this name was already read (a bit per common name; a set for extensions).</summary>
        public bool FirstTime(string name)
        {
            var bit = name switch
            {
                "specversion" => 1, "id" => 2, "source" => 4, "type" => 8, "subject" => 16, "time" => 32,
                "datacontenttype" => 64, "dataschema" => 128, "data" => 256, "data_base64" => 512, _ => 0,
            };
            if (bit == 0)
            {
                return (_otherNames ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
            }

            var first = (_seen & bit) == 0;
            _seen |= bit;
            return first;
        }

        public void Set(string name, string value)
        {
            switch (name)
            {
                case "specversion": _specVersion = value; break;
                case "id": _id = value; break;
                case "source": _source = value; break;
                case "type": _type = value; break;
                case "subject": _subject = value; break;
                case "time": _time = value; break;
                case "datacontenttype": _dataContentType = value; break;
                case "dataschema": _dataSchema = value; break;
            }
        }

        public ParsedEvent ToEvent(string publisher)
        {
            List<string> missing = [];
            if (_specVersion is null) missing.Add("specversion");
            if (_id is null) missing.Add("id");
            if (_source is null) missing.Add("source");
            if (_type is null) missing.Add("type");
            if (missing.Count > 0)
            {
                return ParsedEvent.Refused(Problems.MissingAttributes(missing));
            }

            if (Data is not null && DataBinary is not null)
            {
                return ParsedEvent.Refused(Problems.InvalidEvent("An event carries either data or data_base64, not both."));
            }

            var badTime = AttributeRules.ParseTime(_time, out var time);
            var problem = (_specVersion == EventEnvelope.CloudEventsSpecVersion
                              ? null
                              : Problems.InvalidEvent($"specversion must be \"1.0\", not \"{_specVersion}\"."))
                          ?? AttributeRules.CheckId(_id!)
                          ?? badTime;
            if (problem is not null)
            {
                return ParsedEvent.Refused(problem);
            }

            return ParsedEvent.Of(new EventEnvelope
            {
                Id = _id!,
                Source = _source!,
                Type = _type!,
                Subject = _subject,
                Time = time,
                DataContentType = _dataContentType ?? (Data is not null ? "application/json" : null),
                DataSchema = _dataSchema,
                Data = Data,
                DataBinary = DataBinary,
                Extensions = Extensions,
                Publisher = publisher,
                ReceivedAt = default,
                OriginRegion = "",
            }, DataFindings);
        }
    }
}
