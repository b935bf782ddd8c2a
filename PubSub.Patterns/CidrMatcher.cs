namespace PubSub.Routing.Patterns;

/// <summary><c>{"cidr": "10.0.0.0/24"}</c>: string values holding an IPv4 or IPv6 address inside the
/// block. Addresses are parsed without allocating.</summary>
internal sealed class CidrMatcher : ValueMatcher
{
    private readonly byte[] _network;
    private readonly int _prefixLength;

    private CidrMatcher(byte[] network, int prefixLength)
    {
        _network = network;
        _prefixLength = prefixLength;
    }

    public override int Cost => 8;

    /// <summary>Parses "address/length" (a bare address means a single host); null when invalid.</summary>
    public static CidrMatcher? TryCreate(string block)
    {
        var slash = block.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? block : block[..slash];
        Span<byte> bytes = stackalloc byte[16];
        if (!IpAddressText.TryParse(System.Text.Encoding.UTF8.GetBytes(address), bytes, out var length))
        {
            return null;
        }

        var maxBits = length * 8;
        var prefix = maxBits;
        if (slash >= 0 && (!int.TryParse(block.AsSpan(slash + 1), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > maxBits))
        {
            return null;
        }

        return new CidrMatcher(bytes[..length].ToArray(), prefix);
    }

    public override bool Matches(in LeafValue value)
    {
        if (!value.IsString)
        {
            return false;
        }

        Span<byte> address = stackalloc byte[16];
        if (!IpAddressText.TryParse(value.Utf8, address, out var length) || length != _network.Length)
        {
            return false;
        }

        var fullBytes = _prefixLength / 8;
        if (!address[..fullBytes].SequenceEqual(_network.AsSpan(0, fullBytes)))
        {
            return false;
        }

        var remainingBits = _prefixLength % 8;
        if (remainingBits == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - remainingBits));
        return (address[fullBytes] & mask) == (_network[fullBytes] & mask);
    }
}
