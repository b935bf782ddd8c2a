using System.Net;
using System.Net.Sockets;

namespace PubSub.UnitTests.Fakes;

/// <summary>A TCP listener on loopback that accepts every connection and never answers: a service that
/// hangs. It counts the connections, so a test can see how many attempts were made.</summary>
internal sealed class HangingEndpoint : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public HangingEndpoint()
    {
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";
        _accepting = AcceptAsync();
    }

    public string Url { get; }

    /// <summary>Our SNS client pointed at this endpoint, as the deadline tests use it.</summary>
    public Amazon.SimpleNotificationService.AmazonSimpleNotificationServiceClient SnsClient(TimeSpan? timeout = null)
    {
        var config = new Amazon.SimpleNotificationService.AmazonSimpleNotificationServiceConfig
        {
            ServiceURL = Url,
            AuthenticationRegion = "us-east-1",
        };
        if (timeout is { } attempt)
        {
            config.Timeout = attempt; // else the system's attempt timeout
        }

        return new(config, TestClients.Credentials, timeProvider: TimeProvider.System);
    }

    public int Connections
    {
        get
        {
            lock (_held)
            {
                return _held.Count;
            }
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_held)
                {
                    _held.Add(client);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _accepting.Wait(TimeSpan.FromSeconds(5));
        lock (_held)
        {
            _held.ForEach(c => c.Dispose());
        }

        _stop.Dispose();
    }
}
