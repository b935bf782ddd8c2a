namespace PubSub.CloudFormation.Linting;

public enum LintSeverity
{
    Error,
    Warning,
}

/// <summary>One problem in a template, at a path such as <c>Resources/Queue/Properties/DelaySeconds</c>.</summary>
public sealed record LintFinding(LintSeverity Severity, string Path, string Message)
{
    public override string ToString() => $"{(Severity == LintSeverity.Error ? "error" : "warning")} {Path}: {Message}";
}
