using Amazon.DynamoDBv2.Model;
using PubSub.Aws.DynamoDB;
using PubSub.Ingestion.Core.Storage;
using PubSub.UnitTests.StreamPublisher;

namespace PubSub.UnitTests.Ingestion;

/// <summary>The Events table over the conditional writer's interface: "already stored" arrives as a value.</summary>
public sealed class DynamoDbEventStoreTests
{
    private static readonly EventStoreSettings Settings = new("events", TimeSpan.FromDays(1), "us-east-1");

    [Fact]
    public async Task A_new_event_is_created_and_a_stored_one_returns_the_fingerprint_it_was_stored_with()
    {
        var writer = new ScriptedWriter();
        var store = new DynamoDbEventStore(writer, Settings);
        var envelope = StreamPublisherFixture.Event("e1", "order.created") with { Fingerprint = "abc" };

        var first = await store.AddAsync(envelope, CancellationToken.None);
        var retry = await store.AddAsync(envelope, CancellationToken.None);

        Assert.Equal((StoreResult.New, StoreResult.Existing("abc")), (first, retry));
        Assert.Equal(["events", "events"], writer.Tables);
    }

    /// <summary>DynamoDB's semantics for one key attribute, in memory.</summary>
    private sealed class ScriptedWriter : IDynamoDbConditionalWriter
    {
        private readonly Dictionary<string, Dictionary<string, AttributeValue>> _items = [];

        public List<string> Tables { get; } = [];

        public Task<PutIfAbsentResult> PutIfAbsentAsync(string table, Dictionary<string, AttributeValue> item, string keyAttribute,
            CancellationToken cancellationToken = default)
        {
            Tables.Add(table);
            return Task.FromResult(_items.TryAdd(item[keyAttribute].S, item)
                ? PutIfAbsentResult.Stored
                : PutIfAbsentResult.AlreadyStored(_items[item[keyAttribute].S]));
        }

        public void Dispose()
        {
        }
    }
}
