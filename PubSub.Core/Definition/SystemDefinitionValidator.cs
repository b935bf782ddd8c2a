using System.Text.RegularExpressions;
using PubSub.Routing;

namespace PubSub.Definition;

/// <summary>The rules a definition must follow, under the naming limits AWS enforces.</summary>
internal static partial class SystemDefinitionValidator
{
    private static readonly HashSet<string> Protocols = new(StringComparer.Ordinal)
    {
        "sqs", "http", "https", "email", "email-json", "sms", "lambda", "application", "firehose", SubscriptionDefinition.WebhookProtocol,
    };

    public static List<string> Validate(SystemDefinition d)
    {
        var errors = new List<string>();
        Check(errors, NamePattern().IsMatch(d.Name), $"name '{d.Name}' must be 1-64 letters, digits, '-' or '_'");
        Check(errors, TableName().IsMatch(d.Events.Table), $"events.table '{d.Events.Table}' is not a valid DynamoDB table name");
        Check(errors, d.Events.RetentionDays is >= 1 and <= 3650, "events.retentionDays must be between 1 and 3650");
        Check(errors, BucketName().IsMatch(d.Events.ArchiveBucket), $"events.archiveBucket '{d.Events.ArchiveBucket}' is not a valid S3 bucket name");
        Check(errors, QueueName().IsMatch(d.DeadLetterQueues.Ingestion), $"deadLetterQueues.ingestion '{d.DeadLetterQueues.Ingestion}' is not a valid SQS queue name");
        Check(errors, QueueName().IsMatch(d.DeadLetterQueues.Publish), $"deadLetterQueues.publish '{d.DeadLetterQueues.Publish}' is not a valid SQS queue name");

        var topics = Unique(errors, "topic", d.Topics.Select(t => t.Name));
        foreach (var topic in d.Topics)
        {
            Check(errors, TopicName().IsMatch(topic.Name), $"topic '{topic.Name}' must be 1-256 letters, digits, '-' or '_' (plus '.fifo' for FIFO)");
        }

        Unique(errors, "route", d.Routes.Select(r => r.Name));
        foreach (var route in d.Routes)
        {
            Check(errors, route.Topics.Count > 0, $"route '{route.Name}' has no topics");
            foreach (var topic in route.Topics.Where(t => !topics.Contains(t)))
            {
                errors.Add($"route '{route.Name}' targets topic '{topic}', which is not declared");
            }

            try
            {
                EventPattern.Validate(route.Pattern);
            }
            catch (EventPatternException e)
            {
                errors.Add($"route '{route.Name}' has an invalid pattern: {e.Message}");
            }
        }

        if (d.UnroutedTopic is { } unrouted)
        {
            Check(errors, topics.Contains(unrouted), $"unroutedTopic '{unrouted}' is not a declared topic");
        }

        if (d.AlertsTopic is { } alerts)
        {
            Check(errors, topics.Contains(alerts), $"alertsTopic '{alerts}' is not a declared topic");
        }

        Unique(errors, "publisher", d.Publishers.Select(p => p.Name));
        foreach (var publisher in d.Publishers)
        {
            Check(errors, NamePattern().IsMatch(publisher.Name), $"publisher '{publisher.Name}' must be 1-64 letters, digits, '-' or '_'");
            if (publisher.Plan is { } plan)
            {
                Check(errors, plan.RateLimit > 0, $"publisher '{publisher.Name}': plan.rateLimit must be more than 0");
                Check(errors, plan.BurstLimit >= 1, $"publisher '{publisher.Name}': plan.burstLimit must be at least 1");
                Check(errors, plan.Quota is null || plan.Quota.Limit >= 1, $"publisher '{publisher.Name}': plan.quota.limit must be at least 1");
            }

            ValidateSources(errors, publisher);
        }

        foreach (var (type, schema) in d.Schemas)
        {
            Check(errors, type.Length > 0, "a schema is declared for an empty event type");
            try
            {
                global::Json.Schema.JsonSchema.FromText(schema.GetRawText());
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
            {
                errors.Add($"the schema for event type '{type}' is invalid: {e.Message}");
            }
        }

        foreach (var s in d.Subscriptions)
        {
            Check(errors, topics.Contains(s.Topic), $"a subscription targets topic '{s.Topic}', which is not declared");
            Check(errors, Protocols.Contains(s.Protocol), $"subscription to '{s.Topic}' has unknown protocol '{s.Protocol}'");
            Check(errors, s.Protocol != "sqs" || QueueName().IsMatch(s.Endpoint) || s.Endpoint.StartsWith("arn:", StringComparison.Ordinal),
                $"subscription to '{s.Topic}': '{s.Endpoint}' is neither a queue name nor an ARN");
            Check(errors, s.FilterPolicyScope is null or "MessageAttributes" or "MessageBody",
                $"subscription to '{s.Topic}': filterPolicyScope must be MessageAttributes or MessageBody");
            if (s.IsWebhook)
            {
                ValidateWebhook(errors, d, s);
            }
            else
            {
                Check(errors, s is { Id: null, RateLimit: null, TimeoutSeconds: null, Ordering: null },
                    $"subscription to '{s.Topic}': id, rateLimit, timeoutSeconds and ordering are for webhook subscriptions only");
            }
        }

        Unique(errors, "webhook subscription", d.Subscriptions.Where(s => s.IsWebhook && s.Id is not null).Select(s => s.Id!));

        return errors;
    }

    /// <summary>A webhook subscription: an id that fits its queues' names, a URL that is https (or http to
    /// this machine, for local runs; the stack refuses it), and limits in range. Where the URL resolves is
    /// checked at each delivery, not here.</summary>
    private static void ValidateWebhook(List<string> errors, SystemDefinition d, SubscriptionDefinition s)
    {
        var what = $"webhook subscription '{s.Id}' to '{s.Topic}'";
        if (s.Id is not { } id || !WebhookId().IsMatch(id))
        {
            errors.Add($"webhook subscription to '{s.Topic}': id must be 1-40 lower-case letters, digits or '-', starting with a letter or digit");
        }
        else
        {
            Check(errors, QueueName().IsMatch(WebhookNames.DeadLetterQueue(d, id)),
                $"{what}: its queue name '{WebhookNames.DeadLetterQueue(d, id)}' is longer than SQS allows (80); shorten the id or the definition's name");
        }

        Check(errors, IsWebhookUrl(s.Endpoint), $"{what}: endpoint '{s.Endpoint}' must be an https URL (or http://localhost for local runs), without user info or fragment");
        Check(errors, s.RateLimit is null || (double.IsFinite(s.RateLimit.Value) && s.RateLimit > 0 && s.RateLimit <= 10_000),
            $"{what}: rateLimit must be more than 0 and at most 10000 deliveries per second");
        Check(errors, s.TimeoutSeconds is null or >= 1 and <= 60, $"{what}: timeoutSeconds must be between 1 and 60");
        Check(errors, s.Ordering is null or "none" or "partitionkey", $"{what}: ordering must be none or partitionkey");
        Check(errors, !s.RawMessageDelivery, $"{what}: rawMessageDelivery is implied (the event is what is signed); leave it out");
    }

    private static bool IsWebhookUrl(string endpoint) =>
        endpoint.Length <= 2048
        && Uri.TryCreate(endpoint, UriKind.Absolute, out var url)
        && url.UserInfo.Length == 0
        && url.Fragment.Length == 0
        && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && IsLocalHost(url)));

    /// <summary>The hosts a local run's receivers listen on.</summary>
    public static bool IsLocalHost(Uri url) => url.IsLoopback && url.Host is "localhost" or "127.0.0.1" or "[::1]";

    /// <summary>Source prefixes: at least one when the list is present, each a valid CloudEvents source
    /// prefix (1-1024 characters, no control characters), none twice.</summary>
    private static void ValidateSources(List<string> errors, PublisherDefinition publisher)
    {
        if (publisher.Sources is not { } sources)
        {
            return;
        }

        Check(errors, sources.Count > 0, $"publisher '{publisher.Name}': sources must list at least one prefix (or be left out to allow any source)");
        foreach (var (prefix, index) in sources.Select((p, i) => (p, i)))
        {
            Check(errors, prefix.Length is >= 1 and <= 1024 && !prefix.Any(char.IsControl),
                $"publisher '{publisher.Name}': sources[{index}] must be 1-1024 characters without control characters");
        }

        Unique(errors, $"publisher '{publisher.Name}': source prefix", sources);
    }

    private static HashSet<string> Unique(List<string> errors, string kind, IEnumerable<string> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            Check(errors, seen.Add(name), $"{kind} '{name}' is declared twice");
        }

        return seen;
    }

    private static void Check(List<string> errors, bool condition, string error)
    {
        if (!condition)
        {
            errors.Add(error);
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,39}\z")]
    private static partial Regex WebhookId();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]{3,255}\z")]
    private static partial Regex TableName();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\z")]
    private static partial Regex BucketName();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,75}(\.fifo)?\z")]
    private static partial Regex QueueName();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,251}(\.fifo)?\z")]
    private static partial Regex TopicName();
}
