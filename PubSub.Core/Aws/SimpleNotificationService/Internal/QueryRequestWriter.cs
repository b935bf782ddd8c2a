using System.Globalization;
using System.Text;
using PubSub.Aws.SimpleNotificationService.Model;

namespace PubSub.Aws.SimpleNotificationService.Internal;

/// <summary>Builds an AWS Query protocol body (form-encoded, RFC 3986 percent-encoding, members in
/// the order the official SDKs send them).</summary>
internal sealed class QueryRequestWriter
{
    private readonly StringBuilder _body = new(256);

    public QueryRequestWriter(string action, string version)
    {
        Add("Action", action).Add("Version", version);
    }

    public QueryRequestWriter Add(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        if (_body.Length > 0)
        {
            _body.Append('&');
        }

        _body.Append(name).Append('=').Append(Uri.EscapeDataString(value));
        return this;
    }

    /// <summary><c>{prefix}.entry.N.key</c>/<c>value</c>: topic and subscription attributes.</summary>
    public QueryRequestWriter AddAttributes(string prefix, IReadOnlyDictionary<string, string> attributes)
    {
        var n = 0;
        foreach (var (key, value) in attributes)
        {
            var entry = Prefix(prefix, "entry", ++n);
            Add(entry + ".key", key).Add(entry + ".value", value);
        }

        return this;
    }

    /// <summary><c>{prefix}.entry.N.Name</c>, <c>.Value.DataType</c>, <c>.Value.StringValue</c> or <c>.Value.BinaryValue</c>.</summary>
    public QueryRequestWriter AddMessageAttributes(string prefix, IReadOnlyDictionary<string, MessageAttributeValue> attributes)
    {
        var n = 0;
        foreach (var (name, value) in attributes)
        {
            var entry = Prefix(prefix, "entry", ++n);
            Add(entry + ".Name", name)
                .Add(entry + ".Value.DataType", value.DataType)
                .Add(entry + ".Value.StringValue", value.StringValue)
                .Add(entry + ".Value.BinaryValue", value.BinaryValue is { } bytes ? Convert.ToBase64String(bytes) : null);
        }

        return this;
    }

    public QueryRequestWriter AddTags(string prefix, IReadOnlyList<Tag> tags)
    {
        for (var i = 0; i < tags.Count; i++)
        {
            var member = Prefix(prefix, "member", i + 1);
            Add(member + ".Key", tags[i].Key).Add(member + ".Value", tags[i].Value);
        }

        return this;
    }

    public static string Prefix(string prefix, string kind, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}.{kind}.{index}");

    public byte[] ToUtf8Bytes() => Encoding.UTF8.GetBytes(_body.ToString());

    public override string ToString() => _body.ToString();
}
