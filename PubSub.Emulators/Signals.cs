using System.Runtime.InteropServices;

namespace PubSub.Emulators;

/// <summary>kill(2): .NET can only SIGKILL a process, and the processes here deserve a chance to stop cleanly.</summary>
internal static partial class Signals
{
    private const int SigTerm = 15;

    /// <summary>Sends SIGTERM; 0 on success.</summary>
    public static int Terminate(int pid) => SendSignal(pid, SigTerm);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
