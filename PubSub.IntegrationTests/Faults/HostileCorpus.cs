using System.Globalization;
using System.Text;

namespace PubSub.IntegrationTests.Faults;

/// <summary>The hostile corpus of issue 12: a deterministic list (seeded) of requests covering every
/// finding of the issue, then mutations of them until there are at least <c>minimum</c>. The cases are
/// in <c>HostileCorpus.Cases.cs</c>; this file holds the building blocks and the mutations.</summary>
internal static partial class HostileCorpus
{
    public const int Seed = 20261130;

    /// <summary>Array elements allowed per event (issue 12; <c>PubSub.Events.EventLimits.MaxArrayElements</c> once merged).</summary>
    public const int MaxArrayElements = 4096;

    /// <summary>SNS's and the ingestion's limit on one event.</summary>
    public const int MaxEventBytes = 256 * 1024;

    private const string Ce = "application/cloudevents+json", CeBatch = "application/cloudevents-batch+json", Json = "application/json";

    /// <summary>Replaced in every request by its own tag, so that each case has ids of its own.</summary>
    private const string Tag = "§";

    private const string Demo = "demo", Acme = "acme";
    private const string Open = CorpusDefinition.Allow, Redactor = CorpusDefinition.Redact, Strict = CorpusDefinition.Reject;

    public static IReadOnlyList<HostileRequest> Generate(int seed = Seed, int minimum = 520)
    {
        var corpus = new Builder(new Random(seed));
        corpus.LoneSurrogates();
        corpus.InvalidEscapesAndBytes();
        corpus.DuplicateMembers();
        corpus.DeepNesting();
        corpus.ArraysAndRouting();
        corpus.NumbersAndMemberNames();
        corpus.DisguisedValues();
        corpus.EmptyHeaders();
        corpus.ControlCharacters();
        corpus.Oversized();
        corpus.FifoKeys();
        corpus.Identity();
        corpus.FormsAndContentTypes();
        corpus.Mutate(minimum);
        return corpus.Build();
    }

    /// <summary>A structured CloudEvent. Every argument is JSON text as sent (string contents already escaped);
    /// <paramref name="members"/> are extra members written as they are.</summary>
    private static string Event(string id = Tag, string source = "corpus", string type = "hostile.event", string? subject = null,
        string? members = null, string? data = """{"n":1}""") =>
        "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"" + source + "\",\"type\":\"" + type + "\"" +
        (subject is null ? "" : ",\"subject\":\"" + subject + "\"") +
        (members is null ? "" : "," + members) +
        (data is null ? "" : ",\"data\":" + data) + "}";

