using Toolkit.Ingest.Pipeline;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Output;

/// <summary>A complete video is skipped only while its source is unchanged (size and modification time of the video itself).</summary>
[Trait("Category", "Integration")]
public sealed class SourceChangeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static ExtractSettings Settings => new() { ShortSide = 0 };

    [Fact]
    public async Task RunAsync_SourceUnchanged_IsSkipped()
    {
        TestVideos.TestPattern(_temp.Combine("src", "c", "clip.mp4"), 96, 72, frames: 10);
        await Extract.RunAsync(_temp.Combine("src"), _temp.Combine("out"), Settings);

        var again = await Extract.RunAsync(_temp.Combine("src"), _temp.Combine("out"), Settings);

        Assert.Equal((VideoStatus.Skipped, 10), (Assert.Single(again.Results).Status, again.Results[0].Frames));
    }

    [Fact]
    public async Task RunAsync_SourceRewrittenInPlace_IsConvertedAgain()
    {
        string clip = TestVideos.TestPattern(_temp.Combine("src", "c", "clip.mp4"), 96, 72, frames: 10);
        await Extract.RunAsync(_temp.Combine("src"), _temp.Combine("out"), Settings);
        TestVideos.TestPattern(clip, 96, 72, frames: 14);

        var again = await Extract.RunAsync(_temp.Combine("src"), _temp.Combine("out"), Settings);

        Assert.Equal((VideoStatus.Done, 14), (Assert.Single(again.Results).Status, again.Results[0].Frames));
        Assert.Equal(Extract.Sequence("img_", 1, 14), Extract.Names(_temp.Combine("out", "c", "clip"), "*"));
    }

    [Fact]
    public async Task RunAsync_VideoReplacedBehindASymlink_IsConvertedAgain()
    {
        // setup.sh links opencv-doc's videos into samples/videos/<class>/: the link never changes, the video may.
        string target = TestVideos.TestPattern(_temp.Combine("store", "clip.mp4"), 96, 72, frames: 10);
        Directory.CreateDirectory(_temp.Combine("src", "c"));
        File.CreateSymbolicLink(_temp.Combine("src", "c", "clip.mp4"), target);
        var first = await Extract.RunAsync(_temp.Combine("src"), _temp.Combine("out"), Settings);
        Assert.Equal(new FileInfo(target).Length, Assert.Single(OutputTree.Manifest(_temp.Combine("out"))).SourceSize);
        TestVideos.TestPattern(target, 96, 72, frames: 14);

        var again = await Extract.RunAsync(_temp.Combine("src"), _temp.Combine("out"), Settings);

        Assert.Equal(10, Assert.Single(first.Results).Frames);
        Assert.Equal((VideoStatus.Done, 14), (Assert.Single(again.Results).Status, again.Results[0].Frames));
        Assert.Equal(Extract.Sequence("img_", 1, 14), Extract.Names(_temp.Combine("out", "c", "clip"), "*"));
    }
}
