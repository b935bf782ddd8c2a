using System.Reflection;
using System.Text.RegularExpressions;

namespace PubSub.UnitTests.Layering;

/// <summary>The SNS and DynamoDB Streams clients in PubSub.Aws stand in for AWSSDK.SimpleNotificationService and
/// AWSSDK.DynamoDBStreams, which the package source here does not serve. Each public type that mirrors one of
/// the packages' types carries the official name in the official namespace, so that swapping a package in is
/// "delete our folder in PubSub.Aws, add one PackageReference" and no other project changes. What is ours
/// (TopicDirectory, StreamRecordJson, the Lambda event) stays in a <c>PubSub.Aws.*</c> namespace.</summary>
public sealed partial class OfficialSdkNamespaceTests
{
    private static readonly Assembly Aws = Assembly.Load("PubSub.Aws");

    /// <summary>The official types PubSub.Aws mirrors, under the namespace each package declares them in (checked
    /// against aws/aws-sdk-net, <c>sdk/src/Services/{SimpleNotificationService,DynamoDBStreams}/Generated</c>;
    /// the two <c>ServiceEnumerations</c> of Streams are in its root namespace there too). A new mirror goes here
    /// and into that namespace.</summary>
    private static readonly Dictionary<string, string[]> Official = new(StringComparer.Ordinal)
    {
        ["Amazon.SimpleNotificationService"] =
        [
            "AmazonSimpleNotificationServiceClient", "AmazonSimpleNotificationServiceConfig",
            "AmazonSimpleNotificationServiceException", "IAmazonSimpleNotificationService",
        ],
        ["Amazon.SimpleNotificationService.Model"] =
        [
            "BatchResultErrorEntry", "CreateTopicRequest", "CreateTopicResponse", "DeleteTopicRequest", "DeleteTopicResponse",
            "GetSubscriptionAttributesRequest", "GetSubscriptionAttributesResponse", "ListSubscriptionsByTopicRequest", "ListSubscriptionsByTopicResponse", "ListTopicsRequest", "ListTopicsResponse",
            "MessageAttributeValue", "PublishBatchRequest", "PublishBatchRequestEntry", "PublishBatchResponse",
            "PublishBatchResultEntry", "PublishRequest", "PublishResponse", "SetSubscriptionAttributesRequest",
            "SetSubscriptionAttributesResponse", "SubscribeRequest", "SubscribeResponse", "Subscription", "Tag", "Topic",
            "UnsubscribeRequest", "UnsubscribeResponse",
        ],
        ["Amazon.DynamoDBStreams"] =
        [
            "AmazonDynamoDBStreamsClient", "AmazonDynamoDBStreamsConfig", "AmazonDynamoDBStreamsException",
            "IAmazonDynamoDBStreams", "OperationType", "ShardIteratorType",
        ],
        ["Amazon.DynamoDBStreams.Model"] =
        [
            "DescribeStreamRequest", "DescribeStreamResponse", "GetRecordsRequest", "GetRecordsResponse",
            "GetShardIteratorRequest", "GetShardIteratorResponse", "Identity", "KeySchemaElement", "ListStreamsRequest",
            "ListStreamsResponse", "Record", "SequenceNumberRange", "Shard", "StreamDescription", "StreamRecord",
            "StreamSummary",
        ],
    };

    /// <summary>The public types of ours beside the mirrors, which the packages do not have.</summary>
    private static readonly string[] Ours =
    [
        "PubSub.Aws.SimpleNotificationService.TopicDirectory", "PubSub.Aws.SimpleNotificationService.TopicNotFoundException",
        "PubSub.Aws.SimpleNotificationService.SnsResponse", "PubSub.Aws.DynamoDBStreams.StreamRecordJson",
        "PubSub.Aws.DynamoDBStreams.DynamoDbStreamEvent", "PubSub.Aws.DynamoDBStreams.StreamsResponse",
    ];

    private static readonly string[] OurNamespaces = ["PubSub.Aws.SimpleNotificationService", "PubSub.Aws.DynamoDBStreams"];

