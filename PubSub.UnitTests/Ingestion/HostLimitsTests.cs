using Microsoft.Extensions.Configuration;
using PubSub.Ingestion.Hosting;

namespace PubSub.UnitTests.Ingestion;

public sealed class HostLimitsTests
{
    private static IConfiguration Settings(params (string Name, string Value)[] settings) => new ConfigurationBuilder()
        .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create($"IngestionHost:{s.Name}", (string?)s.Value)))
        .Build();

    [Fact]
    public void Unset_limits_take_their_defaults_and_set_ones_are_read()
    {
        var defaults = HostLimits.From(Settings());
        var set = HostLimits.From(Settings(("RequestsInFlightPerPublisher", "8"), ("RequestTimeoutSeconds", "2.5"),
            ("RequestHeadersTimeoutSeconds", "3"), ("MinRequestBodyBytesPerSecond", "4096")));

        Assert.Equal((64, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), 1024d),
            (defaults.RequestsInFlightPerPublisher, defaults.RequestTimeout, defaults.RequestHeadersTimeout, defaults.MinRequestBodyBytesPerSecond));
        Assert.Equal((8, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(3), 4096d),
            (set.RequestsInFlightPerPublisher, set.RequestTimeout, set.RequestHeadersTimeout, set.MinRequestBodyBytesPerSecond));
    }

    [Theory]
    [InlineData("RequestsInFlightPerPublisher", "0")]
    [InlineData("RequestTimeoutSeconds", "soon")]
    [InlineData("MinRequestBodyBytesPerSecond", "-1")]
    public void A_limit_that_is_not_a_positive_number_stops_the_start_naming_the_setting(string name, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => HostLimits.From(Settings((name, value))));

        Assert.Contains($"IngestionHost:{name}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_publisher_at_its_limit_is_refused_until_a_request_ends_and_others_are_counted_apart()
    {
        var limiter = new InFlightLimiter(new HostLimits { RequestsInFlightPerPublisher = 2 });

        var first = limiter.TryEnter("demo");
        using var second = limiter.TryEnter("demo");
        var third = limiter.TryEnter("demo");
        using var other = limiter.TryEnter("acme");
        first!.Dispose();
        first.Dispose();
        using var fourth = limiter.TryEnter("demo");

        Assert.NotNull(second);
        Assert.Null(third);
        Assert.NotNull(other);
        Assert.NotNull(fourth);
        Assert.Equal(2, limiter.InFlight("demo"));
    }
}
