using System.Runtime.InteropServices;

namespace Toolkit.Cli;

/// <summary>
/// Ctrl+C (SIGINT), SIGTERM and SIGHUP for the whole process, registered before any command starts. The first signal
/// cancels <see cref="Token"/>: every command stops at its next safe point, keeps what is complete and exits 130. A second
/// signal exits at once with 130 (half-written files are temporary and the next run removes them).
/// </summary>
/// <remarks>
/// Hand-written rather than System.CommandLine's own handling, which gives a command 2 s and then exits mid-cleanup, and
/// throws when a second signal arrives (exit 134).
/// </remarks>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;

    public Interruption()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal),
        ];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>
    /// True while a command runs that observes <see cref="Token"/> (the asynchronous ones: extract, estimate, bench, train).
    /// Otherwise the first signal exits at once: nothing would notice the token, and every write is atomic anyway.
    /// </summary>
    public bool Cooperative { get; set; }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // the process is not killed: the command stops itself
        if (Interlocked.Increment(ref _signals) == 1 && Cooperative)
        {
            Console.Error.WriteLine($"toolkit: {Name(context.Signal)} received, stopping at the next safe point (send it again to exit at once)");
            // Cancellation callbacks run on this thread; the signal handler must return at once.
            ThreadPool.UnsafeQueueUserWorkItem(static cts => cts.Cancel(), _cts, preferLocal: false);
            return;
        }
        Console.Error.WriteLine(_signals == 1
            ? $"toolkit: {Name(context.Signal)} received: interrupted"
            : $"toolkit: {Name(context.Signal)} received again: interrupted, exiting now; the next run removes half-written files");
        Console.Error.Flush();
        Console.Out.Flush();
        NativeExit(ExitCodes.Cancelled);
    }

    private static string Name(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGINT => "Ctrl+C (SIGINT)",
        PosixSignal.SIGTERM => "SIGTERM",
        PosixSignal.SIGHUP => "SIGHUP",
        _ => signal.ToString(),
    };

    // _exit, not Environment.Exit: no finalizers or exit handlers that could wait on the work being abandoned.
    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void NativeExit(int status);

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _cts.Dispose();
    }
}
