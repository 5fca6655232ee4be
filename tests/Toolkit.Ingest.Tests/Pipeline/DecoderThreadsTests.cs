using Toolkit.Ingest.Pipeline;
using Toolkit.Ingest.Tests.Support;
using Toolkit.Tests.Support;

namespace Toolkit.Ingest.Tests.Pipeline;

/// <summary>
/// The last video of a run decodes with every decoder's threads (libavcodec frame threading on H.264 with B-frames):
/// the bytes written, RGB and flow, are those of one-thread decoding.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DecoderThreadsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task RunAsync_LastVideoWithIdleDecodersThreads_SameBytesAsOneThread()
    {
        string source = _temp.Combine("src");
        TestVideos.Synthetic(Path.Combine(source, "a_mandelbrot.mp4"), "mandelbrot=s=192x144:r=25", frames: 30, noise: 0);
        TestVideos.Synthetic(Path.Combine(source, "b_noise.mp4"), "testsrc2=s=176x132:r=25", frames: 30, noise: 12);
        TestVideos.Synthetic(Path.Combine(source, "z_last.mp4"), "mandelbrot=s=200x150:r=30", frames: 45, noise: 6);
        var settings = new ExtractSettings { Task = ExtractTask.Both, Flow = FlowAlgorithm.Farneback, ShortSide = 128, Level = 1 };

        // Two decoders: the last video to start gets both decoders' threads, the others one. One decoder: always one.
        var started = new List<(string Video, int Threads)>();
        var shared = await Run(source, "two", settings, decoders: 2, (video, threads) => { lock (started) started.Add((Path.GetFileName(video), threads)); });
        var single = await Run(source, "one", settings, decoders: 1, (video, threads) => Assert.Equal(1, threads));

        Assert.Equal(3, started.Count);
        Assert.Equal([1, 1, 2], started.Select(s => s.Threads).Order()); // only the last to start (callbacks may interleave)

        Assert.Equal(3, shared.Results.Count(r => r.Status == VideoStatus.Done));
        Assert.Equal(45, shared.Results.Single(r => r.Source.EndsWith("z_last.mp4", StringComparison.Ordinal)).Frames);
        var expected = OutputTree.Hashes(_temp.Combine("one"));
        var actual = OutputTree.Hashes(_temp.Combine("two"));
        Assert.Equal((30 + 2 * 29) + (30 + 2 * 29) + (45 + 2 * 44), expected.Count); // RGB frames + flow_x/flow_y pairs
        Assert.Empty(OutputTree.Differences(expected, actual));
        Assert.Equal(single.Results.Select(r => r.Frames), shared.Results.Select(r => r.Frames));
    }

    private Task<ExtractSummary> Run(string source, string output, ExtractSettings settings, int decoders, Action<string, int> started) =>
        ExtractPipeline.RunAsync(new ExtractOptions
        {
            Source = source,
            Output = _temp.Combine(output),
            Settings = settings,
            Workers = 2,
            Decoders = decoders,
            DecoderThreads = 1,
            DecoderStarted = started,
        });
}
