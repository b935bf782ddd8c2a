using System.Text;

namespace PubSub.IntegrationTests.Faults;

/// <summary>One request of the hostile corpus, as sent: <see cref="Body"/> is the text of the body
/// (JSON escapes such as <c>\ud800</c> are written as the six characters a publisher sends), in which
/// <see cref="InvalidUtf8"/> marks where bytes that are not UTF-8 go.</summary>
/// <param name="Category">The finding it belongs to (the accounting's breakdown).</param>
/// <param name="Name">What it tries, readable in a failure message.</param>
/// <param name="Publisher">Whose key it is sent with.</param>
/// <param name="ContentType">The Content-Type header; null sends none.</param>
/// <param name="Headers">Other request headers (ce-*, Idempotency-Key, traceparent), sent as written.</param>
internal sealed record HostileRequest(
    string Category, string Name, string Publisher, string? ContentType, string Body, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>Where the body holds the CESU-8 form of U+D800 (ED A0 80), which is not UTF-8.</summary>
    public const string InvalidUtf8 = "\u0001cesu\u0001";

    /// <summary>The API key to send instead of the publisher's ("" sends no key header); null sends the publisher's.</summary>
    public string? ApiKey { get; init; }

    /// <summary>False for cases whose meaning depends on their exact ids (the FIFO cross-publisher pairs): never mutated.</summary>
    public bool Mutable { get; init; } = true;

    public byte[] Utf8Body()
    {
        var parts = Body.Split(InvalidUtf8);
        var bytes = new List<byte>();
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                bytes.AddRange([0xED, 0xA0, 0x80]);
            }

            bytes.AddRange(Encoding.UTF8.GetBytes(parts[i]));
        }

        return [.. bytes];
    }

    public override string ToString() => $"[{Category}] {Name} ({Publisher})";
}
