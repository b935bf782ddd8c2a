using PubSub.Events;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Parsing;

namespace PubSub.UnitTests.Ingestion;

public sealed class EventFingerprintTests
{
    private static EventEnvelope Event(string data = """{"ssn":"123-45-6789"}""") => new()
    {
        Id = "e1", Source = "s", Type = "t", Publisher = "p", ReceivedAt = DateTimeOffset.UnixEpoch, OriginRegion = "r",
        Data = PubSub.Json.JsonPayload.FromUtf8(System.Text.Encoding.UTF8.GetBytes(data)),
    };

    private static FingerprintKey Key(char c) => FingerprintKey.From(new string(c, FingerprintKey.MinLength), development: false);

    [Fact]
    public void The_same_event_under_the_same_key_has_the_same_fingerprint_and_a_different_event_another()
    {
        Assert.Equal(EventFingerprint.Of(Event(), Key('a')), EventFingerprint.Of(Event(), Key('a')));
        Assert.NotEqual(EventFingerprint.Of(Event(), Key('a')), EventFingerprint.Of(Event("""{"ssn":"123-45-6780"}"""), Key('a')));
    }

    [Fact]
    public void The_fingerprint_depends_on_the_key_so_a_reader_of_the_table_cannot_test_guesses()
    {
        Assert.NotEqual(EventFingerprint.Of(Event(), Key('a')), EventFingerprint.Of(Event(), Key('b')));
        Assert.Equal(44, EventFingerprint.Of(Event(), Key('a')).Length); // base64 of 32 bytes: HMAC-SHA256
    }

    [Fact]
    public void Outside_development_a_missing_or_short_key_is_an_error()
    {
        Assert.Contains(FingerprintKey.Setting, Assert.Throws<InvalidOperationException>(() => FingerprintKey.From(null, development: false)).Message,
            StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => FingerprintKey.From("", development: false));
        Assert.Throws<InvalidOperationException>(() => FingerprintKey.From("short", development: false));
        Assert.Same(FingerprintKey.Development, FingerprintKey.From(null, development: true));
    }
}