    /// <summary>A string as the contents of a JSON string: quotes, backslashes and C0 controls escaped, the rest as is.</summary>
    private static string J(string text)
    {
        var json = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => json.Append("\\\""),
                '\\' => json.Append("\\\\"),
                < ' ' => json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => json.Append(c),
            };
        }

        return json.ToString();
    }

    /// <summary>Every character outside ASCII of <paramref name="json"/> written as a <c>\uXXXX</c> escape (it may only occur in strings).</summary>
    private static string EscapeNonAscii(string json)
    {
        var escaped = new StringBuilder(json.Length);
        foreach (var c in json)
        {
            _ = c > 0x7E ? escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}") : escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>A header value percent-encoded as CloudEvents binary mode says (UTF-8, then %XX).</summary>
    private static string Pct(string text) => Pct(Encoding.UTF8.GetBytes(text));

    private static string Pct(byte[] utf8)
    {
        var encoded = new StringBuilder();
        foreach (var b in utf8)
        {
            _ = b is > 0x20 and < 0x7F and not (byte)'%' and not (byte)'"' ? encoded.Append((char)b) : encoded.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
        }

        return encoded.ToString();
    }

    /// <summary>The hex letters of every <c>\uXXXX</c> escape in the other case (<c>\ud800</c> and <c>\uD800</c> are the same).</summary>
    private static string SwapEscapeCase(string json) => EscapeHex().Replace(json, m => "\\u" + string.Concat(m.Groups[1].Value.Select(c =>
        char.IsAsciiLetterLower(c) ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c))));

    [System.Text.RegularExpressions.GeneratedRegex(@"\\u([0-9A-Fa-f]{4})")]
    private static partial System.Text.RegularExpressions.Regex EscapeHex();

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>Each ASCII digit of <paramref name="text"/> replaced by the same digit of another script.</summary>
    private static string Digits(string text, int zero) =>
        string.Concat(text.Select(c => char.IsAsciiDigit(c) ? char.ConvertFromUtf32(zero + c - '0') : c.ToString()));

    private static KeyValuePair<string, string> H(string name, string value) => KeyValuePair.Create(name, value);

    /// <summary>The request headers of a binary-mode event; values as sent (percent-encoded by the caller).</summary>
    private static KeyValuePair<string, string>[] Binary(string id, string source = "corpus", string type = "hostile.binary",
        KeyValuePair<string, string>[]? more = null) =>
        [H("ce-specversion", "1.0"), H("ce-id", id), H("ce-source", source), H("ce-type", type), .. more ?? []];

    /// <summary>How many bytes <paramref name="body"/> will have once its tags are replaced.</summary>
    private static int BytesOf(string body) => Encoding.UTF8.GetByteCount(body) + body.Count(c => c == '§') * 3;

    /// <summary>Collects the cases and turns them into requests.</summary>
    private sealed partial class Builder(Random random)
    {
        private readonly List<HostileRequest> _cases = [];

        private void Add(string category, string name, string publisher, string body, string? contentType = Ce,
            IEnumerable<KeyValuePair<string, string>>? headers = null, string? apiKey = null, bool mutable = true) =>
            _cases.Add(new HostileRequest(category, name, publisher, contentType, body, [.. headers ?? []]) { ApiKey = apiKey, Mutable = mutable });

        /// <summary>A publisher for a case about sensitive data: mostly the refusing ones (<c>acme</c> is paced, so fewer).</summary>
        private string Scanning() => random.Next(20) switch
        {
            < 10 => Strict,
            < 13 => Acme,
            < 16 => Redactor,
            _ => Demo,
        };

        /// <summary>A publisher for any other case: every policy, the one that scans nothing most.</summary>
        private string Anyone() => random.Next(20) switch
        {
            < 7 => Open,
            < 12 => Demo,
            < 15 => Redactor,
            < 19 => Strict,
            _ => Acme,
        };

        /// <summary>Adds mutations of random mutable structured cases until there are <paramref name="minimum"/> cases.</summary>
        public void Mutate(int minimum)
        {
            var bases = _cases.Where(c => c.Mutable && c.ContentType == Ce && c.ApiKey is null).ToList();
            while (_cases.Count < minimum)
            {
                var original = bases[random.Next(bases.Count)];
                var mutated = random.Next(7) switch
                {
                    0 => original with
                    {
                        Name = original.Name + " / in a batch after a valid event", ContentType = CeBatch,
                        Body = "[" + Event(id: Tag + "-ok") + "," + original.Body + "]",
                    },
                    1 => original with { Name = original.Name + " / alone in a batch", ContentType = CeBatch, Body = "[" + original.Body + "]" },
                    2 => original with { Name = original.Name + " / non-ASCII escaped", Body = EscapeNonAscii(original.Body) },
                    3 => original with { Name = original.Name + " / escapes' hex case swapped", Body = SwapEscapeCase(original.Body) },
                    4 => original with { Name = original.Name + " / charset parameter", ContentType = Ce + "; charset=utf-8" },
                    5 => original with { Name = original.Name + " / whitespace", Body = "\r\n\t " + original.Body.Replace("\":", "\" :\n ", StringComparison.Ordinal) + " \n" },
                    _ => original with { Name = original.Name + " / another publisher", Publisher = Anyone() },
                };
                _cases.Add(mutated with { Name = "mutation: " + mutated.Name });
            }
        }

        /// <summary>The requests, each case's tag replaced by its own (<c>c0001</c>, ...).</summary>
        public List<HostileRequest> Build() => [.. _cases.Select((c, i) =>
        {
            var tag = string.Create(CultureInfo.InvariantCulture, $"c{i:D4}");
            return c with
            {
                Body = c.Body.Replace(Tag, tag, StringComparison.Ordinal),
                Headers = [.. c.Headers.Select(h => H(h.Key, h.Value.Replace(Tag, tag, StringComparison.Ordinal)))],
            };
        })];
    }
}
