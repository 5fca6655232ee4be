using System.Diagnostics;
using System.Text.Json;

namespace Toolkit.Trainers.Tests.Gpu;

/// <summary>
/// benchmarks/gpu/run.sh --cpu, the dry run of the script a GPU machine runs: it must finish, bind and check libtorch,
/// measure every model on both sides (toolkit's gpubench and PyTorch's peer.py, Debian's python3-torch here) with
/// the same parameter count, take the bf16, channels-last, transfer, batch-op and multigrid paths, fail nothing, and
/// write the Markdown summary.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GpuBenchmarkDryRunTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "toolkit-gpu-dry-" + Guid.NewGuid().ToString("N"));

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Toolkit.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Toolkit.sln not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public async Task RunSh_Cpu_MeasuresEveryModelOnBothSides_WithEqualParameters()
    {
        string root = RepositoryRoot();
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "benchmarks/gpu/run.sh"), "--cpu"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["OUT"] = _out;
        start.Environment["PYTHON"] = "/usr/bin/python3";
        // this checkout's build, never a kit some earlier build/device-kit.sh left in artifacts/
        start.Environment["KIT_ARCHIVE"] = Path.Combine(_out, "no-kit.tar.xz");
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await p.WaitForExitAsync(limit.Token);
        await stdout;
        string log = await stderr;
        Assert.True(p.ExitCode == 0, $"run.sh --cpu exited {p.ExitCode}: {log}");

        var rows = File.ReadAllLines(Path.Combine(_out, "results.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        string Str(JsonElement r, string key) => r.TryGetProperty(key, out var v) ? v.ToString() : "";
        Assert.DoesNotContain(rows, r => r.TryGetProperty("failed", out _));
        Assert.Contains(rows, r => Str(r, "bench") == "env" && Str(r, "ok") == "True" && Str(r, "libraries").Contains("libtorch_cpu.so", StringComparison.Ordinal));
        var models = rows.Where(r => Str(r, "bench") == "model").ToList();
        foreach (string model in new[] { "i3d-r50", "slowonly-r50", "x3d-m", "mvit-b" })
        {
            foreach (string phase in new[] { "train", "test" })
            {
                var pair = models.Where(r => Str(r, "model") == model && Str(r, "phase") == phase && Str(r, "precision") == "fp32").ToList();
                var toolkit = Assert.Single(pair, r => Str(r, "framework") == "torchsharp");
                var torch = Assert.Single(pair, r => Str(r, "framework") == "pytorch");
                Assert.Equal(Str(toolkit, "params"), Str(torch, "params"));
                Assert.True(toolkit.GetProperty("it_per_s").GetDouble() > 0);
            }
        }
        Assert.Contains(models, r => Str(r, "precision") == "bf16" && Str(r, "model") == "mvit-b" && Str(r, "framework") == "torchsharp");
        Assert.Contains(models, r => Str(r, "layout") == "channels_last" && Str(r, "framework") == "torchsharp");
        // Here pinning is refused and the loader's path says why (the pageable fallback).
        Assert.Contains(rows, r => Str(r, "bench") == "h2d" && Str(r, "pin_failure").Length > 0);
        Assert.Equal(5, rows.Count(r => Str(r, "bench") == "augment"));
        Assert.Contains(rows, r => Str(r, "bench") == "multigrid");
        string md = File.ReadAllText(Path.Combine(_out, "results.md"));
        Assert.Contains("| toolkit / PyTorch |", md);
        Assert.DoesNotContain("DIFFER", md);
    }

    public void Dispose()
    {
        if (Directory.Exists(_out))
            Directory.Delete(_out, recursive: true);
    }
}
