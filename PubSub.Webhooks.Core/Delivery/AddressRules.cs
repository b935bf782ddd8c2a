using System.Net;
using System.Net.Sockets;

namespace PubSub.Webhooks.Delivery;

/// <summary>The addresses a webhook may never reach: every range of IANA's IPv4 and IPv6 special-purpose registries
/// that is not globally reachable, multicast, the reserved 240/4 (broadcast included), and the IPv6 forms that carry
/// an IPv4 address (mapped, compatible, NAT64, 6to4), judged by the address they carry. AWS's instance metadata
/// (169.254.169.254, fd00:ec2::254), DNS and time servers fall in link-local and fc00::/7.</summary>
public static class AddressRules
{
    private static readonly (IPNetwork Network, string Name)[] ForbiddenV4 =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "this network"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared address space (CGNAT)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local (instance metadata)"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "IETF protocol assignments"),
        (IPNetwork.Parse("192.0.2.0/24"), "documentation"),
        (IPNetwork.Parse("192.88.99.0/24"), "6to4 relay anycast"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking"),
        (IPNetwork.Parse("198.51.100.0/24"), "documentation"),
        (IPNetwork.Parse("203.0.113.0/24"), "documentation"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved (broadcast)"),
    ];

    private static readonly (IPNetwork Network, string Name)[] ForbiddenV6 =
    [
        // After the mapped form (::ffff:0:0/96) is judged by the IPv4 address it carries, the rest of ::/8 is refused
        // whole: unspecified, loopback, IPv4-compatible and the old SIIT IPv4-translated ::ffff:0:a.b.c.d.
        (IPNetwork.Parse("::/8"), "reserved (unspecified, loopback, IPv4-compatible or -translated)"),
        (IPNetwork.Parse("100:0:0:1::/64"), "dummy prefix"),
        (IPNetwork.Parse("64:ff9b:1::/48"), "local-use NAT64"),
        (IPNetwork.Parse("100::/64"), "discard-only"),
        (IPNetwork.Parse("2001::/23"), "IETF protocol assignments (Teredo)"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation"),
        (IPNetwork.Parse("3fff::/20"), "documentation"),
        (IPNetwork.Parse("5f00::/16"), "segment routing"),
        (IPNetwork.Parse("fc00::/7"), "unique local (AWS fd00:ec2::/32)"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "site-local"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>Why <paramref name="address"/> is refused, or null when a webhook may go there.</summary>
    /// <param name="allowLoopback">Local runs: loopback (127/8, ::1 and their mapped forms) is allowed.</param>
    public static string? Refusal(IPAddress address, bool allowLoopback)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            return "an IPv6 zone id";
        }

        if (allowLoopback && IsLoopback(address))
        {
            return null;
        }

        if (CarriedIPv4(address) is { } carried)
        {
            return Refusal(carried) is { } reason ? $"{reason}, inside {address}" : null;
        }

        return Refusal(address);
    }

    /// <summary>127/8, ::1 or ::ffff:127.x.y.z; NAT64 and 6to4 forms lead elsewhere and are not loopback.</summary>
    public static bool IsLoopback(IPAddress address)
    {
        var a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return a.AddressFamily == AddressFamily.InterNetwork ? a.GetAddressBytes()[0] == 127 : a.Equals(IPAddress.IPv6Loopback);
    }

    private static string? Refusal(IPAddress address)
    {
        var table = address.AddressFamily == AddressFamily.InterNetwork ? ForbiddenV4 : ForbiddenV6;
        foreach (var (network, name) in table)
        {
            if (network.Contains(address))
            {
                return $"{address} is {name}";
            }
        }

        return null;
    }

    /// <summary>The IPv4 address an IPv6 one stands for (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d, 6to4
    /// 2002:aabb:ccdd::), or null. IPv4-compatible ::a.b.c.d is refused whole by ::/8 above.</summary>
    private static IPAddress? CarriedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return SixToFour.Contains(address) ? new IPAddress(bytes.AsSpan(2, 4)) : null;
    }
}
