using Toolkit.Ingest.Probing;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Probing;

public sealed class VideoProbeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Trait("Category", "Integration")]
    [Fact]
    public async Task ProbeAsync_Tree_ReportsSizeRateAndDeclaredFrames()
    {
        var probe = await VideoProbe.ProbeAsync(TestVideos.Require(TestVideos.Tree), CancellationToken.None);

        Assert.True(probe.Ok, probe.Failure);
        var info = probe.Info!;
        Assert.Equal((320, 240, "cinepak", 0), (info.Width, info.Height, info.Codec, info.Rotation));
        Assert.Equal(15.0, info.FrameRate, 0.01);
        Assert.Equal(444, info.DeclaredFrames);
    }

    [Trait("Category", "Integration")]
    [Theory]
    [InlineData("café \"déjà\" vu's.mp4")]
    [InlineData("back\\slash \\\" both.mp4")]
    [InlineData("-starts with a dash.mp4")]
    [InlineData("$HOME `date` *.mp4")]
    public async Task ProbeAsync_OddFileName_ProbesTheFileItself(string name)
    {
        string path = TestVideos.TestPattern(_temp.Combine(name), 96, 64, frames: 4);

        var probe = await VideoProbe.ProbeAsync(path, CancellationToken.None);

        Assert.True(probe.Ok, probe.Failure);
        Assert.Equal((96, 64), (probe.Info!.Width, probe.Info.Height));
    }

    [Trait("Category", "Failure")]
    [Fact]
    public async Task ProbeAsync_EmptyFile_FailsWithEmptyFile()
    {
        string path = _temp.Combine("zero.mp4");
        File.WriteAllBytes(path, []);

        var probe = await VideoProbe.ProbeAsync(path, CancellationToken.None);

        Assert.False(probe.Ok);
        Assert.StartsWith("empty file (0 bytes)", probe.Failure);
    }

    [Trait("Category", "Failure")]
    [Fact]
    public async Task ProbeAsync_TextFile_FailsAsNotReadable()
    {
        string path = _temp.Combine("text.mp4");
        File.WriteAllText(path, "not a video\n");

        var probe = await VideoProbe.ProbeAsync(path, CancellationToken.None);

        Assert.False(probe.Ok);
        Assert.StartsWith("not a readable video file (ffprobe: ", probe.Failure);
        Assert.Contains("Invalid data found", probe.Failure);
    }

    [Trait("Category", "Failure")]
    [Fact]
    public async Task ProbeAsync_AudioOnly_FailsWithNoVideoStream()
    {
        string path = TestVideos.AudioOnly(_temp.Combine("sine.mp4"));

        var probe = await VideoProbe.ProbeAsync(path, CancellationToken.None);

        Assert.False(probe.Ok);
        Assert.StartsWith("no video stream (audio only: 1 audio stream(s))", probe.Failure);
    }

    [Trait("Category", "Failure")]
    [Fact]
    public async Task ProbeAsync_Missing_FailsWithFileNotFound()
    {
        var probe = await VideoProbe.ProbeAsync(_temp.Combine("gone.mp4"), CancellationToken.None);

        Assert.False(probe.Ok);
        Assert.StartsWith("file not found", probe.Failure);
    }
}
