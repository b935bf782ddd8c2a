using System.Text;

namespace PubSub.Webhooks.Delivery;

/// <summary>The part of a receiver's answer we keep: its first KiB, as text.</summary>
public static class ResponseBody
{
    public const int MaxBytes = 1024;

    /// <summary>Reads at most <see cref="MaxBytes"/> from <paramref name="body"/> and never more: a receiver that
    /// answers with gigabytes costs one KiB.</summary>
    public static async Task<string> ReadStartAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxBytes];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await body.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return Decode(buffer.AsSpan(0, read));
    }

    /// <summary>UTF-8 text of <paramref name="bytes"/>, without the last character if the cut split it.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.Length;
        // Back off over a trailing sequence that the cut left incomplete (at most 3 bytes of a 4-byte character).
        for (var back = 1; back <= Math.Min(3, bytes.Length); back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) != 0x80)
            {
                var length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                if (length > back)
                {
                    end = bytes.Length - back;
                }

                break;
            }
        }

        return Encoding.UTF8.GetString(bytes[..end]);
    }
}
