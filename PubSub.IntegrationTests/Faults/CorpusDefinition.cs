using System.Text.Json;
using System.Text.Json.Nodes;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.Faults;

/// <summary>The definition the hostile corpus runs against: the repository's <c>pubsub.json</c> unchanged
/// (its publishers, plans, policies, routes and subscriptions) plus what it lacks for the corpus to reach
/// every finding of issue 12: a publisher for each policy without a tight plan, a route that reads a
/// <c>data</c> string (it decodes what it reads), the three-condition same-array route, and a FIFO topic.</summary>
internal static class CorpusDefinition
{
    /// <summary>Publishers added, by policy; <c>demo</c> (flag) and <c>acme</c> (reject, 5 per second) come from the repository.</summary>
    public const string Allow = "open", Redact = "redactor", Reject = "strict";

    public const string ProbesTopic = "probes", ProbesQueue = "probes-demo";
    public const string FifoTopic = "sequenced.fifo", FifoQueue = "sequenced-demo.fifo";

    /// <summary>Events of these type prefixes go to the FIFO topic.</summary>
    public const string FifoTypePrefix = "fifo.";

    /// <summary>Writes it to a new temporary file and returns the path.</summary>
    public static string Write()
    {
        var root = JsonNode.Parse(File.ReadAllText(TestEvents.Definition), documentOptions: new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true,
        })!.AsObject();
        var publishers = root["publishers"]!.AsArray();
        publishers.Add(Publisher(Allow, "allow"));
        publishers.Add(Publisher(Redact, "redact"));
        publishers.Add(Publisher(Reject, "reject"));

        root["topics"]!.AsArray().Add(new JsonObject { ["name"] = ProbesTopic });
        root["topics"]!.AsArray().Add(new JsonObject { ["name"] = FifoTopic });
        var routes = root["routes"]!.AsArray();
        routes.Add(Route("data-probe", """{"data":{"x":[{"prefix":"probe-"}]}}""", ProbesTopic));
        routes.Add(Route("same-array", """{"data":{"a":{"x":[1],"y":[2],"z":[3]}}}""", ProbesTopic));
        routes.Add(Route("sequenced", $$"""{"type":[{"prefix":"{{FifoTypePrefix}}"}]}""", FifoTopic));
        var subscriptions = root["subscriptions"]!.AsArray();
        subscriptions.Add(Subscription(ProbesTopic, ProbesQueue));
        subscriptions.Add(Subscription(FifoTopic, FifoQueue));

        var path = Path.Combine(Directory.CreateTempSubdirectory("pubsub-corpus-").FullName, "pubsub.json");
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    /// <summary>A key per publisher of the definition, as a production operator would set them
    /// (32 characters or more, not the <c>dev-</c> development keys).</summary>
    public static Dictionary<string, string> Keys(IEnumerable<string> publishers) =>
        publishers.ToDictionary(p => p, p => $"corpus-{p}-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(p)))[..32]}");

    private static JsonObject Publisher(string name, string policy) => new()
    {
        ["name"] = name, ["description"] = $"Hostile corpus: policy {policy}, no plan", ["sensitiveData"] = policy,
    };

    private static JsonObject Route(string name, string pattern, string topic) => new()
    {
        ["name"] = name, ["pattern"] = JsonNode.Parse(pattern), ["topics"] = new JsonArray(topic),
    };

    private static JsonObject Subscription(string topic, string queue) => new()
    {
        ["topic"] = topic, ["protocol"] = "sqs", ["endpoint"] = queue, ["rawMessageDelivery"] = true,
    };
}
