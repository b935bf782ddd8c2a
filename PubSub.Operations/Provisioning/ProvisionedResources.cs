namespace PubSub.Provisioning;

/// <summary>What the provisioner created or found: the identifiers the functions and tests need.</summary>
public sealed record ProvisionedResources(
    string TableName,
    string StreamArn,
    string ArchiveBucket,
    IReadOnlyDictionary<string, string> TopicArns,
    IReadOnlyDictionary<string, string> QueueUrls);
