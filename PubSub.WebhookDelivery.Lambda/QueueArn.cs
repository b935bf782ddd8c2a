using System.Diagnostics.CodeAnalysis;

namespace PubSub.WebhookDelivery.Lambda;

/// <summary>An SQS queue's ARN, <c>arn:PARTITION:sqs:REGION:ACCOUNT:NAME</c>.</summary>
public sealed record QueueArn(string Partition, string Region, string Account, string Name)
{
    /// <summary>The queue's URL, <c>https://sqs.REGION.DOMAIN/ACCOUNT/NAME</c> (the domain of the ARN's partition).</summary>
    public string Url => $"https://sqs.{Region}.{Domain}/{Account}/{Name}";

    private string Domain => Partition switch
    {
        "aws-cn" => "amazonaws.com.cn",
        _ => "amazonaws.com",
    };

    public static bool TryParse(string? arn, [NotNullWhen(true)] out QueueArn? queueArn)
    {
        queueArn = null;
        var parts = arn?.Split(':');
        if (parts is not ["arn", { Length: > 0 } partition, "sqs", { Length: > 0 } region, { Length: > 0 } account, { Length: > 0 } name])
        {
            return false;
        }

        queueArn = new QueueArn(partition, region, account, name);
        return true;
    }
}
