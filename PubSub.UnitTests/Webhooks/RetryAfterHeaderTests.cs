using PubSub.Webhooks.Delivery;

namespace PubSub.UnitTests.Webhooks;

public sealed class RetryAfterHeaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("1", 1.0)]
    [InlineData(" 120 ", 120.0)]
    [InlineData("0", 0.0)]
    [InlineData("Tue, 01 Dec 2026 08:00:30 GMT", 30.0)]
    [InlineData("Tue, 01 Dec 2026 07:00:00 GMT", 0.0)]
    [InlineData("99999999999999999999", null)]
    [InlineData("-5", null)]
    [InlineData("1.5", null)]
    [InlineData("soon", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Seconds_and_http_dates_are_read_and_anything_else_ignored(string? value, double? seconds)
    {
        Assert.Equal(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), RetryAfterHeader.Parse(value, Now));
    }

    [Fact]
    public void A_huge_number_of_seconds_does_not_overflow()
    {
        Assert.NotNull(RetryAfterHeader.Parse("9223372036854775807", Now));
    }
}
