namespace PubSub.CloudFormation.Specification;

/// <summary>Finds <c>db.json.gz</c>: a path given, <c>PUBSUB_CFN_SPEC</c>, a copy next to the program
/// (the CLI ships one), or <c>node_modules/@aws-cdk/aws-service-spec</c> in or above the current directory.</summary>
public static class SpecificationLocator
{
    public const string Variable = "PUBSUB_CFN_SPEC";
    public const string FileName = "db.json.gz";
    private static readonly string[] NpmPath = ["node_modules", "@aws-cdk", "aws-service-spec", FileName];

    /// <exception cref="FileNotFoundException">No specification was found.</exception>
    public static string Locate(string? given = null)
    {
        if (given is { Length: > 0 })
        {
            return File.Exists(given) ? given : throw new FileNotFoundException($"No specification at {given}.", given);
        }

        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"{Variable} names {configured}, which does not exist.", configured);
        }

        var shipped = Path.Combine(AppContext.BaseDirectory, "cfn-spec", FileName);
        if (File.Exists(shipped))
        {
            return shipped;
        }

        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine([directory.FullName, .. NpmPath]);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            $"The CloudFormation resource specification ({FileName} of npm @aws-cdk/aws-service-spec) was not found: " +
            $"run 'npm ci' in the repository, or pass --spec or set {Variable}.");
    }
}
