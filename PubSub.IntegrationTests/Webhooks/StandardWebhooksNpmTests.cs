using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PubSub.Webhooks.Signing;

namespace PubSub.IntegrationTests.Webhooks;

/// <summary>Interoperability with implementations that are not ours, run in a real Node process: npm
/// <c>standardwebhooks</c> 1.1.1 (the specification's reference library) verifies our v1 signatures and
/// refuses them when it should; our verifier accepts its signatures; Node's crypto verifies our v1a
/// signatures with the keys of our JWKS document.</summary>
public sealed class StandardWebhooksNpmTests
{
    private const string Id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"specversion":"1.0","type":"order.created","data":{"id":"o-1","note":"caf\u00e9 ☕"}}""");

    private static SignedWebhookHeaders Sign(WebhookSigningKeys keys, TimeSpan? age = null) =>
        new WebhookSigner(new ShiftedTime(-(age ?? TimeSpan.Zero))).Sign(Id, Body, keys);

    private static JsonObject HeadersJson(SignedWebhookHeaders headers) => new()
    {
        [WebhookHeaderNames.Id] = headers.Id,
        [WebhookHeaderNames.Timestamp] = headers.Timestamp,
        [WebhookHeaderNames.Signature] = headers.Signature,
    };

    private static async Task<(bool Verified, string? Error)> NpmVerifyAsync(string secret, SignedWebhookHeaders headers, byte[]? body = null)
    {
        var answer = await NodeCheck.RunAsync(new JsonObject
        {
            ["op"] = "verify",
            ["secret"] = secret,
            ["headers"] = HeadersJson(headers),
            ["body"] = Convert.ToBase64String(body ?? Body),
        });
        return (answer.GetProperty("verified").GetBoolean(), answer.TryGetProperty("error", out var e) ? e.GetString() : null);
    }

    [Fact]
    public async Task The_reference_library_verifies_our_signature()
    {
        var secret = WebhookSecret.Generate();

        var (verified, error) = await NpmVerifyAsync(secret.Reveal(), Sign(new WebhookSigningKeys(secret)));

        Assert.True(verified, error);
    }

    [Fact]
    public async Task The_reference_library_verifies_a_rotation_header_with_either_secret()
    {
        var old = WebhookSecret.Generate();
        var next = WebhookSecret.Generate();
        var headers = Sign(new WebhookSigningKeys([old, next], [Ed25519SigningKey.Generate()]));

        Assert.True((await NpmVerifyAsync(old.Reveal(), headers)).Verified);
        Assert.True((await NpmVerifyAsync(next.Reveal(), headers)).Verified);
    }

    [Fact]
    public async Task The_reference_library_refuses_a_tampered_body_a_wrong_secret_and_a_stale_timestamp()
    {
        var secret = WebhookSecret.Generate();
        var headers = Sign(new WebhookSigningKeys(secret));
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("o-1", "o-2", StringComparison.Ordinal));

        Assert.Equal((false, "No matching signature found"), await NpmVerifyAsync(secret.Reveal(), headers, tampered));
        Assert.Equal((false, "No matching signature found"), await NpmVerifyAsync(WebhookSecret.Generate().Reveal(), headers));
        Assert.Equal((false, "Message timestamp too old"), await NpmVerifyAsync(secret.Reveal(), Sign(new WebhookSigningKeys(secret), TimeSpan.FromMinutes(6))));
    }

    [Fact]
    public async Task Our_verifier_accepts_the_reference_librarys_signature_and_refuses_it_for_another_body()
    {
        var secret = WebhookSecret.Generate();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var answer = await NodeCheck.RunAsync(new JsonObject
        {
            ["op"] = "sign",
            ["secret"] = secret.Reveal(),
            ["id"] = Id,
            ["timestamp"] = now,
            ["body"] = Convert.ToBase64String(Body),
        });

        var signature = answer.GetProperty("signature").GetString();
        var timestamp = now.ToString(CultureInfo.InvariantCulture);
        var verifier = new WebhookVerifier(TimeProvider.System);
        var result = verifier.Verify(Id, timestamp, signature, Body, new WebhookVerificationKeys(secret));
        Assert.True(result.IsVerified, result.Reason);
        Assert.Equal(WebhookVerificationFailure.NoMatchingSignature, verifier.Verify(Id, timestamp, signature, [.. Body, (byte)' '], new WebhookVerificationKeys(secret)).Failure);
    }

    [Fact]
    public async Task Nodes_crypto_verifies_our_v1a_signature_with_the_key_from_our_jwks_document()
    {
        var key = Ed25519SigningKey.Generate();
        var other = Ed25519SigningKey.Generate();
        var jwks = JsonNode.Parse(JsonWebKeySet.Write([other.PublicKey, key.PublicKey]))!;
        var headers = Sign(new WebhookSigningKeys([WebhookSecret.Generate()], [key]));

        var answer = await V1aAsync(jwks, headers, Body);
        var tampered = await V1aAsync(jwks, headers, [.. Body, (byte)' ']);
        var untrusted = await V1aAsync(JsonNode.Parse(JsonWebKeySet.Write([other.PublicKey]))!, headers, Body);

        Assert.True(answer.GetProperty("verified").GetBoolean());
        Assert.Equal(key.PublicKey.KeyId, answer.GetProperty("kid").GetString());
        Assert.Equal(["ed25519", "ed25519"], answer.GetProperty("keyTypes").EnumerateArray().Select(t => t.GetString()));
        Assert.False(tampered.GetProperty("verified").GetBoolean());
        Assert.False(untrusted.GetProperty("verified").GetBoolean());
    }

    private static Task<JsonElement> V1aAsync(JsonNode jwks, SignedWebhookHeaders headers, byte[] body) => NodeCheck.RunAsync(new JsonObject
    {
        ["op"] = "verify-v1a",
        ["jwks"] = jwks.DeepClone(),
        ["headers"] = HeadersJson(headers),
        ["body"] = Convert.ToBase64String(body),
    });

    private sealed class ShiftedTime(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
    }
}
