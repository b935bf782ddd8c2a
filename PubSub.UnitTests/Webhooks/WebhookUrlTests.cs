using PubSub.Webhooks.Delivery;

namespace PubSub.UnitTests.Webhooks;

public sealed class WebhookUrlTests
{
    [Theory]
    [InlineData("https://example.com/hook")]
    [InlineData("https://example.com:8443/hook?x=1")]
    [InlineData("https://EXAMPLE.com/hook")]
    [InlineData("https://bücher.example/hook")]
    [InlineData("https://8.8.8.8/hook")]
    [InlineData("https://[2606:4700:4700::1111]/hook")]
    [InlineData("https://example.com/hook#fragment")]
    public void Plain_https_urls_pass_the_url_rules(string url)
    {
        Assert.Null(WebhookUrl.Refusal(url, localMode: false));
    }

    [Theory]
    [InlineData("http://example.com/hook", "only https:// URLs")]
    [InlineData("ftp://example.com/hook", "only https:// URLs")]
    [InlineData("file:///etc/passwd", "only https:// URLs")]
    [InlineData("example.com/hook", "not an absolute URL")]
    [InlineData("https://evil@10.0.0.1/", "a user name or password in the URL")]
    [InlineData("https://user:pass@example.com/", "a user name or password in the URL")]
    [InlineData("https://[fe80::1%25eth0]/", "an IPv6 zone id")]
    [InlineData("https://example.com./hook", "a host name ending in a dot")]
    [InlineData("https://localhost./hook", "a host name ending in a dot")]
    public void Urls_that_are_traps_are_refused_before_any_lookup(string url, string reason)
    {
        Assert.Equal(reason, WebhookUrl.Refusal(url, localMode: false));
    }

    [Theory]
    [InlineData("https://2130706433/")]
    [InlineData("https://0x7f.1/")]
    [InlineData("https://0x7f000001/")]
    [InlineData("https://0177.0.0.1/")]
    [InlineData("https://127.1/")]
    [InlineData("https://017700000001/")]
    public void Ipv4_written_other_than_dotted_decimal_is_refused_or_read_as_the_address_it_means(string url)
    {
        // Either the URL rules refuse it, or Uri normalises it to the dotted address that the address rules refuse.
        var uri = new Uri(url);
        var refused = WebhookUrl.Refusal(uri, localMode: false) is not null
            || (uri.HostNameType == UriHostNameType.IPv4
                && AddressRules.Refusal(System.Net.IPAddress.Parse(uri.IdnHost), allowLoopback: false) is not null);

        Assert.True(refused, $"{url} -> {uri.IdnHost} ({uri.HostNameType})");
    }

    [Fact]
    public void An_idn_host_is_sent_as_punycode()
    {
        Assert.Equal("xn--bcher-kva.example", new Uri("https://bücher.example/").IdnHost);
    }

    [Theory]
    [InlineData("https://１２７.０.０.１/")]
    [InlineData("https://①②⑦.0.0.1/")]
    public void Full_width_digits_become_the_loopback_address_and_are_refused_by_the_address_rules(string url)
    {
        var uri = new Uri(url);

        Assert.True(
            WebhookUrl.Refusal(uri, localMode: false) is not null
            || (System.Net.IPAddress.TryParse(uri.IdnHost, out var address) && AddressRules.Refusal(address, allowLoopback: false) is not null)
            || !System.Net.IPAddress.TryParse(uri.IdnHost, out _),
            $"{url} -> {uri.IdnHost}");
    }

    [Theory]
    [InlineData("http://localhost:5000/hook", true)]
    [InlineData("http://127.0.0.1:5000/hook", true)]
    [InlineData("http://localhost:5000/hook", false)]
    public void Http_passes_only_in_local_mode(string url, bool localMode)
    {
        Assert.Equal(localMode, WebhookUrl.Refusal(url, localMode) is null);
    }
}
