using PubSub.Ingestion.Core;

namespace PubSub.UnitTests.Ingestion;

/// <summary>The details a publisher reads: no empty places, no "1 requests".</summary>
public sealed class ProblemTextTests
{
    [Fact]
    public void A_schema_violation_of_the_data_itself_says_at_the_root()
    {
        var problem = Problems.SchemaViolation("order.created", [new SchemaError("", "required: orderId"), new SchemaError("/total", "type")]);

        Assert.Equal("The data of a 'order.created' event does not match its schema at the root, /total.", problem.Detail);
    }

    [Theory]
    [InlineData(1, "1 request per second")]
    [InlineData(2, "2 requests per second")]
    [InlineData(0.5, "0.5 requests per second")]
    public void The_rate_limit_is_counted_in_the_right_number(double rate, string expected) =>
        Assert.Contains(expected, Problems.RateLimited(1, rate, 1).Detail, StringComparison.Ordinal);

    [Fact]
    public void A_quota_of_one_is_one_request() =>
        Assert.Contains("quota of 1 request per day", Problems.QuotaExceeded(1, "day", DateTimeOffset.UnixEpoch, 1).Detail, StringComparison.Ordinal);
}
