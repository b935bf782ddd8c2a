namespace PubSub.Definition;

/// <summary>A system definition that cannot be used; <see cref="Errors"/> lists every problem found.</summary>
public sealed class SystemDefinitionException : Exception
{
    public SystemDefinitionException(string source, IReadOnlyList<string> errors)
        : base($"The system definition {source} is invalid:{Environment.NewLine}  - " +
               string.Join(Environment.NewLine + "  - ", errors))
    {
        Errors = errors;
    }

    public SystemDefinitionException() : this("", [])
    {
    }

    public SystemDefinitionException(string message) : base(message)
    {
        Errors = [message];
    }

    public SystemDefinitionException(string message, Exception innerException) : base(message, innerException)
    {
        Errors = [message];
    }

    public IReadOnlyList<string> Errors { get; } = [];
}
