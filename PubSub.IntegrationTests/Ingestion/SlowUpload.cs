using System.Net.Sockets;
using System.Text;

namespace PubSub.IntegrationTests.Ingestion;

/// <summary>A raw HTTP/1.1 POST that declares a body and sends only part of it, then waits: what a
/// hostile or broken publisher does to hold a host's memory and connections.</summary>
internal sealed class SlowUpload : IAsyncDisposable
{
    private readonly TcpClient _client = new();
    private NetworkStream _stream = null!;

    public static async Task<SlowUpload> StartAsync(Uri host, string apiKey, long contentLength, int sent, CancellationToken cancellationToken)
    {
        var upload = new SlowUpload();
        await upload._client.ConnectAsync(host.Host, host.Port, cancellationToken);
        upload._stream = upload._client.GetStream();
        var head = $"POST /events HTTP/1.1\r\nHost: {host.Authority}\r\nx-api-key: {apiKey}\r\n" +
                   $"Content-Type: application/cloudevents+json\r\nContent-Length: {contentLength}\r\n\r\n";
        await upload._stream.WriteAsync(Encoding.ASCII.GetBytes(head + new string(' ', sent)), cancellationToken);
        return upload;
    }

    /// <summary>The status line and body of the answer, read until the server closes or the timeout.</summary>
    public async Task<(int Status, string Text)> ReadResponseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await _stream.ReadAsync(buffer, cts.Token)) > 0)
            {
                received.Write(buffer, 0, read);
                if (Encoding.ASCII.GetString(received.ToArray()) is var text && text.Contains("\r\n\r\n", StringComparison.Ordinal)
                    && text.Contains('}', StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // what arrived so far is the answer
        }

        var response = Encoding.UTF8.GetString(received.ToArray());
        var status = response.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) ? int.Parse(response.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture) : 0;
        return (status, response);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
