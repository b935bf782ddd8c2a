using System.Globalization;
using System.Net.Http.Headers;

namespace PubSub.Webhooks.Delivery;

/// <summary>Reads <c>Retry-After</c> (RFC 9110 §10.2.3): a number of seconds or an HTTP-date.</summary>
public static class RetryAfterHeader
{
    /// <summary>The wait asked for from <paramref name="now"/>, or null when the header is absent or unreadable.
    /// A date in the past is a wait of zero (the schedule's floor applies later).</summary>
    public static TimeSpan? Read(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (!headers.TryGetValues("Retry-After", out var values))
        {
            return null;
        }

        return Parse(values.FirstOrDefault(), now);
    }

    public static TimeSpan? Parse(string? value, DateTimeOffset now)
    {
        value = value?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.MaxValue.TotalSeconds - 1));
        }

        // "r" is the IMF-fixdate of RFC 9110 ("Sun, 06 Nov 1994 08:49:37 GMT"), the only form senders must use.
        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            return date > now ? date - now : TimeSpan.Zero;
        }

        return null;
    }
}
