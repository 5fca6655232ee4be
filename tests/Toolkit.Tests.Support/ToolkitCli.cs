using System.Diagnostics;
using System.Text;

namespace Toolkit.Tests.Support;

/// <summary>What a finished <c>toolkit</c> process left behind.</summary>
/// <param name="ExitCode">Its exit code (-1 if it had not exited).</param>
/// <param name="Stdout">Standard output, as written.</param>
/// <param name="Stderr">Standard error, as written.</param>
/// <param name="Elapsed">From the start to the exit.</param>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>Everything it printed, for assertion messages.</summary>
    public override string ToString() =>
        $"exit code {ExitCode} after {Elapsed.TotalSeconds:F1} s\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs the real <c>toolkit</c> app host that the build copies next to the test assembly (every test project that runs
/// it references cli/Toolkit.Cli), as a user would: a child process with its own arguments list (no shell, so odd file
/// names pass through untouched), standard input closed, CI=1 (plain progress lines, never a live bar), and
/// TOOLKIT_PLUGINS cleared so it loads the trainer plugins from plugins/ beside itself (the test build's own).
/// Optionally behind a wrapper command (<see cref="AsNobody"/>), with extra environment variables, or another copy of
/// the app host. The one CLI runner of every test project.
/// </summary>
public sealed class ToolkitCli : IDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _clock;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _pumps;

    private ToolkitCli(Process process, Stopwatch clock)
    {
        _process = process;
        _clock = clock;
        _pumps = Task.WhenAll(Pump(process.StandardOutput, _stdout), Pump(process.StandardError, _stderr));
    }

    /// <summary>The app host built from cli/Toolkit.Cli, beside the test assembly.</summary>
    public static string AppHost => Path.Combine(AppContext.BaseDirectory, "toolkit");

    /// <summary>Default limit for one run; generous because the suite shares two cores.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromMinutes(3);

    /// <summary>The wrapper that runs a command as nobody:nogroup with no supplementary groups (see <see cref="SetprivFactAttribute"/>).</summary>
    public static string[] AsNobody => [Requirements.Setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"];

    /// <summary>Process id, for signals.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <c>toolkit ARGS</c>: <paramref name="wrapper"/> (e.g. <see cref="AsNobody"/>) is put in front when given,
    /// <paramref name="environment"/> is added to (a null value: removed from) the child's environment, and
    /// <paramref name="host"/> replaces <see cref="AppHost"/> (another copy of the app host) when given.
    /// </summary>
    public static ToolkitCli Start(IEnumerable<string> args, IEnumerable<string>? wrapper = null,
        IReadOnlyDictionary<string, string?>? environment = null, string? host = null)
    {
        var command = (wrapper ?? []).Append(host ?? AppHost).Concat(args).ToList();
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
        start.Environment.Remove("TOOLKIT_PLUGINS");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }
        var clock = Stopwatch.StartNew();
        var process = Process.Start(start)!;
        process.StandardInput.Close();
        return new ToolkitCli(process, clock);
    }

    /// <summary>Runs <c>toolkit ARGS</c> to the end (<see cref="DefaultTimeout"/> at most).</summary>
    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, null, DefaultTimeout);

    /// <summary>
    /// Runs <c>toolkit ARGS</c> to the end, behind <paramref name="wrapper"/> and with <paramref name="environment"/> when
    /// given (see <see cref="Start"/>); kills it and fails past <paramref name="timeout"/> (<see cref="DefaultTimeout"/>).
    /// </summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, IEnumerable<string>? wrapper = null, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var cli = Start(args, wrapper, environment);
        return await cli.WaitAsync(timeout ?? DefaultTimeout);
    }

    /// <summary>Runs <paramref name="host"/> (another copy of the app host) with <c>ARGS</c> to the end.</summary>
    public static async Task<CliResult> RunWithHostAsync(string host, params string[] args)
    {
        using var cli = Start(args, host: host);
        return await cli.WaitAsync(DefaultTimeout);
    }

    /// <summary>Runs <c>toolkit ARGS</c> to the end, blocking (<see cref="DefaultTimeout"/> at most).</summary>
    public static CliResult Run(params string[] args) => Run(DefaultTimeout, args);

    /// <summary>Runs <c>toolkit ARGS</c> to the end, blocking; kills it and fails past <paramref name="timeout"/>.</summary>
    public static CliResult Run(TimeSpan timeout, params string[] args)
    {
        using var cli = Start(args);
        return cli.WaitAsync(timeout).GetAwaiter().GetResult();
    }

    /// <summary>Waits for the exit and the end of its output; kills it (and its children) and fails the test past <paramref name="timeout"/>.</summary>
    public async Task<CliResult> WaitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
            Assert.Fail($"toolkit {string.Join(' ', _process.StartInfo.ArgumentList)} did not finish within {timeout}: {Result()}");
        }
        _clock.Stop();
        await _pumps; // the rest of its output, up to the end of both streams
        return Result();
    }

    /// <summary>SIGKILL (by default to the process alone): it gets no chance to clean up.</summary>
    public void Kill(bool entireProcessTree = false)
    {
        try
        {
            _process.Kill(entireProcessTree);
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
            return new CliResult(_process.HasExited ? _process.ExitCode : -1, _stdout.ToString(), _stderr.ToString(), _clock.Elapsed);
    }

    private static async Task Pump(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (into)
                into.Append(buffer, 0, read);
        }
    }

    /// <summary>Kills the process if it still runs.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
            Kill();
        _process.Dispose();
    }
}
