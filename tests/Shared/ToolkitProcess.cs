using System.Diagnostics;

// Linked into the test projects that run the real CLI (see their .csproj): one runner, not a copy per project.
namespace Toolkit.Tests.Shared;

/// <summary>How one run of the real <c>toolkit</c> command ended.</summary>
internal sealed record CliResult(int Code, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public override string ToString() => $"exit {Code} after {Elapsed.TotalSeconds:F1} s\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>
/// Runs the <c>toolkit</c> app host built next to the tests, as a user would (CI=1: plain output). It loads trainer
/// plugins from plugins/ beside itself (TOOLKIT_PLUGINS is cleared): the test build's own.
/// </summary>
internal static class ToolkitProcess
{
    public static CliResult Run(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "toolkit")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
            start.ArgumentList.Add(a);
        start.Environment["CI"] = "1";
        start.Environment.Remove("TOOLKIT_PLUGINS");
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"toolkit {string.Join(' ', args)} did not finish in {timeout.TotalSeconds:F0} s");
        }
        p.WaitForExit();
        return new CliResult(p.ExitCode, stdout.Result, err.Result, clock.Elapsed);
    }

    public static CliResult Run(params string[] args) => Run(TimeSpan.FromMinutes(2), args);
}
