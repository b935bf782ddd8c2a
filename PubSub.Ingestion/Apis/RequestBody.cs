using System.Buffers;

namespace PubSub.Ingestion.Apis;

internal static class RequestBody
{
    private const int ChunkBytes = 16 * 1024;

    /// <summary>Reads at most <paramref name="limit"/> bytes; a longer body is cut there, which is
    /// enough for the core to see that it is too large. The buffer grows with what arrives: a
    /// Content-Length is a claim, and a slow upload must not hold that much memory before it is sent.</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            while (buffer.WrittenCount < limit)
            {
                var read = await body.ReadAsync(chunk.AsMemory(0, Math.Min(ChunkBytes, limit - buffer.WrittenCount)), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                buffer.Write(chunk.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.WrittenMemory;
    }
}
