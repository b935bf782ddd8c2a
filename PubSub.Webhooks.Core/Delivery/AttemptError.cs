namespace PubSub.Webhooks.Delivery;

/// <summary>Why an attempt got no usable answer, when it got none (a status code says the rest).</summary>
public enum AttemptError
{
    /// <summary>The receiver answered; its status code is in the record.</summary>
    None,

    /// <summary>No complete answer within the endpoint's timeout (connect, headers and body together).</summary>
    Timeout,

    /// <summary>The host answered the connection with a reset (nothing listens on the port).</summary>
    ConnectionRefused,

    /// <summary>Any other failure to connect or to read the answer (unreachable, reset mid-answer, bad HTTP).</summary>
    ConnectionFailed,

    /// <summary>The host name did not resolve.</summary>
    NameResolution,

    /// <summary>The TLS handshake failed (certificate, protocol).</summary>
    Tls,

    /// <summary>A 3xx: redirects are never followed (they could point anywhere, inside our network too).</summary>
    Redirect,

    /// <summary>The URL is not one we deliver to (not https, userinfo, a zone id) or it resolved to an address we
    /// never connect to (loopback, private, link-local, metadata...).</summary>
    ForbiddenAddress,
}
