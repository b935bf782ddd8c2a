using PubSub.Cli.Commands;

namespace PubSub.UnitTests.Cli;

/// <summary><c>pubsub subscriptions list</c> shows what each subscriber receives: its filter policy and raw delivery.</summary>
public sealed class SubscriptionRowTests
{
    private static readonly SubscriptionRow Row = new("orders", "sqs", "arn:aws:sqs:us-east-1:000000000000:q", "arn:aws:sns:us-east-1:000000000000:orders:1");

    [Fact]
    public void The_filter_policy_its_scope_and_raw_delivery_come_from_the_attributes()
    {
        var row = SubscriptionsCommand.WithAttributes(Row, new Dictionary<string, string>
        {
            ["FilterPolicy"] = "{\n  \"type\": [ \"order.created\" ]\n}",
            ["FilterPolicyScope"] = "MessageBody",
            ["RawMessageDelivery"] = "true",
        });

        Assert.Equal(("""{"type":["order.created"]}""", "MessageBody", true), (row.FilterPolicy, row.FilterPolicyScope, row.RawMessageDelivery));
        Assert.Equal("""{"type":["order.created"]} (body)""", SubscriptionsCommand.FilterText(row));
    }

    [Fact]
    public void Without_a_policy_the_subscriber_receives_everything()
    {
        var row = SubscriptionsCommand.WithAttributes(Row, new Dictionary<string, string> { ["RawMessageDelivery"] = "false" });

        Assert.Equal((null, null, false), (row.FilterPolicy, row.FilterPolicyScope, row.RawMessageDelivery));
        Assert.Equal("-", SubscriptionsCommand.FilterText(row));
    }
}
