using System.Net;
using Amazon.Runtime;

namespace Amazon.SimpleNotificationService;

/// <summary>An error answer from SNS; <see cref="AmazonServiceException.ErrorCode"/> carries SNS's code
/// (<c>NotFound</c>, <c>InvalidParameter</c>, <c>Throttled</c>, ...).</summary>
public sealed class AmazonSimpleNotificationServiceException : AmazonServiceException
{
    public AmazonSimpleNotificationServiceException(string message, ErrorType errorType, string errorCode,
        string? requestId, HttpStatusCode statusCode)
        : base(message, errorType, errorCode, requestId, statusCode)
    {
    }

    public AmazonSimpleNotificationServiceException()
    {
    }

    public AmazonSimpleNotificationServiceException(string message) : base(message)
    {
    }

    public AmazonSimpleNotificationServiceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
