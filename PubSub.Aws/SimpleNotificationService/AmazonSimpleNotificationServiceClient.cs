using System.Globalization;
using System.Xml.Linq;
using Amazon.Runtime;
using PubSub.Aws.SimpleNotificationService.Internal;
using Amazon.SimpleNotificationService.Model;
using PubSub.Aws;

namespace Amazon.SimpleNotificationService;

/// <summary>SNS over its Query protocol (form-encoded requests, XML answers), signed with SigV4.</summary>
public sealed class AmazonSimpleNotificationServiceClient : IAmazonSimpleNotificationService
{
    private const string Version = "2010-03-31";
    private const string FormContentType = "application/x-www-form-urlencoded; charset=utf-8";

    private readonly AwsRequestSender _sender;
    private readonly HttpClient? _ownedHttp;

    /// <param name="config">Region, endpoint and retries; defaults resolve from the environment.</param>
    /// <param name="credentials">Defaults to the SDK's credential chain.</param>
    /// <param name="handler">The HTTP handler; tests pass a fake one.</param>
    /// <param name="timeProvider">Clock for retry delays.</param>
    public AmazonSimpleNotificationServiceClient(AmazonSimpleNotificationServiceConfig? config = null,
        AWSCredentials? credentials = null, HttpMessageHandler? handler = null, TimeProvider? timeProvider = null)
    {
        config ??= new AmazonSimpleNotificationServiceConfig();
        var http = handler is null ? _ownedHttp = new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _sender = new AwsRequestSender(AwsServiceEndpoint.Resolve(config, "sns", "sns"), config, credentials, http,
            timeProvider ?? TimeProvider.System);
    }

    public Uri EndpointUrl => _sender.EndpointUrl;

