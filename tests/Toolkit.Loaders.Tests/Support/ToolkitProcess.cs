using System.Diagnostics;

namespace Toolkit.Loaders.Tests.Support;

/// <summary>How one run of the real <c>toolkit</c> command ended.</summary>
internal sealed record CliResult(int Code, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {Code}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs the <c>toolkit</c> app host built next to the tests, as a user would (CI=1: plain output).</summary>
internal static class ToolkitProcess
{
    public static CliResult Run(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "toolkit")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
            start.ArgumentList.Add(a);
        start.Environment["CI"] = "1";
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(2)), $"toolkit {string.Join(' ', args.Take(2))} did not finish in 2 minutes");
        return new CliResult(p.ExitCode, stdout, err.Result);
    }
}
