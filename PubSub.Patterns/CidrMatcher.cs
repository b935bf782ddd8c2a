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

    /// <summary>Parses "address/length" as event-ruler does: the slash is required and the length must
    /// leave at least one host bit (IPv4 below 32, IPv6 below 128; event-ruler refuses "10.0.0.1/32"
    /// with "IPv4 mask bits must be &lt; 32"), /0 included. Null, with the reason, when invalid.</summary>
    public static CidrMatcher? TryCreate(string block, out string? problem)
    {
        problem = null;
        var slash = block.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            problem = "one '/' and a prefix length are required (a single address is written as a plain string)";
            return null;
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!IpAddressText.TryParse(System.Text.Encoding.UTF8.GetBytes(block[..slash]), bytes, out var length))
        {
            problem = "the address is not an IPv4 or IPv6 address";
            return null;
        }

        var maxBits = length * 8;
        if (!int.TryParse(block.AsSpan(slash + 1), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var prefix))
        {
            problem = "the prefix length must be a whole number";
            return null;
        }

        if (prefix >= maxBits)
        {
            problem = $"{(length == 4 ? "IPv4" : "IPv6")} prefix length must be < {maxBits}";
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
