using System.Text.Json;
using Toolkit.Loaders.Tests.Support;

namespace Toolkit.Loaders.Tests.Cli;

/// <summary><c>toolkit bench loader</c> run as the real command (the app host built next to the tests).</summary>
[Trait("Category", "Integration")]
public sealed class BenchCommandTests : IDisposable
{
    private readonly TempDirectory _tmp = new("toolkit-loaders-");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Json_HasTheThreeFigures()
    {
        var (list, _) = Fixtures.Rawframes(_tmp.Path, 6, 10, width: 80, height: 60);
        var r = Run("bench", "loader", "--list", list, "--root", _tmp.Path, "--recipe", "rrc", "--crop", "32", "--clip-len", "4", "--batch", "2", "--batches", "6", "--warmup", "1", "--workers", "2", "--json");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("clips_per_s").GetDouble() > 0);
        Assert.Equal(root.GetProperty("clips_per_s").GetDouble() / 2, root.GetProperty("batches_per_s").GetDouble(), 0.01);
        Assert.True(root.GetProperty("peak_rss_mb").GetDouble() > 10);
        Assert.Equal(12, root.GetProperty("clips").GetInt32());
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void MissingList_ExitCode2_NamesTheFile()
    {
        string missing = Path.Combine(_tmp.Path, "nope.txt");
        var r = Run("bench", "loader", "--list", missing, "--root", _tmp.Path, "--json");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"{missing}: no such list file", r.Stderr);
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void CorruptFrame_ExitCode2_NamesTheFile()
    {
        var (list, _) = Fixtures.Rawframes(_tmp.Path, 2, 4);
        string bad = Path.Combine(_tmp.Path, "class1", "vid1", "img_00002.jpg");
        File.WriteAllBytes(bad, [1, 2, 3, 4]);
        var r = Run("bench", "loader", "--list", list, "--root", _tmp.Path, "--crop", "32", "--clip-len", "4", "--batch", "2", "--batches", "2", "--warmup", "0");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(bad, r.Stderr);
    }

    [Theory]
    [Trait("Category", "Failure")]
    [InlineData("--clip-len", "100000")] // grew to 3.7 GB in 2 s before any check
    [InlineData("--crop", "60000")]
    [InlineData("--batch", "2000000")]
    public void BatchTooLargeForMemory_ExitCode2_BeforeAllocating_WithItsSize(string option, string value)
    {
        var (list, _) = Fixtures.Rawframes(_tmp.Path, 2, 4);
        string[] args = ["bench", "loader", "--list", list, "--root", _tmp.Path, "--crop", "32", "--clip-len", "4", "--batch", "2", "--batches", "2", "--warmup", "0"];
        args[Array.IndexOf(args, option) + 1] = value;

        var r = Run(args);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("batch shape: ", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("more than half of the", r.Stderr, StringComparison.Ordinal);
        Assert.Contains("lower the batch size, clip length (T) or crop", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
    }

    private static CliResult Run(params string[] args) => ToolkitCli.Run(args);
}
