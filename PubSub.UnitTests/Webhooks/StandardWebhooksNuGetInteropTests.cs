using System.Text;
using Microsoft.AspNetCore.Http;
using PubSub.Webhooks.Signing;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace PubSub.UnitTests.Webhooks;

/// <summary>Against NuGet StandardWebhooks 1.1.2, an implementation that is not ours: its verifier
/// accepts our signatures (and refuses them when they should fail), and ours accepts its.</summary>
public sealed class StandardWebhooksNuGetInteropTests
{
    private const string Body = """{"type":"order.created","data":{"id":"o-1","total":12.5,"note":"caf\u00e9 ☕"}}""";

    private static HeaderDictionary Headers(SignedWebhookHeaders signed) => new()
    {
        [WebhookHeaderNames.Id] = signed.Id,
        [WebhookHeaderNames.Timestamp] = signed.Timestamp,
        [WebhookHeaderNames.Signature] = signed.Signature,
    };

    private static SignedWebhookHeaders OurSignature(WebhookSigningKeys keys, TimeSpan? age = null) =>
        new WebhookSigner(new ShiftedTime(-(age ?? TimeSpan.Zero))).Sign("msg_2Kw5q", Encoding.UTF8.GetBytes(Body), keys);

    [Fact]
    public void Its_verifier_accepts_our_signature()
    {
        var secret = WebhookSecret.Generate();

        new StandardWebhook(secret.Reveal()).Verify(Body, Headers(OurSignature(new WebhookSigningKeys(secret))));
    }

    [Fact]
    public void Its_verifier_accepts_our_rotation_header_with_either_secret()
    {
        var old = WebhookSecret.Generate();
        var next = WebhookSecret.Generate();
        var headers = Headers(OurSignature(new WebhookSigningKeys([old, next], [Ed25519SigningKey.Generate()])));

        new StandardWebhook(old.Reveal()).Verify(Body, headers);
        new StandardWebhook(next.Reveal()).Verify(Body, headers);
    }

    [Fact]
    public void Its_verifier_refuses_our_signature_of_another_body_by_another_secret_or_too_old()
    {
        var secret = WebhookSecret.Generate();
        var headers = Headers(OurSignature(new WebhookSigningKeys(secret)));

        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(secret.Reveal()).Verify(Body.Replace("12.5", "125", StringComparison.Ordinal), headers));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(WebhookSecret.Generate().Reveal()).Verify(Body, headers));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(secret.Reveal())
            .Verify(Body, Headers(OurSignature(new WebhookSigningKeys(secret), TimeSpan.FromMinutes(6)))));
    }

    [Fact]
    public void Our_verifier_accepts_its_signature_and_refuses_it_for_another_body()
    {
        var secret = WebhookSecret.Generate();
        var now = DateTimeOffset.UtcNow;
        var signature = new StandardWebhook(secret.Reveal()).Sign("msg_2Kw5q", now, Body);
        var verifier = new WebhookVerifier(TimeProvider.System);
        var timestamp = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = verifier.Verify("msg_2Kw5q", timestamp, signature, Encoding.UTF8.GetBytes(Body), new WebhookVerificationKeys(secret));
        var tampered = verifier.Verify("msg_2Kw5q", timestamp, signature, Encoding.UTF8.GetBytes(Body + " "), new WebhookVerificationKeys(secret));

        Assert.True(result.IsVerified, result.Reason);
        Assert.Equal(WebhookVerificationFailure.NoMatchingSignature, tampered.Failure);
    }

    private sealed class ShiftedTime(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
    }
}
