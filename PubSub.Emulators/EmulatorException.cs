namespace PubSub.Emulators;

/// <summary>An emulator that is missing, cannot start, or does not answer; the message says what to do.</summary>
public sealed class EmulatorException : Exception
{
    public EmulatorException()
    {
    }

    public EmulatorException(string message) : base(message)
    {
    }

    public EmulatorException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
