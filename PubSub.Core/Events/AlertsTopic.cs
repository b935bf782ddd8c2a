using Amazon.SimpleNotificationService;
using Amazon.SimpleNotificationService.Model;
using Microsoft.Extensions.Logging;
using PubSub.Aws;
using PubSub.Aws.SimpleNotificationService;

namespace PubSub.Events;

/// <summary>Publishes one alert to the definition's alerts topic: a JSON body, the attribute <c>kind</c> and one
/// attribute naming what it concerns (<c>publisher</c>, <c>subscription</c>), so that subscribers filter every kind of
/// alert alike. Ingestion's sensitive-data alerts and the webhook worker's alerts both go through it. An alert that
/// cannot be published is logged here and never the caller's failure.</summary>
public sealed partial class AlertsTopic(IAmazonSimpleNotificationService sns, TopicDirectory topics, ILogger<AlertsTopic> logger)
{
    /// <returns>False when the topic or SNS refused or could not be reached (logged).</returns>
    public async Task<bool> PublishAsync(string topic, string subject, string json, string kind, string concernsAttribute, string concerns,
        CancellationToken cancellationToken)
    {
        try
        {
            await sns.PublishAsync(new PublishRequest
            {
                TopicArn = await topics.ArnOfAsync(topic, cancellationToken),
                Subject = subject,
                Message = json,
                MessageAttributes = new()
                {
                    ["kind"] = MessageAttributes.Text(kind),
                    [concernsAttribute] = MessageAttributes.Text(concerns),
                },
            }, cancellationToken);
            return true;
        }
        catch (Exception e) when (AwsErrors.IsCallFailure(e, cancellationToken) || e is TopicNotFoundException)
        {
            LogPublishFailed(e, kind, concernsAttribute, concerns, topic);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not publish the {Kind} alert for {ConcernsAttribute} {Concerns} to topic {Topic}")]
    private partial void LogPublishFailed(Exception exception, string kind, string concernsAttribute, string concerns, string topic);
}