    private static readonly HashSet<string> OfficialNames = Official.Values.SelectMany(names => names).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Each_mirror_is_in_its_official_namespace_under_its_official_name()
    {
        var exported = Aws.GetExportedTypes().Where(t => !t.IsNested).ToList();
        var misplaced = exported.Where(t => OfficialNames.Contains(t.Name)
                && !(Official.TryGetValue(t.Namespace ?? "", out var names) && names.Contains(t.Name)))
            .Select(t => $"{t.FullName} (the official package declares {t.Name} in {Official.First(e => e.Value.Contains(t.Name)).Key})");
        var invented = exported.Where(t => t.Namespace is { } ns && Official.ContainsKey(ns) && !Official[ns].Contains(t.Name))
            .Select(t => $"{t.FullName} (not a type of the official package: keep it in a PubSub.Aws namespace)");
        var missing = Official.SelectMany(e => e.Value.Select(name => $"{e.Key}.{name}")).Where(name => Aws.GetType(name) is null)
            .Select(name => $"{name} (listed, not in PubSub.Aws)");

        Assert.Empty(misplaced.Concat(invented).Concat(missing));
    }

    [Fact]
    public void The_sns_and_streams_namespaces_of_ours_hold_only_what_the_packages_lack()
    {
        var ours = Aws.GetExportedTypes()
            .Where(t => OurNamespaces.Any(ns => t.Namespace == ns || (t.Namespace ?? "").StartsWith(ns + ".", StringComparison.Ordinal)))
            .Select(t => t.FullName!);

        Assert.Empty(ours.Except(Ours));
    }

    [Fact]
    public void No_file_outside_PubSub_Aws_reaches_an_official_type_through_a_namespace_of_ours()
    {
        var root = ProjectGraph.RepositoryRoot();
        var namespaces = Aws.GetTypes().Select(t => t.Namespace).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var violations = new List<string>();
        foreach (var file in SourceFiles(root))
        {
            var text = File.ReadAllText(file);
            foreach (Match match in OurNamespaceMention().Matches(text))
            {
                var problem = Problem(match.Value, namespaces);
                if (problem is not null)
                {
                    var line = text.AsSpan(0, match.Index).Count('\n') + 1;
                    violations.Add($"{Path.GetRelativePath(root, file)}:{line}: {match.Value}: {problem}");
                }
            }
        }

        Assert.Empty(violations);
    }

    /// <summary>Why <paramref name="mention"/> (<c>[PubSub.]Aws.SimpleNotificationService[.Model][.Type]</c>) would
    /// not survive the swap, or null.</summary>
    private static string? Problem(string mention, HashSet<string> namespaces)
    {
        var segments = mention.Split('.');
        var start = segments[0] == "PubSub" ? 3 : 2;
        var ns = "PubSub.Aws." + segments[start - 1];
        var next = start;
        while (next < segments.Length && namespaces.Contains(ns + "." + segments[next]))
        {
            ns += "." + segments[next++];
        }

        if (next < segments.Length && OfficialNames.Contains(segments[next]))
        {
            return $"{segments[next]} is the official package's: name it by its Amazon.* namespace";
        }

        if (!namespaces.Contains(ns) || (next < segments.Length && Aws.GetType(ns + "." + segments[next]) is null))
        {
            var named = next < segments.Length ? $"{ns}.{segments[next]}" : ns;
            return $"PubSub.Aws has no namespace or type {named}; the types that mirror the official package are in Amazon.*";
        }

        if (next < segments.Length)
        {
            return null;
        }

        var official = Aws.GetTypes().Where(t => t.Namespace == ns && OfficialNames.Contains(t.Name)).Select(t => t.Name).ToList();
        return official.Count == 0 ? null : $"{ns} holds {string.Join(", ", official)}, which the official package has";
    }

    private static IEnumerable<string> SourceFiles(string root)
    {
        string[] extensions = [".cs", ".md", ".csproj", ".props", ".targets"];
        string[] excluded = ["PubSub.Aws", ".git", "bin", "obj", "node_modules"];
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var folder))
        {
            foreach (var sub in Directory.EnumerateDirectories(folder).Where(d => !excluded.Contains(Path.GetFileName(d))))
            {
                pending.Push(sub);
            }

            foreach (var file in Directory.EnumerateFiles(folder).Where(f => extensions.Contains(Path.GetExtension(f))))
            {
                yield return file;
            }
        }
    }

    [GeneratedRegex(@"(?<![\w.])(?:PubSub\.)?Aws\.(?:SimpleNotificationService|DynamoDBStreams)(?:\.\w+)*")]
    private static partial Regex OurNamespaceMention();
}
