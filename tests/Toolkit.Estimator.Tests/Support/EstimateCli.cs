using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Toolkit.Estimator.Tests.Support;

/// <summary>What a finished <c>toolkit</c> process left behind.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Stdout">Standard output.</param>
/// <param name="Stderr">Standard error.</param>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Everything it printed, for assertion messages.</summary>
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs the real <c>toolkit</c> app host that the build copies next to the test assembly (from cli/Toolkit.Cli) as a
/// child process, optionally behind a wrapper such as setpriv.
/// </summary>
public static class EstimateCli
{
    /// <summary>The app host.</summary>
    public static string AppHost => Path.Combine(AppContext.BaseDirectory, "toolkit");

    /// <summary>Runs <c>toolkit ARGS</c> to the end (3 minutes at most: the suite shares two cores).</summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, IEnumerable<string>? wrapper = null)
    {
        var command = (wrapper ?? []).Append(AppHost).Concat(args).ToList();
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
        start.Environment["CI"] = "1";
        start.Environment["COLUMNS"] = "1000"; // no wrapping of long paths in the console table and lines
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"toolkit {string.Join(' ', args)} did not finish in 3 minutes");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs toolkit as user nobody (setpriv), or null with why it cannot here.</summary>
    public static string? SetprivMissing =>
        !File.Exists(Setpriv) ? "setpriv (util-linux) is not installed, so the CLI cannot be run as another user"
        : Environment.UserName != "root" ? "the tests do not run as root, so they cannot switch to user nobody"
        : null;

    /// <summary>Path of setpriv.</summary>
    public static string Setpriv => File.Exists("/usr/bin/setpriv") ? "/usr/bin/setpriv" : "/bin/setpriv";

    /// <summary>The wrapper that runs a command as nobody:nogroup with no supplementary groups.</summary>
    public static string[] AsNobody => [Setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"];
}

/// <summary>A fact that runs the CLI as user nobody through setpriv (root can read a mode-000 file; nobody cannot).</summary>
public sealed class SetprivFactAttribute : FactAttribute
{
    /// <summary>Skips with the reason when setpriv or root is missing.</summary>
    public SetprivFactAttribute() => Skip = EstimateCli.SetprivMissing;
}

/// <summary>Checks the report promise "never NaN, negative or infinite numbers".</summary>
public static class JsonNumbers
{
    /// <summary>Asserts every number in <paramref name="json"/> is finite and ≥ 0, and no NaN/Infinity token is there.</summary>
    public static void AssertFiniteNonNegative(string json)
    {
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", json, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json);
        int numbers = Walk(doc.RootElement, "$");
        Assert.True(numbers > 10, $"only {numbers} numbers in the report");
    }

    private static int Walk(JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number:
                double v = e.GetDouble();
                Assert.True(double.IsFinite(v) && v >= 0, $"{path} = {e.GetRawText()}");
                return 1;
            case JsonValueKind.Object:
                return e.EnumerateObject().Sum(p => Walk(p.Value, path + "." + p.Name));
            case JsonValueKind.Array:
                return e.EnumerateArray().Select((x, i) => Walk(x, $"{path}[{i}]")).Sum();
            default:
                return 0;
        }
    }
}
