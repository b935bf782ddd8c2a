using System.Text;
using System.Text.Json;

namespace PubSub.LambdaRuntime;

/// <summary>An error as the Runtime API takes it: <c>errorType</c>, <c>errorMessage</c>, <c>stackTrace</c>.</summary>
public sealed record LambdaError(string ErrorType, string ErrorMessage, IReadOnlyList<string> StackTrace)
{
    public static LambdaError From(Exception exception) => new(
        exception.GetType().Name,
        exception.Message,
        exception.StackTrace?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? []);

    /// <summary>Written by hand rather than serialised: the runtime must not need a JSON context to report
    /// that something else failed.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorType"u8, ErrorType);
            writer.WriteString("errorMessage"u8, ErrorMessage);
            writer.WriteStartArray("stackTrace"u8);
            foreach (var line in StackTrace)
            {
                writer.WriteStringValue(line);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public override string ToString() => new StringBuilder(ErrorType).Append(": ").Append(ErrorMessage).ToString();
}
