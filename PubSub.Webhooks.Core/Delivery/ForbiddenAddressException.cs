namespace PubSub.Webhooks.Delivery;

/// <summary>The sender refused a URL or an address it resolved to; the attempt is recorded as
/// <see cref="AttemptError.ForbiddenAddress"/> and nothing was sent.</summary>
public sealed class ForbiddenAddressException : Exception
{
    public ForbiddenAddressException()
    {
    }

    public ForbiddenAddressException(string message)
        : base(message)
    {
    }

    public ForbiddenAddressException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
