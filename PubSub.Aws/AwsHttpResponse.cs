using System.Net;

namespace PubSub.Aws;

/// <summary>The raw answer of one AWS HTTP call; protocols parse the body.</summary>
internal sealed record AwsHttpResponse(HttpStatusCode StatusCode, byte[] Body, string? RequestId);
