namespace Microsoft.Extensions.Hosting;

public static class TopicArnsExtensions
{
    /// <summary>Topic ARNs by topic name, from <c>Topics:{name}:Arn</c> (a deployment passes them); a topic
    /// without one is looked up by name.</summary>
    public static Dictionary<string, string> ConfiguredTopicArns(this IHostApplicationBuilder builder) =>
        builder.Configuration.GetSection("Topics").GetChildren()
            .Where(t => t["Arn"] is { Length: > 0 })
            .ToDictionary(t => t.Key, t => t["Arn"]!);
}
