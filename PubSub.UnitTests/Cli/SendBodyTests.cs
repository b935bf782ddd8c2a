using PubSub.Cli.Commands;

namespace PubSub.UnitTests.Cli;

/// <summary><c>pubsub send --type T --data D</c>: subscribers receive D as it was given.</summary>
public sealed class SendBodyTests
{
    [Theory]
    [InlineData("""{"orderId":7}""")]
    [InlineData("""{ "type": "theirs", "orderId": 7 }""")]
    public void The_data_is_sent_as_given_without_the_type(string data) =>
        Assert.Equal(("application/json", data), SendCommand.PlainBody("order.created", data));

    [Fact]
    public void No_data_is_an_empty_object() => Assert.Equal("{}", SendCommand.PlainBody("ping", null).Body);

    [Theory]
    [InlineData("[1]")]
    [InlineData("""{"specversion":"1.0"}""")]
    [InlineData("{")]
    public void Data_that_the_service_would_not_take_as_data_is_a_usage_error(string data) =>
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => SendCommand.PlainBody("t", data)).ExitCode);
}
