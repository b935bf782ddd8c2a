using System.Text.Json.Serialization;

namespace PubSub.Provisioning;

/// <summary>An SQS access policy that lets the given SNS topics send to one queue.</summary>
internal static class QueuePolicy
{
    public static QueuePolicyDocument AllowTopics(string queueArn, List<string> topicArns) => new("2012-10-17",
    [
        new QueuePolicyStatement("AllowTopics", "Allow", new QueuePolicyPrincipal("sns.amazonaws.com"), "sqs:SendMessage",
            queueArn, new QueuePolicyCondition(new QueuePolicyArnEquals(topicArns))),
    ]);
}

internal sealed record QueuePolicyDocument(string Version, List<QueuePolicyStatement> Statement);

internal sealed record QueuePolicyStatement(string Sid, string Effect, QueuePolicyPrincipal Principal, string Action,
    string Resource, QueuePolicyCondition Condition);

internal sealed record QueuePolicyPrincipal(string Service);

internal sealed record QueuePolicyCondition(QueuePolicyArnEquals ArnEquals);

internal sealed record QueuePolicyArnEquals([property: JsonPropertyName("aws:SourceArn")] List<string> SourceArn);

/// <summary>An SQS queue's <c>RedrivePolicy</c> attribute: where a message goes after so many receives.</summary>
internal sealed record RedrivePolicy(
    [property: JsonPropertyName("deadLetterTargetArn")] string DeadLetterTargetArn,
    [property: JsonPropertyName("maxReceiveCount")] int MaxReceiveCount);

[JsonSerializable(typeof(QueuePolicyDocument))]
[JsonSerializable(typeof(RedrivePolicy))]
internal sealed partial class QueuePolicyJsonContext : JsonSerializerContext;
