using System.Text.Json;
using OpenCvSharp;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Output;

/// <summary>One output folder never mixes two conventions: other settings, or a folder toolkit did not write, are refused unless forced.</summary>
public sealed class OutputSettingsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public OutputSettingsTests()
    {
        TestVideos.TestPattern(_temp.Combine("src", "pattern", "clip.mp4"), 160, 120, frames: 16);
    }

    public void Dispose() => _temp.Dispose();

    private string Source => _temp.Combine("src");

    private string Output => _temp.Combine("out");

    [Trait("Category", "Failure")]
    [Fact]
    public async Task Extract_RerunWithOtherShortSide_ExitsCouldNotRunNamingTheDifference()
    {
        var first = await ToolkitCli.RunAsync("extract", Source, Output, "--short-side", "0");
        Assert.True(first.ExitCode == 0, first.ToString());
        var before = OutputTree.Hashes(Output);
        string settings = File.ReadAllText(Path.Combine(Output, ".toolkit", "settings.json"));

        var second = await ToolkitCli.RunAsync("extract", Source, Output, "--short-side", "128");

        Assert.True(second.ExitCode == 2, second.ToString());
        Assert.Contains($"{Output}: it was written with different settings (short_side: 0 before, 128 now)", second.Stderr);
        Assert.Contains("--force", second.Stderr);
        Assert.DoesNotContain("converted", second.Stdout); // nothing ran: no "0 converted" line that reads like success
        Assert.Equal(before, OutputTree.Hashes(Output));
        Assert.Equal(settings, File.ReadAllText(Path.Combine(Output, ".toolkit", "settings.json")));
    }

    [Trait("Category", "Integration")]
    [Fact]
    public async Task Extract_RerunWithOtherShortSideAndForce_RewritesEveryVideoWithTheNewSettings()
    {
        var first = await ToolkitCli.RunAsync("extract", Source, Output, "--short-side", "0");
        Assert.True(first.ExitCode == 0, first.ToString());

        var forced = await ToolkitCli.RunAsync("extract", Source, Output, "--short-side", "128", "--force");

        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains("1 converted, 0 skipped", forced.Stdout);
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, ".toolkit", "settings.json"))))
            Assert.Equal(128, doc.RootElement.GetProperty("short_side").GetInt32());
        using var image = Cv2.ImRead(Path.Combine(Output, "pattern", "clip", "img_00016.jpg"));
        Assert.Equal((171, 128), (image.Width, image.Height)); // 160·128/120 = 170.7
        var entry = OutputTree.Manifest(Output).Last();
        Assert.Equal((171, 128, 16), (entry.Width, entry.Height, entry.Frames));
        Assert.Equal(16, Directory.GetFiles(Path.Combine(Output, "pattern", "clip")).Length);
    }

    [Trait("Category", "Failure")]
    [Fact]
    public async Task Extract_NonEmptyFolderNotWrittenByToolkit_IsRefusedUnlessForced()
    {
        Directory.CreateDirectory(Output);
        File.WriteAllText(Path.Combine(Output, "thesis.txt"), "precious");

        var refused = await ToolkitCli.RunAsync("extract", Source, Output);

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains($"{Output}: the output folder is not empty and was not written by toolkit extract", refused.Stderr);
        Assert.Equal(["thesis.txt"], Directory.EnumerateFileSystemEntries(Output).Select(Path.GetFileName));

        var forced = await ToolkitCli.RunAsync("extract", Source, Output, "--force");

        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal("precious", File.ReadAllText(Path.Combine(Output, "thesis.txt")));
        Assert.Equal(16, Directory.GetFiles(Path.Combine(Output, "pattern", "clip"), "img_*.jpg").Length);
    }
}
