using System.Security.Cryptography;
using System.Text;

namespace PubSub.Ingestion.Authentication;

/// <summary>The local host's stand-in for API Gateway's API keys: it holds only SHA-256 hashes of
/// the configured keys and compares a presented key against every one in constant time.</summary>
public sealed class PublisherKeys
{
    private readonly (string Publisher, byte[] Hash)[] _keys;

    public PublisherKeys(IEnumerable<KeyValuePair<string, string>> keysByPublisher)
    {
        _keys = [.. keysByPublisher.Select(k => (k.Key, Hash(k.Value)))];
    }

    public int Count => _keys.Length;

    /// <summary>The publisher that owns <paramref name="apiKey"/>, or null. Every stored hash is
    /// compared, matched or not, so the time taken says nothing about which keys exist.</summary>
    public string? Authenticate(string apiKey)
    {
        var presented = Hash(apiKey);
        string? publisher = null;
        foreach (var (name, hash) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, hash))
            {
                publisher = name;
            }
        }

        return publisher;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
