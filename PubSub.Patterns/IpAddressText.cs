using System.Buffers.Text;

namespace PubSub.Routing.Patterns;

/// <summary>Parses IPv4 dotted quads and IPv6 text (with <c>::</c> and an embedded IPv4 tail) from
/// UTF-8 into network-order bytes, without allocating; <c>System.Net.IPAddress</c> allocates.</summary>
internal static class IpAddressText
{
    /// <param name="length">4 for IPv4, 16 for IPv6.</param>
    public static bool TryParse(ReadOnlySpan<byte> text, Span<byte> destination, out int length)
    {
        length = 0;
        if (text.IndexOf((byte)':') >= 0)
        {
            length = 16;
            return TryParseIpv6(text, destination[..16]);
        }

        length = 4;
        return TryParseIpv4(text, destination[..4]);
    }

    private static bool TryParseIpv4(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        for (var part = 0; part < 4; part++)
        {
            var end = part < 3 ? text.IndexOf((byte)'.') : text.Length;
            if (end <= 0 || end > 3 || !Utf8Parser.TryParse(text[..end], out byte value, out var consumed) || consumed != end)
            {
                return false;
            }

            destination[part] = value;
            text = part < 3 ? text[(end + 1)..] : text[end..];
        }

        return text.IsEmpty;
    }

    private static bool TryParseIpv6(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        destination.Clear();
        var gap = text.IndexOf("::"u8);
        if (gap >= 0 && text[(gap + 1)..].IndexOf("::"u8) >= 0)
        {
            return false; // "::" may appear once
        }

        Span<byte> head = stackalloc byte[16];
        Span<byte> tail = stackalloc byte[16];
        int headLength = 0, tailLength = 0;
        if (gap < 0)
        {
            return TryParseGroups(text, destination, out headLength, allowIpv4Tail: true) && headLength == 16;
        }

        if (!TryParseGroups(text[..gap], head, out headLength, allowIpv4Tail: false)
            || !TryParseGroups(text[(gap + 2)..], tail, out tailLength, allowIpv4Tail: true)
            || headLength + tailLength > 14)
        {
            return false;
        }

        head[..headLength].CopyTo(destination);
        tail[..tailLength].CopyTo(destination[(16 - tailLength)..]);
        return true;
    }

    private static bool TryParseGroups(ReadOnlySpan<byte> text, Span<byte> destination, out int written, bool allowIpv4Tail)
    {
        written = 0;
        if (text.IsEmpty)
        {
            return true;
        }

        while (true)
        {
            var colon = text.IndexOf((byte)':');
            var group = colon < 0 ? text : text[..colon];
            if (colon < 0 && allowIpv4Tail && group.IndexOf((byte)'.') >= 0)
            {
                return written <= 12 && TryParseIpv4(group, destination.Slice(written, 4)) && (written += 4) > 0;
            }

            if (group.Length is 0 or > 4 || written > 14
                || !Utf8Parser.TryParse(group, out ushort value, out var consumed, 'x') || consumed != group.Length)
            {
                return false;
            }

            destination[written++] = (byte)(value >> 8);
            destination[written++] = (byte)value;
            if (colon < 0)
            {
                return true;
            }

            text = text[(colon + 1)..];
        }
    }
}
