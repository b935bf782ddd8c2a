using System.Net;
using Amazon.Runtime;

namespace PubSub.Aws;

/// <summary>Tells a transient AWS error (throttling, a fault on the service's side) from one that
/// another attempt cannot fix.</summary>
public static class AwsErrors
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "Throttled", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException", "KMSThrottlingException",
    };

    public static bool IsTransient(AmazonServiceException error) =>
        error.StatusCode is HttpStatusCode.TooManyRequests
        || (int)error.StatusCode >= 500
        || ThrottlingCodes.Contains(error.ErrorCode ?? "");

    /// <summary>True for every way an AWS call can fail (an error answer, no answer, a timeout),
    /// but not for the caller's own cancellation.</summary>
    public static bool IsCallFailure(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        AmazonServiceException or AmazonClientException or HttpRequestException or IOException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>The AWS error code, or a name for a failure that had none.</summary>
    public static string CodeOf(Exception exception) => exception switch
    {
        AmazonServiceException { ErrorCode: { Length: > 0 } code } => code,
        OperationCanceledException => "Timeout",
        _ when IsMissingCredentials(exception) => "NoCredentials",
        _ => "Unreachable",
    };

    /// <summary>True when the call was never sent because the SDK's credential chain found no credentials
    /// (no environment keys, no profile, no instance role). The SDK has no exception type for this, only an
    /// <see cref="AmazonClientException"/> with its own wording, which is what this recognises.</summary>
    public static bool IsMissingCredentials(Exception exception) =>
        exception is AmazonClientException
        && exception.Message.StartsWith("Failed to resolve AWS credentials", StringComparison.Ordinal);
}
