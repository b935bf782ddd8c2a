using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace PubSub.Ingestion.Core.Answers;

/// <summary>The bodies of <see cref="IngestionAnswer"/>. Written with <see cref="Utf8JsonWriter"/> because
/// problem extensions are open-ended values, which source-generated serialisation (Native AOT) cannot type.</summary>
internal static class AnswerJson
{
    public static ReadOnlyMemory<byte> Id(string id) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, id);
        writer.WriteEndObject();
    });

    public static ReadOnlyMemory<byte> Problem(Problem problem) => Write(writer => WriteProblem(writer, problem));

    /// <summary><c>{"accepted","duplicates","rejected","results":[{"index","id","status","problem"}]}</c>.</summary>
    public static ReadOnlyMemory<byte> Batch(IReadOnlyList<IngestionResult> results, out int rejected)
    {
        var accepted = results.Count(r => r is IngestionResult.Accepted);
        var duplicates = results.Count(r => r is IngestionResult.Duplicate);
        rejected = results.Count - accepted - duplicates;
        var rejectedCount = rejected;
        return Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("accepted"u8, accepted);
            writer.WriteNumber("duplicates"u8, duplicates);
            writer.WriteNumber("rejected"u8, rejectedCount);
            writer.WriteStartArray("results"u8);
            for (var i = 0; i < results.Count; i++)
            {
                WriteItem(writer, i, results[i]);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static void WriteItem(Utf8JsonWriter writer, int index, IngestionResult result)
    {
        var (id, problem) = result switch
        {
            IngestionResult.Accepted a => (a.Id, null),
            IngestionResult.Duplicate d => (d.Id, null),
            IngestionResult.Rejected r => (r.Id, r.Problem),
            var other => throw new InvalidOperationException($"Unexpected result {other}"),
        };
        writer.WriteStartObject();
        writer.WriteNumber("index"u8, index);
        writer.WriteString("id"u8, id);
        writer.WriteNumber("status"u8, result.Status);
        writer.WritePropertyName("problem"u8);
        if (problem is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            WriteProblem(writer, problem);
        }

        writer.WriteEndObject();
    }

    private static void WriteProblem(Utf8JsonWriter writer, Problem problem)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, problem.Type);
        writer.WriteString("title"u8, problem.Title);
        writer.WriteNumber("status"u8, problem.Status);
        writer.WriteString("detail"u8, problem.Detail);
        foreach (var (name, value) in problem.Extensions)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>The value kinds <see cref="Problems"/> puts in extensions.</summary>
    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int n: writer.WriteNumberValue(n); break;
            case long n: writer.WriteNumberValue(n); break;
            case double n: writer.WriteNumberValue(n); break;
            case SchemaError error:
                writer.WriteStartObject();
                writer.WriteString("path"u8, error.Path);
                writer.WriteString("message"u8, error.Message);
                writer.WriteEndObject();
                break;
            case IReadOnlyDictionary<string, int> counts:
                writer.WriteStartObject();
                foreach (var (key, count) in counts)
                {
                    writer.WriteNumber(key, count);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    private static ReadOnlyMemory<byte> Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenMemory;
    }
}
