using PubSub.Definition;

namespace PubSub.UnitTests.Definition;

public sealed class DefinitionEditorTests
{
    private const string Text = """
        {
          // a comment that must survive
          "name": "t",
          "publishers": [
            { "name": "a", "plan": { "rateLimit": 5, "burstLimit": 10 } }, // trailing comment
            { "name": "b" }
          ],
          "other": { "name": "a" }
        }
        """;

    [Fact]
    public void Only_the_named_publisher_is_rewritten()
    {
        var updated = DefinitionEditor.UpdatePublisherText(Text, "b", p => p["enabled"] = false);

        Assert.Contains("// a comment that must survive", updated, StringComparison.Ordinal);
        Assert.Contains("// trailing comment", updated, StringComparison.Ordinal);
        Assert.Contains("""{ "name": "a", "plan": { "rateLimit": 5, "burstLimit": 10 } }""", updated, StringComparison.Ordinal);
        Assert.Contains("""{ "name": "b", "enabled": false }""", updated, StringComparison.Ordinal);
        Assert.Contains("""  "other": { "name": "a" }""", updated, StringComparison.Ordinal);
    }

    private const string Indented = """
        {
          "name": "t",
          "publishers": [
            {
              "name": "demo",
              "description": "Demo publisher",
              "plan": { "rateLimit": 1000, "burstLimit": 2000 },
              "sensitiveData": "flag"
            },
            {
              "name": "acme",
              "plan": { "rateLimit": 5, "burstLimit": 10, "quota": { "limit": 10000, "period": "day" } },
              "sensitiveData": "reject"
            }
          ]
        }
        """;

    [Fact]
    public void Disabling_adds_one_line_in_the_entry_s_layout_and_enabling_restores_the_text()
    {
        var disabled = DefinitionEditor.UpdatePublisherText(Indented, "demo", p => p["enabled"] = false);
        var enabled = DefinitionEditor.UpdatePublisherText(disabled, "demo", p => p.Remove("enabled"));

        Assert.Contains("""
                  "sensitiveData": "flag",
                  "enabled": false
                },
            """, disabled, StringComparison.Ordinal);
        Assert.Equal(Indented, enabled);
    }

    [Fact]
    public void Throttling_changes_only_the_values_and_restoring_them_leaves_no_diff()
    {
        var throttled = DefinitionEditor.UpdatePublisherText(Indented, "demo", p =>
        {
            var plan = p["plan"]!.AsObject();
            plan["rateLimit"] = 1.5;
            plan["burstLimit"] = 3;
            plan["quota"] = new System.Text.Json.Nodes.JsonObject { ["limit"] = 500, ["period"] = "week" };
        });
        var restored = DefinitionEditor.UpdatePublisherText(throttled, "demo", p =>
        {
            var plan = p["plan"]!.AsObject();
            plan["rateLimit"] = 1000d;
            plan["burstLimit"] = 2000;
            plan.Remove("quota");
        });

        Assert.Contains("""
                  "plan": { "rateLimit": 1.5, "burstLimit": 3, "quota": { "limit": 500, "period": "week" } },
            """, throttled, StringComparison.Ordinal);
        Assert.Equal(Indented, restored);
    }

    [Fact]
    public void A_changed_nested_value_is_replaced_in_place()
    {
        var changed = DefinitionEditor.UpdatePublisherText(Indented, "acme", p => p["plan"]!["quota"]!["period"] = "week");

        Assert.Equal(Indented.Replace("\"period\": \"day\"", "\"period\": \"week\"", StringComparison.Ordinal), changed);
    }

    [Fact]
    public void An_unknown_publisher_is_an_error() =>
        Assert.Contains("no publisher named 'c'",
            Assert.Throws<SystemDefinitionException>(() => DefinitionEditor.UpdatePublisherText(Text, "c", _ => { })).Message,
            StringComparison.Ordinal);

    private static readonly System.Text.Json.Nodes.JsonObject Webhook = new() { ["topic"] = "t", ["protocol"] = "webhook", ["id"] = "w", ["endpoint"] = "https://a.example/?x=1&y=2" };

    [Fact]
    public void A_subscription_is_appended_after_the_last_one_and_nothing_else_moves()
    {
        const string text = """
            {
              "name": "t",
              "subscriptions": [
                { "topic": "t", "protocol": "sqs", "endpoint": "q" } // kept
              ]
            }
            """;
        const string entry = """{"topic":"t","protocol":"webhook","id":"w","endpoint":"https://a.example/?x=1&y=2"}""";

        var updated = DefinitionEditor.AddSubscriptionText(text, Webhook);

        Assert.Equal(text.Replace("\"q\" }", "\"q\" },\n    " + entry, StringComparison.Ordinal), updated);
    }

    [Theory]
    [InlineData("{ \"name\": \"t\", \"subscriptions\": [] }", "{ \"name\": \"t\", \"subscriptions\": [\n    {\"id\":\"w\"}\n  ] }")]
    [InlineData("{ \"name\": \"t\", \"other\": { \"subscriptions\": [] } /* c */ }",
        "{ \"name\": \"t\", \"other\": { \"subscriptions\": [] },\n  \"subscriptions\": [\n    {\"id\":\"w\"}\n  ] /* c */ }")]
    public void An_empty_or_missing_subscriptions_array_gets_the_entry(string text, string expected) =>
        Assert.Equal(expected, DefinitionEditor.AddSubscriptionText(text, new System.Text.Json.Nodes.JsonObject { ["id"] = "w" }));
}