    public async Task<PublishResponse> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        var query = new QueryRequestWriter("Publish", Version)
            .Add("Message", request.Message)
            .Add("TopicArn", request.TopicArn)
            .Add("TargetArn", request.TargetArn)
            .Add("PhoneNumber", request.PhoneNumber)
            .Add("Subject", request.Subject)
            .Add("MessageStructure", request.MessageStructure)
            .AddMessageAttributes("MessageAttributes", request.MessageAttributes)
            .Add("MessageDeduplicationId", request.MessageDeduplicationId)
            .Add("MessageGroupId", request.MessageGroupId);
        var (result, requestId) = await SendAsync("Publish", query, cancellationToken).ConfigureAwait(false);
        return new PublishResponse
        {
            MessageId = SnsXml.Value(result, "MessageId"),
            SequenceNumber = SnsXml.Value(result, "SequenceNumber"),
            RequestId = requestId,
        };
    }

    public async Task<PublishBatchResponse> PublishBatchAsync(PublishBatchRequest request, CancellationToken cancellationToken = default)
    {
        var query = new QueryRequestWriter("PublishBatch", Version).Add("TopicArn", request.TopicArn);
        for (var i = 0; i < request.PublishBatchRequestEntries.Count; i++)
        {
            var entry = request.PublishBatchRequestEntries[i];
            var member = QueryRequestWriter.Prefix("PublishBatchRequestEntries", "member", i + 1);
            query.Add(member, ".Id", entry.Id)
                .Add(member, ".Message", entry.Message)
                .Add(member, ".Subject", entry.Subject)
                .Add(member, ".MessageStructure", entry.MessageStructure)
                .AddMessageAttributes(member + ".MessageAttributes", entry.MessageAttributes)
                .Add(member, ".MessageDeduplicationId", entry.MessageDeduplicationId)
                .Add(member, ".MessageGroupId", entry.MessageGroupId);
        }

        var (result, requestId) = await SendAsync("PublishBatch", query, cancellationToken).ConfigureAwait(false);
        return new PublishBatchResponse
        {
            Successful = SnsXml.Members(result, "Successful")
                .Select(m => new PublishBatchResultEntry(
                    SnsXml.Value(m, "Id") ?? "", SnsXml.Value(m, "MessageId"), SnsXml.Value(m, "SequenceNumber")))
                .ToList(),
            Failed = SnsXml.Members(result, "Failed")
                .Select(m => new BatchResultErrorEntry(
                    SnsXml.Value(m, "Id") ?? "", SnsXml.Value(m, "Code") ?? "Unknown", SnsXml.Value(m, "Message"),
                    string.Equals(SnsXml.Value(m, "SenderFault"), "true", StringComparison.OrdinalIgnoreCase)))
                .ToList(),
            RequestId = requestId,
        };
    }

    public async Task<CreateTopicResponse> CreateTopicAsync(CreateTopicRequest request, CancellationToken cancellationToken = default)
    {
        var query = new QueryRequestWriter("CreateTopic", Version)
            .Add("Name", request.Name)
            .AddAttributes("Attributes", request.Attributes)
            .AddTags("Tags", request.Tags);
        var (result, requestId) = await SendAsync("CreateTopic", query, cancellationToken).ConfigureAwait(false);
        return new CreateTopicResponse { TopicArn = Required(result, "TopicArn", "CreateTopic"), RequestId = requestId };
    }

    public async Task<DeleteTopicResponse> DeleteTopicAsync(DeleteTopicRequest request, CancellationToken cancellationToken = default)
    {
        var query = new QueryRequestWriter("DeleteTopic", Version).Add("TopicArn", request.TopicArn);
        var (_, requestId) = await SendAsync("DeleteTopic", query, cancellationToken).ConfigureAwait(false);
        return new DeleteTopicResponse { RequestId = requestId };
    }

    public async Task<ListTopicsResponse> ListTopicsAsync(ListTopicsRequest request, CancellationToken cancellationToken = default)
    {
        var query = new QueryRequestWriter("ListTopics", Version).Add("NextToken", request.NextToken);
        var (result, requestId) = await SendAsync("ListTopics", query, cancellationToken).ConfigureAwait(false);
        return new ListTopicsResponse
        {
            Topics = SnsXml.Members(result, "Topics").Select(m => new Topic(SnsXml.Value(m, "TopicArn") ?? "")).ToList(),
            NextToken = NullIfEmpty(SnsXml.Value(result, "NextToken")),
            RequestId = requestId,
        };
    }

    public async Task<SubscribeResponse> SubscribeAsync(SubscribeRequest request, CancellationToken cancellationToken = default)
    {
        var query = new QueryRequestWriter("Subscribe", Version)
            .Add("TopicArn", request.TopicArn)
            .Add("Protocol", request.Protocol)
            .Add("Endpoint", request.Endpoint)
            .AddAttributes("Attributes", request.Attributes)
            .Add("ReturnSubscriptionArn", request.ReturnSubscriptionArn ? "true" : null);
        var (result, requestId) = await SendAsync("Subscribe", query, cancellationToken).ConfigureAwait(false);
        return new SubscribeResponse { SubscriptionArn = Required(result, "SubscriptionArn", "Subscribe"), RequestId = requestId };
    }

    public async Task<UnsubscribeResponse> UnsubscribeAsync(UnsubscribeRequest request, CancellationToken cancellationToken = default)
    {
        var query = new QueryRequestWriter("Unsubscribe", Version).Add("SubscriptionArn", request.SubscriptionArn);
        var (_, requestId) = await SendAsync("Unsubscribe", query, cancellationToken).ConfigureAwait(false);
        return new UnsubscribeResponse { RequestId = requestId };
    }

    public async Task<SetSubscriptionAttributesResponse> SetSubscriptionAttributesAsync(
        SetSubscriptionAttributesRequest request, CancellationToken cancellationToken = default)
    {
        var query = new QueryRequestWriter("SetSubscriptionAttributes", Version)
            .Add("SubscriptionArn", request.SubscriptionArn)
            .Add("AttributeName", request.AttributeName)
            .Add("AttributeValue", request.AttributeValue);
        var (_, requestId) = await SendAsync("SetSubscriptionAttributes", query, cancellationToken).ConfigureAwait(false);
        return new SetSubscriptionAttributesResponse { RequestId = requestId };
    }

    public async Task<ListSubscriptionsByTopicResponse> ListSubscriptionsByTopicAsync(
        ListSubscriptionsByTopicRequest request, CancellationToken cancellationToken = default)
    {
        var query = new QueryRequestWriter("ListSubscriptionsByTopic", Version)
            .Add("TopicArn", request.TopicArn)
            .Add("NextToken", request.NextToken);
        var (result, requestId) = await SendAsync("ListSubscriptionsByTopic", query, cancellationToken).ConfigureAwait(false);
        return new ListSubscriptionsByTopicResponse
        {
            Subscriptions = SnsXml.Members(result, "Subscriptions")
                .Select(m => new Subscription(
                    SnsXml.Value(m, "SubscriptionArn") ?? "", SnsXml.Value(m, "Owner"), SnsXml.Value(m, "Protocol") ?? "",
                    SnsXml.Value(m, "Endpoint"), SnsXml.Value(m, "TopicArn") ?? request.TopicArn))
                .ToList(),
            NextToken = NullIfEmpty(SnsXml.Value(result, "NextToken")),
            RequestId = requestId,
        };
    }

    public async Task<GetSubscriptionAttributesResponse> GetSubscriptionAttributesAsync(
        GetSubscriptionAttributesRequest request, CancellationToken cancellationToken = default)
    {
        var query = new QueryRequestWriter("GetSubscriptionAttributes", Version).Add("SubscriptionArn", request.SubscriptionArn);
        var (result, requestId) = await SendAsync("GetSubscriptionAttributes", query, cancellationToken).ConfigureAwait(false);
        return new GetSubscriptionAttributesResponse
        {
            // A map, not a list: <Attributes><entry><key/><value/></entry>...</Attributes>.
            Attributes = (SnsXml.Child(result, "Attributes")?.Elements().Where(e => e.Name.LocalName == "entry") ?? [])
                .Where(e => SnsXml.Value(e, "key") is not null)
                .ToDictionary(e => SnsXml.Value(e, "key")!, e => SnsXml.Value(e, "value") ?? "", StringComparer.Ordinal),
            RequestId = requestId,
        };
    }

    public void Dispose() => _ownedHttp?.Dispose();

    private async Task<(XElement Result, string? RequestId)> SendAsync(string operation, QueryRequestWriter query,
        CancellationToken cancellationToken)
    {
        var request = new AwsRequest(operation, FormContentType, query.ToUtf8Bytes());
        var response = await _sender.SendAsync(request, SnsXml.ParseError, cancellationToken).ConfigureAwait(false);
        return SnsXml.ReadResult(response, operation);
    }

    private static string Required(XElement result, string name, string operation) =>
        SnsXml.Value(result, name) is { Length: > 0 } value
            ? value
            : throw new AmazonSimpleNotificationServiceException(
                string.Create(CultureInfo.InvariantCulture, $"SNS {operation} answered without {name}."));

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
