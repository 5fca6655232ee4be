using Toolkit.Ingest.Pipeline;
using Toolkit.Ingest.Tests.Support;

namespace Toolkit.Ingest.Tests.Pipeline;

public sealed class ExtractProgressTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Completed_CountsTheDecodedShareOfVideosInFlight_AndWholeVideosOnceTheyEnd()
    {
        var progress = new ExtractProgress();
        progress.SetTotal(3);
        progress.BeginVideo("a.mp4", 200);
        progress.BeginVideo("b.mp4", 0); // a probe that knew no duration: counted as 1 frame, never past 0.99
        for (int i = 0; i < 50; i++)
            progress.AddFrame("a.mp4");
        Assert.Equal(0.25, progress.Completed, 6);

        for (int i = 0; i < 500; i++)
            progress.AddFrame("a.mp4"); // more frames than the probe expected: still not done until it ends
        progress.AddFrame("b.mp4");
        Assert.Equal(0.99 + 0.99, progress.Completed, 6);
        Assert.Equal(551, progress.Frames);

        progress.Report(new VideoResult("a.mp4", "c/a", VideoStatus.Done, 550, 0, null, [], 1));
        Assert.Equal(1 + 0.99, progress.Completed, 6);
        progress.Report(new VideoResult("b.mp4", "c/b", VideoStatus.Failed, 0, 0, "broken", [], 1));
        progress.Report(new VideoResult("c.mp4", "c/c", VideoStatus.Skipped, 0, 0, null, [], 0));
        Assert.Equal(3, progress.Completed, 6);
    }

    [Fact]
    public async Task Run_EndsWithEveryVideoCompleted_NothingLeftInFlight_EvenForFailures()
    {
        TestVideos.TestPattern(_temp.Combine("src", "c", "good.mp4"), 96, 72, frames: 30);
        File.WriteAllText(_temp.Combine("src", "c", "bad.mp4"), "not a video");
        var progress = new ExtractProgress();
        var seen = new List<double>();
        progress.VideoFinished += _ =>
        {
            lock (seen)
                seen.Add(progress.Completed);
        };

        await ExtractPipeline.RunAsync(new ExtractOptions { Source = _temp.Combine("src"), Output = _temp.Combine("out"), Workers = 2 }, progress);

        Assert.Equal(2, progress.Total);
        Assert.Equal(2, progress.Completed, 6);
        Assert.All(seen, v => Assert.InRange(v, 0.99, 2.0));
        Assert.Equal(30, progress.Frames);
    }
}
