using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.Ingestion.Hosting;
using Xunit.Abstractions;

namespace PubSub.IntegrationTests.Ingestion;

/// <summary>What one publisher can hold of the local host (memory, connections, time), against the real
/// Kestrel server: a body over 1 MiB, slow uploads, a burst of requests in flight, weak keys outside Development.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class IngestionHostLimitsTests(ITestOutputHelper output)
{
    private const int MiB = 1024 * 1024;

    private static (IngestionHostFactory Host, Uri Address) Start(Dictionary<string, string>? settings = null)
    {
        var host = new IngestionHostFactory(settings: settings);
        host.UseKestrel();
        host.StartServer();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (host, new Uri(address));
    }

    private static HttpRequestMessage Post(HttpContent content, string publisher = "demo")
    {
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/cloudevents+json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/events") { Content = content };
        request.Headers.Add("x-api-key", IngestionHostFactory.KeyOf(publisher));
        return request;
    }

    private static string Event(string id) => $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"it","type":"order.created","data":{"orderId":1}}""";

    private static async Task<string> ProblemTypeAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString()!;
    }

    [Fact]
    public async Task A_body_over_one_MiB_is_a_413_problem_whether_its_length_is_declared_or_not()
    {
        var (host, address) = Start();
        await using var _ = host;
        using var client = new HttpClient { BaseAddress = address };
        var body = new byte[MiB + 1];
        body.AsSpan().Fill((byte)' ');

        using var declared = await client.SendAsync(Post(new ByteArrayContent(body)));
        using var chunked = await client.SendAsync(Post(new StreamContent(new UnseekableStream(new MemoryStream(new byte[3 * MiB])))));

        Assert.Equal(MiB, host.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.MaxRequestBodySize);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Equal("urn:pubsub:problem:payload-too-large", await ProblemTypeAsync(declared));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        Assert.Equal("urn:pubsub:problem:payload-too-large", await ProblemTypeAsync(chunked));
    }

    [Fact]
    public async Task Slow_uploads_hold_memory_for_what_arrived_not_for_the_length_they_declared()
    {
        var (host, address) = Start();
        await using var _ = host;
        const int uploads = 48;
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var started = new List<SlowUpload>();
        try
        {
            for (var i = 0; i < uploads; i++)
            {
                started.Add(await SlowUpload.StartAsync(address, IngestionHostFactory.KeyOf("demo"), MiB, 100, CancellationToken.None));
            }

            var limiter = host.Services.GetRequiredService<InFlightLimiter>();
            for (var i = 0; i < 100 && limiter.InFlight("demo") < uploads; i++)
            {
                await Task.Delay(50);
            }

            await Task.Delay(500); // each handler is now waiting in its first read
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

            output.WriteLine($"{uploads} slow uploads of a declared 1 MiB: {allocated / 1024} KiB allocated in the process");
            Assert.Equal(uploads, limiter.InFlight("demo"));
            // Allocated up front at Content-Length this was 48 MiB; grown with what arrives it is a few KiB per upload.
            Assert.True(allocated < 12 * MiB, $"{uploads} slow uploads of a declared 1 MiB allocated {allocated / 1024} KiB");
        }
        finally
        {
            foreach (var upload in started)
            {
                await upload.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_publisher_past_its_requests_in_flight_gets_429_with_retry_after_and_others_are_not_held_up()
    {
        var (host, address) = Start(new() { ["IngestionHost:RequestsInFlightPerPublisher"] = "4" });
        await using var _ = host;
        using var client = new HttpClient { BaseAddress = address };
        var limiter = host.Services.GetRequiredService<InFlightLimiter>();
        var held = new List<SlowUpload>();
        for (var i = 0; i < 4; i++)
        {
            held.Add(await SlowUpload.StartAsync(address, IngestionHostFactory.KeyOf("demo"), 10_000, 10, CancellationToken.None));
        }

        for (var i = 0; i < 100 && limiter.InFlight("demo") < 4; i++)
        {
            await Task.Delay(50);
        }

        using var refused = await client.SendAsync(Post(new StringContent(Event(Guid.NewGuid().ToString()), Encoding.UTF8)));
        using var other = await client.SendAsync(Post(new StringContent(Event(Guid.NewGuid().ToString()), Encoding.UTF8), "acme"));
        foreach (var upload in held)
        {
            await upload.DisposeAsync();
        }

        for (var i = 0; i < 100 && limiter.InFlight("demo") > 0; i++)
        {
            await Task.Delay(50);
        }

        using var afterwards = await client.SendAsync(Post(new StringContent(Event(Guid.NewGuid().ToString()), Encoding.UTF8)));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("urn:pubsub:problem:too-many-in-flight", await ProblemTypeAsync(refused));
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, afterwards.StatusCode);
    }

    [Fact]
    public async Task An_upload_slower_than_the_request_time_limit_is_ended_with_a_408_problem()
    {
        var (host, address) = Start(new() { ["IngestionHost:RequestTimeoutSeconds"] = "1" });
        await using var _ = host;
        await using var upload = await SlowUpload.StartAsync(address, IngestionHostFactory.KeyOf("demo"), 10_000, 10, CancellationToken.None);

        var (status, text) = await upload.ReadResponseAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(408, status);
        Assert.Contains("urn:pubsub:problem:request-timeout", text, StringComparison.Ordinal);
        Assert.Equal(0, host.Services.GetRequiredService<InFlightLimiter>().InFlight("demo"));
    }

    [Fact]
    public void Outside_development_the_host_refuses_to_start_with_short_or_development_keys_naming_the_publisher()
    {
        // A proper fingerprint key, so that the keys are what stops the start.
        using var host = new IngestionHostFactory(
            settings: new Dictionary<string, string> { ["Ingestion:FingerprintKey"] = "production-like-fingerprint-key-0123456789" },
            environment: "Production");

        var error = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("publisher 'demo': its key is shorter than 32 characters", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A stream whose length is unknown, so that HttpClient sends it chunked.</summary>
    private sealed class UnseekableStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
