using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.Faults;

/// <summary>The ingestion service as its own process, over real sockets, fed what hostile or broken
/// clients send: random bytes, deep and huge JSON, invalid UTF-8, wrong media types, guessed keys, huge
/// headers, clients that trickle their headers. Every answer must be a 4xx, never a 5xx or a dropped
/// connection; the process must stay healthy, keep serving a well-behaved publisher, and keep its
/// memory bounded.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class HostileInputTests(AwsEmulatorsFixture aws) : IAsyncLifetime, IDisposable
{
    private const string Key = "hostile-test-key-8Nc3Hv6Tk1Jw5Pd2Lf";
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private ServiceProcess _host = null!;
    private Uri _baseUrl = null!;

    public async Task InitializeAsync()
    {
        _host = await ServiceProcess.StartIngestionAsync(aws.Embedded?.EnvironmentVariables, TestEvents.Definition,
            new Dictionary<string, string> { ["demo"] = Key });
        _baseUrl = _host.BaseUrl;
    }

    public void Dispose() => _http.Dispose();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<bool> HealthyAsync() => _host.HealthyAsync();

    private async Task<int> PostAsync(byte[] body, string? contentType, string? key = Key, Dictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUrl, "/events")) { Content = new ByteArrayContent(body) };
        // The host refuses a body over 1 MiB without reading it and closes the connection; a client that
        // sends more than its socket buffers hold learns of the 413 before sending by asking first (curl does).
        request.Headers.ExpectContinue = body.Length > 1024 * 1024;
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _http.SendAsync(request);
        return (int)response.StatusCode;
    }

    private long Rss() => _host.Rss();

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Hostile_requests_get_only_4xx_and_the_service_stays_healthy_and_bounded()
    {
        Assert.True(await HealthyAsync(), "the ingestion host did not start: " + _host.Output);
        const string ce = "application/cloudevents+json";
        var random = new Random(20261127);
        var cases = new List<(string Name, Func<Task<int>> Send)>
        {
            ("no key", () => PostAsync(Utf8("{}"), ce, key: null)),
            ("guessed key", () => PostAsync(Utf8("{}"), ce, key: "dev-demo-key")),
            ("empty body", () => PostAsync([], ce)),
            ("no content type", () => PostAsync(Utf8("{}"), null)),
            ("text/plain", () => PostAsync(Utf8("hello"), "text/plain")),
            ("multipart", () => PostAsync(Utf8("--x\r\n\r\n--x--"), "multipart/form-data; boundary=x")),
            ("JSON null", () => PostAsync(Utf8("null"), ce)),
            ("JSON number", () => PostAsync(Utf8("1e999999"), ce)),
            ("truncated", () => PostAsync(Utf8("""{"specversion":"1.0","id":"""), ce)),
            ("deep nesting", () => PostAsync(Utf8(new string('[', 100_000) + new string(']', 100_000)), "application/json")),
            ("deep data", () => PostAsync(Utf8($$"""{"specversion":"1.0","id":"x","source":"s","type":"t","data":{{new string('[', 5000)}}{{new string(']', 5000)}}}"""), ce)),
            ("invalid UTF-8 in a string", () => PostAsync([.. Utf8("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"t\",\"data\":\""), 0xC3, 0x28, 0xFF, .. Utf8("\"}")], ce)),
            ("a 300 KiB event", () => PostAsync(Utf8($$"""{"specversion":"1.0","id":"x","source":"s","type":"t","data":"{{new string('a', 300 * 1024)}}"}"""), ce)),
            ("a 2 MiB batch", () => PostAsync(Utf8("[" + string.Join(",", Enumerable.Repeat($$"""{"specversion":"1.0","id":"x","source":"s","type":"t","data":"{{new string('b', 1000)}}"}""", 2000)) + "]"), "application/cloudevents-batch+json")),
            ("a batch of 101", () => PostAsync(Utf8("[" + string.Join(",", Enumerable.Range(0, 101).Select(i => $$"""{"specversion":"1.0","id":"b{{i}}","source":"s","type":"t"}""")) + "]"), "application/cloudevents-batch+json")),
            ("duplicate members", () => PostAsync(Utf8("""{"specversion":"1.0","id":"a","id":"b","source":"s","type":"t"}"""), ce)),
            ("wrong spec version", () => PostAsync(Utf8("""{"specversion":"0.3","id":"a","source":"s","type":"t"}"""), ce)),
            ("binary mode without ce-id", () => PostAsync(Utf8("{}"), "application/json", headers: new() { ["ce-specversion"] = "1.0", ["ce-type"] = "t", ["ce-source"] = "s" })),
            ("ce header with control characters", () => PostAsync(Utf8("{}"), "application/json", headers: new() { ["ce-specversion"] = "1.0", ["ce-id"] = "%00%01", ["ce-type"] = "t", ["ce-source"] = "s", ["ce-time"] = "yesterday" })),
            ("schema violation", () => PostAsync(Utf8("""{"specversion":"1.0","id":"sv","source":"s","type":"order.created","data":{"orderId":"one"}}"""), ce)),
        };
        for (var i = 0; i < 40; i++)
        {
            var bytes = new byte[random.Next(1, 4096)];
            random.NextBytes(bytes);
            cases.Add(($"random bytes #{i}", () => PostAsync(bytes, i % 2 == 0 ? ce : "application/json")));
        }

        await PostAsync(Utf8("""{"specversion":"1.0","id":"warm","source":"s","type":"t"}"""), ce); // warm up before measuring memory
        var rssBefore = Rss();
        var answers = new List<(string Name, int Status)>();
        foreach (var (name, send) in cases)
        {
            answers.Add((name, await send()));
        }

        answers.Add(("64 KiB header", await PostAsync(Utf8("{}"), ce, headers: new() { ["x-padding"] = new string('h', 64 * 1024) })));
        answers.Add(("a thousand headers", await RawStatusAsync(string.Concat(Enumerable.Range(0, 1000).Select(i => $"x-h{i}: v\r\n")))));

        // Clients that open a connection and trickle their headers must not keep a well-behaved publisher waiting.
        var slow = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => OpenSlowClientAsync()));
        var timer = Stopwatch.StartNew();
        var meanwhile = await PostAsync(Utf8("""{"specversion":"1.0","id":"during-slow","source":"s","type":"t"}"""), ce);
        var meanwhileMs = timer.ElapsedMilliseconds;
        foreach (var client in slow)
        {
            client.Dispose();
        }

        var rssAfter = Rss();
        var healthy = await HealthyAsync();
        Console.WriteLine($"accounting: {answers.Count} hostile requests, {answers.Count(a => a.Status is >= 400 and < 500)} answered 4xx " +
                          $"({string.Join(", ", answers.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}"))}); " +
                          $"accepted: {string.Join(", ", answers.Where(a => a.Status < 300).Select(a => a.Name))}; " +
                          $"a publisher among 50 slow clients: {meanwhile} in {meanwhileMs} ms; RSS {rssBefore / 1048576} -> {rssAfter / 1048576} MiB");

        Assert.All(answers, a => Assert.True(a.Status is >= 400 and < 500, $"{a.Name}: {a.Status}\n{_host.Output}"));
        Assert.Equal(202, meanwhile);
        Assert.True(meanwhileMs < 5000, $"a publisher waited {meanwhileMs} ms behind slow clients");
        Assert.True(healthy, "the service is not healthy after the hostile requests");
        Assert.False(_host.HasExited);
        Assert.True(rssAfter - rssBefore < 200L * 1024 * 1024, $"RSS grew from {rssBefore} to {rssAfter} bytes");
        Assert.DoesNotContain("Unhandled exception", _host.Output, StringComparison.Ordinal);
    }

    /// <summary>A request written by hand, for what HttpClient will not send; the status of its answer.</summary>
    private async Task<int> RawStatusAsync(string extraHeaders)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_baseUrl.Host, _baseUrl.Port);
        var stream = client.GetStream();
        var request = $"POST /events HTTP/1.1\r\nHost: {_baseUrl.Authority}\r\nx-api-key: {Key}\r\nContent-Type: application/cloudevents+json\r\n{extraHeaders}Content-Length: 2\r\nConnection: close\r\n\r\n{{}}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync() ?? "";
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<TcpClient> OpenSlowClientAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(_baseUrl.Host, _baseUrl.Port);
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("POST /events HTTP/1.1\r\nHost: x\r\nx-api-"));
        return client;
    }
}
