using System.Diagnostics;
using System.Text;

namespace Toolkit.Ingest.Tests.Support;

/// <summary>What a finished <c>toolkit</c> process left behind.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Everything it printed, for assertion messages.</summary>
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs the real <c>toolkit</c> app host that the build copies next to the test assembly, as a child process with its
/// own arguments list (no shell, so odd file names pass through untouched).
/// </summary>
public sealed class ToolkitCli : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ToolkitCli(Process process)
    {
        _process = process;
    }

    /// <summary>The app host built from cli/Toolkit.Cli.</summary>
    public static string AppHost => Path.Combine(AppContext.BaseDirectory, "toolkit");

    /// <summary>Default limit for one run; generous because the suite shares two cores.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromMinutes(3);

    /// <summary>Process id, for signals.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>toolkit ARGS</c>; <paramref name="wrapper"/> (e.g. setpriv and its options) is put in front when given.</summary>
    public static ToolkitCli Start(IEnumerable<string> args, IEnumerable<string>? wrapper = null) => Start(AppHost, args, wrapper);

    /// <summary>Starts <paramref name="host"/> (another copy of the app host) with <c>ARGS</c>.</summary>
    public static ToolkitCli Start(string host, IEnumerable<string> args, IEnumerable<string>? wrapper = null)
    {
        var command = (wrapper ?? []).Append(host).Concat(args).ToList();
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string arg in command.Skip(1))
            start.ArgumentList.Add(arg);
        start.Environment["CI"] = "1"; // plain progress lines, never a live bar
        var process = new Process { StartInfo = start };
        var cli = new ToolkitCli(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (cli._stdout) cli._stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (cli._stderr) cli._stderr.AppendLine(e.Data); };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs <c>toolkit ARGS</c> to the end.</summary>
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, null, DefaultTimeout);

    /// <summary>Runs <c>toolkit ARGS</c> to the end, behind <paramref name="wrapper"/> when given; kills it and fails past <paramref name="timeout"/>.</summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, IEnumerable<string>? wrapper, TimeSpan timeout)
    {
        using var cli = Start(args, wrapper);
        return await cli.WaitAsync(timeout);
    }

    /// <summary>Runs <paramref name="host"/> (another copy of the app host) with <c>ARGS</c> to the end.</summary>
    public static async Task<CliResult> RunWithHostAsync(string host, params string[] args)
    {
        using var cli = Start(host, args);
        return await cli.WaitAsync(DefaultTimeout);
    }

    /// <summary>Waits for the exit and returns the result.</summary>
    public async Task<CliResult> WaitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"toolkit did not finish within {timeout}: {Result()}");
        }
        _process.WaitForExit(); // flushes the asynchronous output readers
        return Result();
    }

    /// <summary>SIGKILL: the process gets no chance to clean up.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private CliResult Result()
    {
        lock (_stdout)
        lock (_stderr)
            return new CliResult(_process.HasExited ? _process.ExitCode : -1, _stdout.ToString(), _stderr.ToString());
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            Kill();
        _process.Dispose();
    }
}
