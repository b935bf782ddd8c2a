using System.Text;
using Microsoft.Extensions.Time.Testing;
using PubSub.Webhooks.Signing;

namespace PubSub.UnitTests.Webhooks;

public sealed class WebhookSignerTests
{
    // The example that the Standard Webhooks libraries test against (secret, id, time, body, signature).
    private const string ExampleSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string ExampleId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long ExampleTime = 1614265330;
    private static readonly byte[] ExampleBody = Encoding.UTF8.GetBytes("""{"test": 2432232314}""");

    [Fact]
    public void The_signature_is_the_specifications_for_its_example()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(ExampleTime));

        var headers = new WebhookSigner(time).Sign(ExampleId, ExampleBody, new WebhookSigningKeys(WebhookSecret.Parse(ExampleSecret)));

        Assert.Equal(new SignedWebhookHeaders(ExampleId, "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="), headers);
    }

    [Fact]
    public void The_timestamp_is_the_time_providers_in_unix_seconds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_999));

        Assert.Equal("1700000000", new WebhookSigner(time).Sign("msg_1", "{}"u8, new WebhookSigningKeys(WebhookSecret.Generate())).Timestamp);
    }

    [Fact]
    public void During_a_rotation_each_secret_and_key_adds_one_signature_in_order()
    {
        var old = WebhookSecret.Parse(ExampleSecret);
        var next = WebhookSecret.Generate();
        var key = Ed25519SigningKey.Generate();

        var signature = WebhookSigner.Sign(ExampleId, ExampleTime, ExampleBody, new WebhookSigningKeys([old, next], [key])).Signature;

        var parts = signature.Split(' ');
        Assert.Equal(3, parts.Length);
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", parts[0]);
        Assert.Equal(WebhookSigner.Sign(ExampleId, ExampleTime, ExampleBody, new WebhookSigningKeys(next)).Signature, parts[1]);
        Assert.StartsWith("v1a,", parts[2], StringComparison.Ordinal);
        Assert.Equal(64, Convert.FromBase64String(parts[2][4..]).Length);
    }

    [Fact]
    public void The_same_attempt_signs_the_same_and_a_different_body_differently()
    {
        var keys = new WebhookSigningKeys([WebhookSecret.Generate()], [Ed25519SigningKey.Generate()]);

        var once = WebhookSigner.Sign("msg_1", 100, "{}"u8, keys);
        var again = WebhookSigner.Sign("msg_1", 100, "{}"u8, keys);
        var other = WebhookSigner.Sign("msg_1", 100, "{ }"u8, keys);

        Assert.Equal(once, again); // Ed25519 is deterministic
        Assert.NotEqual(once.Signature, other.Signature);
    }

    [Theory]
    [InlineData("")]
    [InlineData("msg.1")]
    [InlineData("msg 1")]
    [InlineData("msg\n1")]
    [InlineData("msg_é")]
    public void An_id_that_could_shift_the_signed_content_or_break_a_header_is_refused(string id)
    {
        Assert.ThrowsAny<ArgumentException>(() => WebhookSigner.Sign(id, 1, "{}"u8, new WebhookSigningKeys(WebhookSecret.Generate())));
    }

    [Fact]
    public void Signing_without_any_key_is_refused()
    {
        Assert.Throws<ArgumentException>(() => WebhookSigner.Sign("msg_1", 1, "{}"u8, new WebhookSigningKeys()));
    }

    [Fact]
    public void A_large_body_is_signed_whole()
    {
        var body = new byte[1 << 20];
        var secret = WebhookSecret.Generate();
        var keys = new WebhookSigningKeys(secret);

        var before = WebhookSigner.Sign("msg_1", 1, body, keys);
        body[^1] = 1;

        Assert.NotEqual(before.Signature, WebhookSigner.Sign("msg_1", 1, body, keys).Signature);
    }
}
