using System.Buffers.Text;
using System.Text.Json;

namespace PubSub.Webhooks.Signing;

/// <summary>The JWKS document (RFC 7517) that publishes the Ed25519 public keys for <c>v1a</c>
/// (RFC 8037: <c>kty</c> OKP, <c>crv</c> Ed25519, <c>x</c> base64url), and its reading by receivers.
/// Written with <see cref="Utf8JsonWriter"/> and read with <see cref="JsonDocument"/>: no reflection, so
/// Native AOT keeps it.</summary>
public static class JsonWebKeySet
{
    public const string MediaType = "application/jwk-set+json";

    /// <summary><c>{"keys":[…]}</c>; <c>{"keys":[]}</c> when there are none.</summary>
    public static byte[] Write(IEnumerable<Ed25519PublicKey> keys)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("keys");
            foreach (var key in keys)
            {
                json.WriteStartObject();
                json.WriteString("kty", "OKP");
                json.WriteString("crv", "Ed25519");
                json.WriteString("x", key.X);
                json.WriteString("kid", key.KeyId);
                json.WriteString("use", "sig");
                json.WriteString("alg", "EdDSA");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The Ed25519 keys of a JWKS document; keys of other types are skipped (a set may publish
    /// several algorithms), an Ed25519 key whose <c>x</c> is not a key is an error.</summary>
    /// <exception cref="FormatException">Not a JWKS document.</exception>
    public static IReadOnlyList<Ed25519PublicKey> Read(ReadOnlySpan<byte> document)
    {
        try
        {
            using var json = JsonDocument.Parse(document.ToArray());
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("A JWKS document is an object with a \"keys\" array.");
            }

            var found = new List<Ed25519PublicKey>();
            foreach (var jwk in keys.EnumerateArray())
            {
                if (jwk.ValueKind == JsonValueKind.Object && Member(jwk, "kty") == "OKP" && Member(jwk, "crv") == "Ed25519")
                {
                    found.Add(ReadKey(Member(jwk, "x")));
                }
            }

            return found;
        }
        catch (JsonException e)
        {
            throw new FormatException($"The JWKS document is not JSON: {e.Message}", e);
        }
    }

    private static Ed25519PublicKey ReadKey(string? x)
    {
        Span<byte> raw = stackalloc byte[Ed25519PublicKey.Bytes + 3];
        if (x is null || Base64Url.DecodeFromChars(x, raw, out _, out var length) != System.Buffers.OperationStatus.Done
            || !Ed25519PublicKey.TryCreate(raw[..length], out var key, out var error))
        {
            throw new FormatException("An Ed25519 JWK's \"x\" is not the base64url of a 32-byte public key.");
        }

        return key;
    }

    private static string? Member(JsonElement jwk, string name) =>
        jwk.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
