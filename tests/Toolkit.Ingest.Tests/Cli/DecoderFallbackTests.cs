using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Cli;

/// <summary>
/// Without <c>libtoolkit_video.so</c> (a machine where it was not built) extract still runs, through ffmpeg processes,
/// writes the same bytes, and says so on standard error (issue 14).
/// </summary>
[Trait("Category", "Failure")]
public sealed class DecoderFallbackTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Extract_WithoutTheDecoderLibrary_FallsBackToFfmpegWithAWarning_AndWritesTheSameFrames()
    {
        // A copy of the app folder without the library: the app host, the assemblies and the .json files copied (the
        // host resolves the app's folder, and the runtime its native search folders, through real paths), native
        // libraries and folders linked.
        string app = _temp.CreateFolder("app");
        foreach (string entry in Directory.EnumerateFileSystemEntries(AppContext.BaseDirectory))
        {
            string name = Path.GetFileName(entry);
            if (name == "libtoolkit_video.so")
                continue;
            if (name == "toolkit" || name.EndsWith(".dll", StringComparison.Ordinal) || name.EndsWith(".json", StringComparison.Ordinal))
                File.Copy(entry, Path.Combine(app, name));
            else
                File.CreateSymbolicLink(Path.Combine(app, name), entry);
        }
        TestVideos.TestPattern(_temp.Combine("src", "walk", "clip.mp4"), 96, 72, frames: 10);

        var fallback = await ToolkitCli.RunWithHostAsync(Path.Combine(app, "toolkit"), "extract", _temp.Combine("src"), _temp.Combine("out-fallback"));
        var normal = await ToolkitCli.RunAsync("extract", _temp.Combine("src"), _temp.Combine("out"));

        Assert.True(fallback.ExitCode == 0, fallback.ToString());
        Assert.Contains("toolkit: warning: decoding with ffmpeg processes instead of in process: libtoolkit_video.so could not be loaded", fallback.Stderr);
        Assert.True(normal.ExitCode == 0, normal.ToString());
        Assert.DoesNotContain("warning", normal.Stderr);
        Assert.Empty(OutputTree.Differences(OutputTree.Hashes(_temp.Combine("out")), OutputTree.Hashes(_temp.Combine("out-fallback"))));
    }
}
