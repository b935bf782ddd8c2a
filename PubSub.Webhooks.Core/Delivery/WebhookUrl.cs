using System.Net;
using System.Text.RegularExpressions;

namespace PubSub.Webhooks.Delivery;

/// <summary>The URL rules checked before any lookup: absolute, https (http only in local mode), no userinfo, no IPv6
/// zone id, no trailing dot, no IPv4 written other than in dotted decimal. The address rules after the lookup are
/// the real guard (<see cref="AddressRules"/>); these refuse early, with a message a person understands, what is
/// either a trap or ambiguous between URL parsers and resolvers.</summary>
public static partial class WebhookUrl
{
    /// <summary>Why <paramref name="url"/> is refused, or null.</summary>
    /// <param name="localMode">Local runs: <c>http://</c> is allowed (the sender then insists on loopback).</param>
    public static string? Refusal(string url, bool localMode) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Refusal(uri, localMode) : "not an absolute URL";

    public static string? Refusal(Uri url, bool localMode)
    {
        if (!url.IsAbsoluteUri)
        {
            return "not an absolute URL";
        }

        if (url.Scheme != Uri.UriSchemeHttps && !(localMode && url.Scheme == Uri.UriSchemeHttp))
        {
            return localMode ? "only https:// or http:// URLs" : "only https:// URLs";
        }

        if (url.UserInfo.Length > 0)
        {
            return "a user name or password in the URL";
        }

        var host = url.IdnHost;
        if (url.HostNameType == UriHostNameType.IPv6)
        {
            return host.Contains('%', StringComparison.Ordinal) ? "an IPv6 zone id" : null;
        }

        if (host.EndsWith('.'))
        {
            return "a host name ending in a dot";
        }

        // inet_aton reads 2130706433, 0x7f.1 and 0177.0.0.1 as 127.0.0.1; a name that only such a reader takes for
        // an address is refused rather than guessed at.
        if (url.HostNameType != UriHostNameType.IPv4 && LooksNumeric().IsMatch(host))
        {
            return "an IPv4 address not in dotted decimal";
        }

        return url.HostNameType is UriHostNameType.IPv4 && !IPAddress.TryParse(host, out _) ? "an unreadable IPv4 address" : null;
    }

    [GeneratedRegex("^(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+)){0,3}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LooksNumeric();
}
