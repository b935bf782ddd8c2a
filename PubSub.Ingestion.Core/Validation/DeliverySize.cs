using System.Buffers;
using System.Text.Json;
using PubSub.Events;

namespace PubSub.Ingestion.Core.Validation;

/// <summary>What an event counts for SNS when the stream publisher publishes it: the structured
/// CloudEvent (<see cref="CloudEventJson"/>) plus its message attributes (<see cref="MessageAttributes"/>),
/// as the topic publisher counts it. Worked out without building the message: the JSON data is copied
/// verbatim, so its length is added as is, and the rest is written to a writer that keeps nothing.</summary>
public static class DeliverySize
{
    /// <summary>SNS's limit for one message (body and attributes).</summary>
    public const int SnsMessageBytes = 256 * 1024;

    public static long Of(EventEnvelope e)
    {
        var counter = new CountingWriter();
        using (var writer = new Utf8JsonWriter(counter))
        {
            CloudEventJson.Write(writer, e with { Data = null });
        }

        counter.Release();
        var data = e.Data is null || e.DataBinary is not null ? 0 : ",\"data\":".Length + e.Data.Length;
        // Counted as a replay carries it (replayed=true), so that an event accepted can also be replayed.
        return counter.Count + data + MessageAttributes.SizeOf(e, replayed: true);
    }

    /// <summary>Counts what is written into one pooled scratch buffer, overwritten each time.</summary>
    private sealed class CountingWriter : IBufferWriter<byte>
    {
        private byte[] _scratch = ArrayPool<byte>.Shared.Rent(1024);

        public long Count { get; private set; }

        public void Advance(int count) => Count += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => Scratch(sizeHint);

        public void Release() => ArrayPool<byte>.Shared.Return(_scratch);

        private byte[] Scratch(int sizeHint)
        {
            if (sizeHint > _scratch.Length)
            {
                ArrayPool<byte>.Shared.Return(_scratch);
                _scratch = ArrayPool<byte>.Shared.Rent(sizeHint);
            }

            return _scratch;
        }
    }
}
