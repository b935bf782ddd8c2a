using System.Buffers;

namespace PubSub.Ingestion.Apis;

internal static class RequestBody
{
    /// <summary>Reads at most <paramref name="limit"/> bytes; a longer body is cut there, which is
    /// enough for the core to see that it is too large.</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        // At least 1: a Content-Length of 0 is a request like any other (the core refuses the empty body).
        var buffer = new ArrayBufferWriter<byte>((int)Math.Clamp(request.ContentLength ?? 4096, 1, limit));
        while (buffer.WrittenCount < limit)
        {
            var size = Math.Min(16 * 1024, limit - buffer.WrittenCount);
            var read = await request.Body.ReadAsync(buffer.GetMemory(size)[..size], cancellationToken);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
        }

        return buffer.WrittenMemory;
    }
}
