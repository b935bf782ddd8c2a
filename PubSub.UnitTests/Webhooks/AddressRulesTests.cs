using System.Net;
using PubSub.Webhooks.Delivery;

namespace PubSub.UnitTests.Webhooks;

/// <summary>The oracle: IANA's IPv4 and IPv6 special-purpose address registries (the blocks whose "Globally
/// Reachable" is False), multicast, and AWS's documented instance-local addresses (metadata 169.254.169.254 and
/// fd00:ec2::254, DNS 169.254.169.253 and fd00:ec2::253, time 169.254.169.123 and fd00:ec2::123). Each block is
/// probed at its first and last address, and the addresses just outside it must pass.</summary>
public sealed class AddressRulesTests
{
    [Theory]
    // IPv4: first and last address of every forbidden block.
    [InlineData("0.0.0.0")]
    [InlineData("0.255.255.255")]
    [InlineData("10.0.0.0")]
    [InlineData("10.255.255.255")]
    [InlineData("100.64.0.0")]
    [InlineData("100.127.255.255")]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("169.254.0.0")]
    [InlineData("169.254.255.255")]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.169.253")]
    [InlineData("169.254.169.123")]
    [InlineData("172.16.0.0")]
    [InlineData("172.31.255.255")]
    [InlineData("192.0.0.0")]
    [InlineData("192.0.0.255")]
    [InlineData("192.0.2.1")]
    [InlineData("192.88.99.1")]
    [InlineData("192.168.0.0")]
    [InlineData("192.168.255.255")]
    [InlineData("198.18.0.0")]
    [InlineData("198.19.255.255")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.9")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.255")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    // IPv6 blocks and AWS's instance-local addresses.
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("fc00::")]
    [InlineData("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fd00:ec2::253")]
    [InlineData("fd00:ec2::123")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("ff0e::1")]
    [InlineData("100::1")]
    [InlineData("2001::1")]
    [InlineData("2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8::1")]
    [InlineData("3fff::1")]
    [InlineData("5f00::1")]
    [InlineData("64:ff9b:1::1")]
    // IPv4 carried in IPv6: mapped, compatible, NAT64, 6to4.
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:a9fe:a9fe")]
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("::ffff:192.168.1.1")]
    [InlineData("::ffff:100.64.0.1")]
    [InlineData("::ffff:0.0.0.0")]
    [InlineData("::127.0.0.1")]
    [InlineData("::a9fe:a9fe")]
    [InlineData("::8.8.8.8")]
    // The rest of ::/8 (SIIT's IPv4-translated ::ffff:0:a.b.c.d, found by review) and the dummy prefix 100:0:0:1::/64.
    [InlineData("::ffff:0:7f00:1")]
    [InlineData("::ffff:0:a9fe:a9fe")]
    [InlineData("::1:0:0:1")]
    [InlineData("100:0:0:1::1")]
    [InlineData("64:ff9b::127.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("64:ff9b::10.0.0.1")]
    [InlineData("64:ff9b::172.16.0.1")]
    [InlineData("2002:7f00:1::")]
    [InlineData("2002:a9fe:a9fe::1")]
    [InlineData("2002:c0a8:101::")]
    public void Each_not_globally_reachable_address_is_refused(string address)
    {
        Assert.NotNull(AddressRules.Refusal(IPAddress.Parse(address), allowLoopback: false));
    }

    [Theory]
    // Just outside each IPv4 block.
    [InlineData("1.0.0.0")]
    [InlineData("9.255.255.255")]
    [InlineData("11.0.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("126.255.255.255")]
    [InlineData("128.0.0.0")]
    [InlineData("169.253.255.255")]
    [InlineData("169.255.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("191.255.255.255")]
    [InlineData("192.0.1.0")]
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.0")]
    [InlineData("223.255.255.255")]
    // Public addresses, some of them AWS's own (ip-ranges.json: 3.5.140.0/22, 52.94.0.0/22, 2600:1f18::/33).
    [InlineData("8.8.8.8")]
    [InlineData("3.5.140.1")]
    [InlineData("52.94.0.10")]
    [InlineData("2600:1f18::1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2001:200::1")]
    [InlineData("fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("fe00::1")]
    // Public IPv4 carried in IPv6 stays public.
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::8.8.8.8")]
    [InlineData("2002:808:808::1")]
    public void Globally_reachable_addresses_pass(string address)
    {
        Assert.Null(AddressRules.Refusal(IPAddress.Parse(address), allowLoopback: false));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.1.2.3", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("fd00:ec2::254", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("64:ff9b::127.0.0.1", false)]
    public void Local_mode_allows_loopback_and_nothing_else_that_is_forbidden(string address, bool allowed)
    {
        Assert.Equal(allowed, AddressRules.Refusal(IPAddress.Parse(address), allowLoopback: true) is null);
    }

    [Fact]
    public void An_address_with_a_zone_id_is_refused()
    {
        var scoped = IPAddress.Parse("2606:4700:4700::1111");
        scoped.ScopeId = 2;

        Assert.Equal("an IPv6 zone id", AddressRules.Refusal(scoped, allowLoopback: true));
    }
}
