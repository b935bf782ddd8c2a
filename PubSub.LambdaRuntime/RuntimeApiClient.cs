using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace PubSub.LambdaRuntime;

/// <summary>A client for Lambda's Runtime API (version 2018-06-01): fetch the next invocation, post
/// its response or error, or report an initialisation error. The host and port come from
/// <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
public sealed class RuntimeApiClient : IDisposable
{
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;

    /// <param name="runtimeApi">host:port, as in <c>AWS_LAMBDA_RUNTIME_API</c>.</param>
    public RuntimeApiClient(string runtimeApi, HttpMessageHandler? handler = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        _http = new HttpClient(handler ?? new SocketsHttpHandler { UseProxy = false }, disposeHandler: handler is null)
        {
            BaseAddress = new Uri($"http://{runtimeApi}/2018-06-01/"),
            // next blocks until an event arrives, which may be hours away.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Waits for the next event. The Runtime API freezes the process while none is waiting.</summary>
    public async Task<LambdaInvocation> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("runtime/invocation/next", HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new RuntimeApiException($"runtime/invocation/next answered {(int)response.StatusCode}", response.StatusCode);
        }

        var requestId = Header(response, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new RuntimeApiException("runtime/invocation/next answered without Lambda-Runtime-Aws-Request-Id", response.StatusCode);
        var deadline = long.TryParse(Header(response, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.MaxValue;
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new LambdaInvocation(requestId, deadline, Header(response, "Lambda-Runtime-Invoked-Function-Arn"),
            Header(response, "Lambda-Runtime-Trace-Id"), body);
    }

    /// <summary>Posts the invocation's response. False when Lambda refused it (a 4xx, for instance 413, too
    /// large): the caller then reports an error instead. Throws <see cref="RuntimeApiException"/> for a 5xx
    /// (the Runtime API's "non-recoverable state").</summary>
    public async Task<bool> SendResponseAsync(string requestId, ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(response);
        content.Headers.ContentType = Json;
        var path = $"runtime/invocation/{Uri.EscapeDataString(requestId)}/response";
        using var answer = await _http.PostAsync(path, content, cancellationToken).ConfigureAwait(false);
        if ((int)answer.StatusCode >= 500)
        {
            throw new RuntimeApiException($"{path} answered {(int)answer.StatusCode}", answer.StatusCode);
        }

        return answer.IsSuccessStatusCode;
    }

    public Task SendErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken) =>
        PostErrorAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/error", error, cancellationToken);

    /// <summary>Reports that the function could not start; Lambda then fails the pending invocation.</summary>
    public Task SendInitErrorAsync(LambdaError error, CancellationToken cancellationToken) =>
        PostErrorAsync("runtime/init/error", error, cancellationToken);

    private async Task PostErrorAsync(string path, LambdaError error, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(error.ToJson());
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TryAddWithoutValidation(ErrorTypeHeader, error.ErrorType);
        using var answer = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!answer.IsSuccessStatusCode)
        {
            throw new RuntimeApiException($"{path} answered {(int)answer.StatusCode}", answer.StatusCode);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    public void Dispose() => _http.Dispose();
}

/// <summary>The Runtime API answered something other than success. A 5xx is its "non-recoverable state":
/// the runtime must exit; a 4xx refuses one post only.</summary>
public sealed class RuntimeApiException(string message, HttpStatusCode statusCode) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    public bool IsFatal => (int)StatusCode >= 500 || StatusCode == 0;
}
