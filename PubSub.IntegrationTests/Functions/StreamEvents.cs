using System.Text;
using Amazon.DynamoDBStreams;
using Amazon.DynamoDBStreams.Model;
using PubSub.Aws.DynamoDBStreams;
using PubSub.Events;
using Record = Amazon.DynamoDBStreams.Model.Record;

namespace PubSub.IntegrationTests.Functions;

/// <summary>DynamoDB Streams events as Lambda's event source mapping delivers them: INSERT records with
/// the stored item as the new image.</summary>
internal static class StreamEvents
{
    public static byte[] Inserts(params (EventEnvelope Event, string SequenceNumber)[] records)
    {
        var json = records.Select(r => StreamRecordJson.Serialize(new Record
        {
            EventId = Guid.NewGuid().ToString("N"),
            EventName = OperationType.INSERT,
            EventVersion = "1.1",
            EventSource = "aws:dynamodb",
            AwsRegion = "us-east-1",
            EventSourceArn = "arn:aws:dynamodb:us-east-1:123456789012:table/pubsub-events/stream/2026-11-27T00:00:00.000",
            Dynamodb = new StreamRecord
            {
                ApproximateCreationDateTime = DateTimeOffset.UtcNow,
                Keys = new() { [EventItem.Key] = new() { S = EventItem.KeyOf(r.Event.Publisher, r.Event.Id) } },
                NewImage = EventItem.ToItem(r.Event, TimeSpan.FromDays(1)),
                SequenceNumber = r.SequenceNumber,
                SizeBytes = 512,
                StreamViewType = "NEW_IMAGE",
            },
        }));
        return Encoding.UTF8.GetBytes($$"""{"Records":[{{string.Join(",", json)}}]}""");
    }
}
