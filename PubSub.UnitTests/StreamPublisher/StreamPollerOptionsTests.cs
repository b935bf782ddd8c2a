using PubSub.StreamPublisher.Local;

namespace PubSub.UnitTests.StreamPublisher;

public sealed class StreamPollerOptionsTests
{
    [Theory]
    [InlineData(null, 1000)]
    [InlineData("", 1000)]
    [InlineData("1", 1)]
    [InlineData("100", 100)]
    [InlineData("1000", 1000)]
    public void The_batch_size_setting_is_read(string? setting, int expected) =>
        Assert.Equal(expected, StreamPollerOptions.BatchSizeFrom(setting));

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("-5")]
    [InlineData("ten")]
    [InlineData("1.5")]
    public void A_batch_size_out_of_range_is_refused_with_the_setting_named(string setting)
    {
        var error = Assert.Throws<InvalidOperationException>(() => StreamPollerOptions.BatchSizeFrom(setting));
        Assert.Contains("StreamPoller:BatchSize", error.Message, StringComparison.Ordinal);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }
}
