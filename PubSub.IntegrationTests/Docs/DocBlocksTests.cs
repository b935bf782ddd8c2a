namespace PubSub.IntegrationTests.Docs;

/// <summary>The reading and comparing behind <see cref="DocsTests"/>, without the AppHost.</summary>
public sealed class DocBlocksTests
{
    private const string Markdown = """
        # Title

        ```bash
        not run
        ```

        ```bash runnable
        curl -i http://localhost:5080/events
        ```

        ```text expected
        HTTP/1.1 202 Accepted
        {"id":"<id>","at":"2026-11-30T19:54:38.2097578+00:00"}
        ```

        ```
        plain
        ```

        ```bash runnable
        echo hi
        ```
        """;

    [Fact]
    public void Runnable_blocks_are_read_in_order_with_the_expected_output_after_them()
    {
        var blocks = DocBlocks.Parse("x.md", Markdown);

        Assert.Equal(2, blocks.Count);
        Assert.Equal(("curl -i http://localhost:5080/events", 7), (blocks[0].Commands, blocks[0].Line));
        Assert.StartsWith("HTTP/1.1 202 Accepted\n", blocks[0].Expected, StringComparison.Ordinal);
        Assert.Equal(("echo hi", (string?)null), (blocks[1].Commands, blocks[1].Expected));
    }

    [Fact]
    public void An_expected_block_without_a_runnable_block_is_an_error() =>
        Assert.Throws<FormatException>(() => DocBlocks.Parse("x.md", "```text expected\nx\n```\n"));

    [Fact]
    public void Lines_left_out_times_and_placeholders_match()
    {
        var expected = DocBlocks.Parse("x.md", Markdown)[0].Expected!;
        const string Actual = "HTTP/1.1 202 Accepted\r\nDate: Mon\r\nLocation: /events/abc\r\n\r\n{\"id\":\"abc-1\",\"at\":\"2027-01-02T03:04:05+00:00\"}";

        Assert.Null(DocBlocks.Compare(expected, Actual));
        Assert.Null(DocBlocks.Compare("a ... c", "a b b c"));
    }

    [Fact]
    public void A_changed_line_or_order_fails_with_the_line_named()
    {
        var difference = DocBlocks.Compare("HTTP/1.1 202 Accepted\n{\"id\":\"x\"}", "{\"id\":\"x\"}\nHTTP/1.1 202 Accepted");

        Assert.NotNull(difference);
        Assert.Contains("> {\"id\":\"x\"}", difference, StringComparison.Ordinal);
        Assert.NotNull(DocBlocks.Compare("HTTP/1.1 200 OK", "HTTP/1.1 202 Accepted"));
    }

    [Fact]
    public void Shell_blocks_marked_neither_runnable_nor_illustrative_are_named() =>
        Assert.Equal(["x.md:3"], DocBlocks.Unmarked("x.md", Markdown));
}
