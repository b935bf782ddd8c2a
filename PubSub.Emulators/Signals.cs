using System.Runtime.InteropServices;

namespace PubSub.Emulators;

/// <summary>kill(2): .NET can only SIGKILL a process, and the processes here deserve a chance to stop
/// cleanly; the load harness also pauses one process (SIGSTOP) to measure another alone.</summary>
public static partial class Signals
{
    private const int SigTerm = 15;
    private const int SigStop = 19;
    private const int SigCont = 18;

    /// <summary>Sends SIGTERM; 0 on success.</summary>
    public static int Terminate(int pid) => SendSignal(pid, SigTerm);

    /// <summary>Freezes the process (SIGSTOP) until <see cref="Resume"/>; 0 on success.</summary>
    public static int Pause(int pid) => SendSignal(pid, SigStop);

    /// <summary>SIGCONT; 0 on success.</summary>
    public static int Resume(int pid) => SendSignal(pid, SigCont);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
