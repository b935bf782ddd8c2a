using System.Buffers;
using System.Text;

namespace PubSub.Webhooks.Signing;

/// <summary>What every signature covers, <c>{id}.{timestamp}.{body}</c>, in a pooled buffer (it runs
/// once per attempt, so it must not allocate a copy of the body each time). Dispose returns the buffer.</summary>
internal readonly struct SignedContent : IDisposable
{
    private SignedContent(byte[] buffer, int length)
    {
        Buffer = buffer;
        Length = length;
    }

    /// <summary>The pooled array (longer than <see cref="Length"/>); BouncyCastle's Ed25519 takes arrays.</summary>
    public byte[] Buffer { get; }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

    /// <param name="id">ASCII (the callers check it).</param>
    /// <param name="timestamp">ASCII digits.</param>
    public static SignedContent Create(ReadOnlySpan<char> id, ReadOnlySpan<char> timestamp, ReadOnlySpan<byte> body)
    {
        var length = id.Length + 1 + timestamp.Length + 1 + body.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        var written = Encoding.ASCII.GetBytes(id, buffer);
        buffer[written++] = (byte)'.';
        written += Encoding.ASCII.GetBytes(timestamp, buffer.AsSpan(written));
        buffer[written++] = (byte)'.';
        body.CopyTo(buffer.AsSpan(written));
        return new SignedContent(buffer, length);
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(Buffer);
}
