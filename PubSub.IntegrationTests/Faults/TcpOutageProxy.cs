using System.Net;
using System.Net.Sockets;

namespace PubSub.IntegrationTests.Faults;

/// <summary>A TCP forwarder in front of one emulator endpoint that can go down and come back on the
/// same port: down, it stops listening and resets every open connection, so callers see what they
/// would see if the service behind it had died (connection refused, connection reset).</summary>
internal sealed class TcpOutageProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _connections = [];
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;

    public TcpOutageProxy(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/");
        probe.Stop();
        Up();
    }

    public Uri Endpoint { get; }

    public void Up()
    {
        _listener = new TcpListener(IPAddress.Loopback, Endpoint.Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        var listener = _listener;
        _accepting = Task.Run(() => AcceptAsync(listener));
    }

    public async Task DownAsync()
    {
        _listener?.Stop();
        _listener = null;
        await _accepting;
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Client.LingerState = new LingerOption(true, 0); // RST, as from a dead peer
                connection.Dispose();
            }

            _connections.Clear();
        }
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        lock (_connections)
        {
            _connections.Add(client);
            _connections.Add(upstream);
        }

        try
        {
            await upstream.ConnectAsync(_target);
            var a = client.GetStream();
            var b = upstream.GetStream();
            await Task.WhenAny(a.CopyToAsync(b), b.CopyToAsync(a));
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            // the connection was reset by the outage or closed by either side
        }
        finally
        {
            lock (_connections)
            {
                _connections.Remove(client);
                _connections.Remove(upstream);
            }

            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await DownAsync();
}
