using System.Net;
using Amazon.Runtime;

namespace Amazon.DynamoDBStreams;

/// <summary>An error answer from DynamoDB Streams; <see cref="AmazonServiceException.ErrorCode"/> carries
/// the code (<c>ResourceNotFoundException</c>, <c>ExpiredIteratorException</c>,
/// <c>TrimmedDataAccessException</c>, <c>LimitExceededException</c>, ...).</summary>
public sealed class AmazonDynamoDBStreamsException : AmazonServiceException
{
    public AmazonDynamoDBStreamsException(string message, ErrorType errorType, string errorCode,
        string? requestId, HttpStatusCode statusCode)
        : base(message, errorType, errorCode, requestId, statusCode)
    {
    }

    public AmazonDynamoDBStreamsException()
    {
    }

    public AmazonDynamoDBStreamsException(string message) : base(message)
    {
    }

    public AmazonDynamoDBStreamsException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public const string ExpiredIterator = "ExpiredIteratorException";
    public const string TrimmedDataAccess = "TrimmedDataAccessException";
    public const string ResourceNotFound = "ResourceNotFoundException";
}
