namespace Toolkit.Cli;

/// <summary>Exit codes of every toolkit command (documented in the README).</summary>
public static class ExitCodes
{
    /// <summary>Everything done.</summary>
    public const int Ok = 0;

    /// <summary>The run completed, but some inputs failed (each is listed in the summary and the report).</summary>
    public const int CompletedWithFailures = 1;

    /// <summary>The command could not run or had to stop: bad options, settings mismatch, disk full, permission denied.</summary>
    public const int CouldNotRun = 2;

    /// <summary>Interrupted (Ctrl+C / SIGTERM); completed work is kept.</summary>
    public const int Cancelled = 130;
}
