using System.Net;
using System.Text;
using System.Text.Json;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.IntegrationTests.Ingestion;
using PubSub.Webhooks.Signing;

namespace PubSub.IntegrationTests.Webhooks;

/// <summary>The demo receiver over real HTTP: signed deliveries are a 204 and handled once per
/// <c>webhook-id</c>; anything not signed by a trusted key is a 401 with the reason; <c>GET /received</c>
/// lists results, never bodies. v1a keys come from the ingestion host's real JWKS endpoint.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class WebhookDemoReceiverTests(AwsEmulatorsFixture aws)
{
    private const string Secret = "Body text that must never be logged";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes($$$"""{"type":"order.created","data":{"note":"{{{Secret}}}"}}""");

    private static WebhookDemoHost Receiver(params WebhookSecret[] secrets) =>
        new(secrets.Select((s, i) => KeyValuePair.Create($"Webhooks:Secrets:{i}", s.Reveal())).ToDictionary());

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, SignedWebhookHeaders headers, byte[]? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = new ByteArrayContent(body ?? Body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(WebhookHeaderNames.Id, headers.Id);
        request.Headers.Add(WebhookHeaderNames.Timestamp, headers.Timestamp);
        request.Headers.Add(WebhookHeaderNames.Signature, headers.Signature);
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement[]> ReceivedAsync(HttpClient client) =>
        [.. JsonDocument.Parse(await client.GetStringAsync("/received")).RootElement.GetProperty("received").EnumerateArray()];

    private static SignedWebhookHeaders Sign(string id, WebhookSigningKeys keys, TimeSpan? age = null) =>
        new WebhookSigner(new ShiftedTime(-(age ?? TimeSpan.Zero))).Sign(id, Body, keys);

    [Fact]
    public async Task A_signed_delivery_is_a_204_and_its_retry_is_acknowledged_as_a_duplicate()
    {
        var secret = WebhookSecret.Generate();
        await using var receiver = Receiver(secret);
        using var client = receiver.CreateClient();
        Assert.Equal("127.0.0.1", client.BaseAddress!.Host); // real sockets, not the in-memory test server

        using var first = await PostAsync(client, Sign("msg_1", new WebhookSigningKeys(secret)));
        using var retry = await PostAsync(client, Sign("msg_1", new WebhookSigningKeys(secret)));

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, retry.StatusCode);
        var received = await ReceivedAsync(client);
        Assert.Equal(["duplicate msg_1 v1", "verified msg_1 v1"], received.Select(r => $"{r.GetProperty("result")} {r.GetProperty("id")} {r.GetProperty("scheme")}"));
        Assert.All(received, r => Assert.Equal(Body.Length, r.GetProperty("bytes").GetInt32()));
    }

    [Fact]
    public async Task A_tampered_body_a_wrong_secret_a_stale_timestamp_or_no_signature_is_a_401_with_the_reason()
    {
        var secret = WebhookSecret.Generate();
        await using var receiver = Receiver(secret);
        using var client = receiver.CreateClient();
        var signed = Sign("msg_2", new WebhookSigningKeys(secret));

        using var tampered = await PostAsync(client, signed, [.. Body, (byte)' ']);
        using var wrongSecret = await PostAsync(client, Sign("msg_3", new WebhookSigningKeys(WebhookSecret.Generate())));
        using var stale = await PostAsync(client, Sign("msg_4", new WebhookSigningKeys(secret), TimeSpan.FromMinutes(6)));
        using var unsigned = await PostAsync(client, signed with { Signature = "unsigned" });

        Assert.All([tampered, wrongSecret, stale, unsigned], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Contains("None of the 1 signatures matches", await tampered.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["MalformedHeader msg_2", "TimestampTooOld msg_4", "NoMatchingSignature msg_3", "NoMatchingSignature msg_2"],
            (await ReceivedAsync(client)).Select(r => $"{r.GetProperty("result")} {r.GetProperty("id")}"));

        // A refused id is not remembered: the genuine delivery is still handled as new.
        using var genuine = await PostAsync(client, signed);
        Assert.Equal(HttpStatusCode.NoContent, genuine.StatusCode);
        Assert.Equal("verified", (await ReceivedAsync(client))[0].GetProperty("result").GetString());
    }

    [Fact]
    public async Task During_a_played_outage_verified_deliveries_get_its_status_and_are_handled_after_it_ends()
    {
        var secret = WebhookSecret.Generate();
        await using var receiver = Receiver(secret);
        using var client = receiver.CreateClient();
        var signed = Sign("msg_outage", new WebhookSigningKeys(secret));

        using var notAnError = await client.PutAsync("/outage", JsonContent("""{"status":200}"""));
        using var tooLong = await client.PutAsync("/outage", JsonContent("""{"status":503,"retryAfterSeconds":3601}"""));
        using var set = await client.PutAsync("/outage", JsonContent("""{"status":503,"retryAfterSeconds":7}"""));
        using var during = await PostAsync(client, signed);
        using var unsignedDuring = await PostAsync(client, signed with { Signature = "v1,AAAA" });
        using var cleared = await client.DeleteAsync("/outage");
        using var after = await PostAsync(client, signed);

        Assert.Equal(HttpStatusCode.BadRequest, notAnError.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(503, JsonDocument.Parse(await set.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), during.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.Unauthorized, unsignedDuring.StatusCode); // the signature is still checked first
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, after.StatusCode);
        // Answered during the outage is not handled: the retry after it is the first handling, not a duplicate.
        Assert.Equal(["verified msg_outage", "NoMatchingSignature msg_outage", "answered-503 msg_outage"],
            (await ReceivedAsync(client)).Select(r => $"{r.GetProperty("result")} {r.GetProperty("id")}"));
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task During_a_rotation_a_receiver_holding_either_secret_accepts_the_delivery()
    {
        var old = WebhookSecret.Generate();
        var next = WebhookSecret.Generate();
        await using var holdsOld = Receiver(old);
        await using var holdsNext = Receiver(next);
        using var oldClient = holdsOld.CreateClient();
        using var nextClient = holdsNext.CreateClient();

        using var toOld = await PostAsync(oldClient, Sign("msg_5", new WebhookSigningKeys(old, next)));
        using var toNext = await PostAsync(nextClient, Sign("msg_5", new WebhookSigningKeys(old, next)));

        Assert.Equal(HttpStatusCode.NoContent, toOld.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, toNext.StatusCode);
    }

    /// <summary>An unverified id with control characters (a terminal escape) is neither logged nor listed (found by review).</summary>
    [Fact]
    public async Task An_unverified_id_with_control_characters_is_not_logged()
    {
        var secret = WebhookSecret.Generate();
        await using var receiver = Receiver(secret);
        using var client = receiver.CreateClient();
        var signed = Sign("msg_8", new WebhookSigningKeys(secret));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = new ByteArrayContent(Body) };
        request.Headers.TryAddWithoutValidation(WebhookHeaderNames.Id, "a\u001b[31mRED");
        request.Headers.TryAddWithoutValidation(WebhookHeaderNames.Timestamp, signed.Timestamp);
        request.Headers.TryAddWithoutValidation(WebhookHeaderNames.Signature, signed.Signature);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await ReceivedAsync(client))[0].GetProperty("id").ValueKind);
        Assert.Contains(receiver.LogLines, l => l.StartsWith("Refused webhook", StringComparison.Ordinal));
        Assert.DoesNotContain(receiver.LogLines, l => l.Contains('\u001b', StringComparison.Ordinal));
    }

    [Fact]
    public async Task It_logs_ids_sizes_and_results_never_the_body()
    {
        var secret = WebhookSecret.Generate();
        await using var receiver = Receiver(secret);
        using var client = receiver.CreateClient();

        (await PostAsync(client, Sign("msg_6", new WebhookSigningKeys(secret)))).Dispose();
        (await PostAsync(client, Sign("msg_7", new WebhookSigningKeys(WebhookSecret.Generate())))).Dispose();

        var lines = receiver.LogLines.ToArray();
        Assert.Contains($"Received webhook msg_6: {Body.Length} bytes, verified (v1)", lines);
        Assert.Contains(lines, l => l.StartsWith($"Refused webhook msg_7: {Body.Length} bytes, NoMatchingSignature", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(Secret, StringComparison.Ordinal) || l.Contains(secret.Reveal(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_v1a_delivery_verifies_with_the_keys_the_ingestion_hosts_jwks_endpoint_publishes()
    {
        _ = aws;
        var key = Ed25519SigningKey.Generate();
        await using var ingestion = new IngestionHostFactory(settings: new Dictionary<string, string> { ["Webhooks:PublicKeys:0"] = key.PublicKey.Serialize() });
        ingestion.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        ingestion.StartServer();
        using var ingestionClient = ingestion.CreateClient();
        await using var receiver = new WebhookDemoHost(new Dictionary<string, string>
        {
            ["Webhooks:JwksUrl"] = new Uri(ingestionClient.BaseAddress!, "/.well-known/jwks.json").ToString(),
        });
        using var client = receiver.CreateClient();

        using var signed = await PostAsync(client, Sign("msg_8", new WebhookSigningKeys([], [key])));
        using var untrusted = await PostAsync(client, Sign("msg_9", new WebhookSigningKeys([], [Ed25519SigningKey.Generate()])));

        Assert.Equal(HttpStatusCode.NoContent, signed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, untrusted.StatusCode);
        Assert.Equal("v1a", (await ReceivedAsync(client))[1].GetProperty("scheme").GetString());
    }

    private sealed class ShiftedTime(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
    }
}
