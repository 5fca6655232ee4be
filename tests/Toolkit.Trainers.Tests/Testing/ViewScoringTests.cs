using OpenCvSharp;
using Toolkit.Loaders.Datasets;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Hosting.Testing;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Tests.Testing;

/// <summary>
/// The test pass scores on one thread of its own (not the pool threads the decoders use), hands every video over once,
/// passes the scorer's own exception to the caller, and stops scoring when the caller stops reading.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ViewScoringTests : IDisposable
{
    private const int Videos = 6;
    private readonly TempDirectory _root = new("toolkit-viewscoring");
    private readonly RawframeDataset _dataset;

    public ViewScoringTests()
    {
        var lines = new List<string>();
        for (int v = 0; v < Videos; v++)
        {
            string dir = Path.Combine(_root.Path, $"vid{v}");
            Directory.CreateDirectory(dir);
            for (int f = 1; f <= 4; f++)
            {
                using var frame = new Mat(40, 48, MatType.CV_8UC3, new Scalar(10 * v, 20 * f, 100));
                Cv2.ImWrite(Path.Combine(dir, $"img_{f:D5}.jpg"), frame);
            }
            lines.Add($"vid{v} 4 {v % 3}");
        }
        string list = Path.Combine(_root.Path, "list.txt");
        File.WriteAllLines(list, lines);
        _dataset = RawframeDataset.FromList(list, _root.Path);
    }

    public void Dispose() => _root.Dispose();

    private static readonly TestProtocol Protocol = new() { Clips = 1, Crops = TestCrops.Center, Crop = 32, Scale = 32, ClipLen = 2, FrameInterval = 1, Batch = 2 };

    /// <summary>Scores 3 classes of zeros and records the thread of every call; throws on call <c>failAt</c>.</summary>
    private sealed class RecordingScorer(int failAt = -1) : IClipScorer
    {
        public List<(int Thread, string? Name)> Calls { get; } = [];

        public string Description => "recording";

        public Tensor Score(Tensor views)
        {
            lock (Calls)
            {
                Calls.Add((Environment.CurrentManagedThreadId, Thread.CurrentThread.Name));
                if (Calls.Count == failAt)
                    throw new InvalidOperationException("the scorer failed on purpose");
            }
            return zeros(views.shape[0], 3);
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task RunAsync_ScoresEveryVideoOnceOnOneThreadOfItsOwn()
    {
        var scorer = new RecordingScorer();
        var scored = new List<int>();
        await foreach (var batch in ViewScoring.RunAsync(_dataset, Protocol, scorer, CPU, workers: 2, CancellationToken.None))
            scored.AddRange(batch.Videos.Select(v => v.Index));
        Assert.Equal(Enumerable.Range(0, Videos), scored);
        Assert.Equal(Videos / Protocol.Batch, scorer.Calls.Count);
        Assert.Single(scorer.Calls.Select(c => c.Thread).Distinct());
        Assert.Equal("toolkit-test", scorer.Calls[0].Name);
        Assert.NotEqual(Environment.CurrentManagedThreadId, scorer.Calls[0].Thread);
    }

    [Fact]
    public async Task RunAsync_ScorerThrows_TheCallerGetsItsException()
    {
        var scorer = new RecordingScorer(failAt: 2);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in ViewScoring.RunAsync(_dataset, Protocol, scorer, CPU, workers: 1, CancellationToken.None))
            {
            }
        });
        Assert.Equal("the scorer failed on purpose", e.Message);
    }

    [Fact]
    public async Task RunAsync_CallerStopsAfterOneBatch_ScoringStops()
    {
        // One video per batch: 6 batches. The compute thread can get at most one batch ahead of the one read, plus the
        // one it holds blocked at the full channel: 3 forward passes, never more, and none after the caller stops.
        var scorer = new RecordingScorer();
        await foreach (var _ in ViewScoring.RunAsync(_dataset, Protocol with { Batch = 1 }, scorer, CPU, workers: 1, CancellationToken.None))
            break;
        int calls = scorer.Calls.Count;
        await Task.Delay(300);
        Assert.Equal(calls, scorer.Calls.Count);
        Assert.InRange(calls, 1, 3);
    }
}
