using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PubSub.Aws.DynamoDBStreams.Internal;

/// <summary>DynamoDB Streams sends times as epoch seconds, a number with an optional fraction; some
/// producers (AWS's own sample event <c>dynamodb-with-ms-event.json</c>) send milliseconds. As the official
/// libraries do, a value of 1e11 or more is taken as milliseconds (as seconds it would be past the year 5000).
/// A time that is not a number or out of range reads as null: a bad timestamp is no reason to fail a batch.</summary>
internal sealed class EpochSecondsJsonConverter : JsonConverter<DateTimeOffset?>
{
    private const double MillisecondsThreshold = 1e11;

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        double value;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when reader.TryGetDouble(out value):
                break;
            case JsonTokenType.String when double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value):
                break;
            default:
                reader.Skip(); // an object or array: consumed whole, read as no time
                return null;
        }

        return FromEpoch(value);
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } time)
        {
            writer.WriteNumberValue(time.ToUnixTimeMilliseconds() / 1000m);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    internal static DateTimeOffset? FromEpoch(double value)
    {
        var milliseconds = Math.Abs(value) >= MillisecondsThreshold ? value : value * 1000;
        var min = (DateTimeOffset.MinValue - DateTimeOffset.UnixEpoch).TotalMilliseconds;
        var max = (DateTimeOffset.MaxValue - DateTimeOffset.UnixEpoch).TotalMilliseconds;
        return double.IsFinite(milliseconds) && milliseconds > min + 1 && milliseconds < max - 1
            ? DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Round(milliseconds))
            : null;
    }
}
