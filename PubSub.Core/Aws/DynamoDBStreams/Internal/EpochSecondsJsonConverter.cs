using System.Text.Json;
using System.Text.Json.Serialization;

namespace PubSub.Aws.DynamoDBStreams.Internal;

/// <summary>DynamoDB Streams sends times as epoch seconds, a number with an optional fraction.</summary>
internal sealed class EpochSecondsJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Round(reader.GetDouble() * 1000));

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value.ToUnixTimeMilliseconds() / 1000m);
}
