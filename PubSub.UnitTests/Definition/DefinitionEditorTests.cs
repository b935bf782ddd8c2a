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
        Assert.Contains("""{"name":"b","enabled":false}""", updated, StringComparison.Ordinal);
        Assert.Contains("""  "other": { "name": "a" }""", updated, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_publisher_is_an_error() =>
        Assert.Contains("no publisher named 'c'",
            Assert.Throws<SystemDefinitionException>(() => DefinitionEditor.UpdatePublisherText(Text, "c", _ => { })).Message,
            StringComparison.Ordinal);
}
