using System.Collections.Concurrent;
using Toolkit.Augment.Pipeline;
using Toolkit.Loaders.Datasets;
using Toolkit.Loaders.Multigrid;
using Toolkit.Loaders.Pipeline;
using Toolkit.Loaders.Sampling;
using Toolkit.Loaders.Tests.Support;

namespace Toolkit.Loaders.Tests.Multigrid;

/// <summary>The schedule plugged into the loader: shapes, batch sizes and sampling rates follow it, per epoch and iteration.</summary>
[Trait("Category", "Integration")]
public sealed class MultigridLoaderTests : IDisposable
{
    private readonly TempDirectory _tmp = new("toolkit-loaders-");

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task Loader_FollowsTheScheduleAcrossEpochsAndIterations_WithTheSameWorkers()
    {
        var (list, _) = Fixtures.Rawframes(_tmp.Path, 40, 24);
        var dataset = RawframeDataset.FromList(list, _tmp.Path);
        // Base 8 frames × 32 px, batch 2 per GPU on 2 GPUs; long + short cycle over a short schedule.
        var schedule = MultigridSchedule.Create(new MultigridOptions
        {
            Frames = 8, Crop = 32, Batch = 4, Gpus = 2, Steps = [0, 4], MaxEpoch = 6, LongCycle = true, ShortCycle = true,
        });
        var intervals = new ConcurrentDictionary<(int Epoch, int Interval), byte>();
        int currentEpoch = 0;
        await using var loader = new ClipLoader(dataset, new LoaderOptions
        {
            Seed = 3,
            Shapes = schedule,
            Recipe = s => ClipPipeline.Build(x => x.Resize(s, s), $"resize{s}"),
            DropLast = false,
            Sampler = (t, interval) =>
            {
                intervals[(Volatile.Read(ref currentEpoch), interval)] = 0;
                return new SampleFrames(new SampleFramesOptions { ClipLength = t, FrameInterval = interval });
            },
        });

        int[] epochs = [0, schedule.Stages[1].EndEpoch, schedule.MaxEpoch - 1];
        foreach (int epoch in epochs)
        {
            Volatile.Write(ref currentEpoch, epoch);
            int iteration = 0, samples = 0;
            await foreach (var batch in loader.EpochAsync(epoch))
            {
                using (batch)
                {
                    var want = schedule.Shape(epoch, iteration);
                    Assert.Equal(want.Frames, batch.Shape.Frames);
                    Assert.Equal(want.Crop, batch.Shape.Crop);
                    Assert.Equal(want.Batch / 2, batch.Shape.BatchSize);   // per GPU
                    Assert.Equal(new long[] { batch.Samples.Count, 3, want.Frames, want.Crop, want.Crop }, batch.Inputs.shape);
                    samples += batch.Samples.Count;
                    iteration++;
                }
            }
            Assert.Equal(40, samples);
        }
        Assert.Equal(2, loader.WorkersStarted); // reshaped, never restarted

        // First stage: T = 2 of 8, so intervals are drawn from [1, 4]; the last stage (T = 8): always 1.
        var first = intervals.Keys.Where(k => k.Epoch == 0).Select(k => k.Interval).ToHashSet();
        Assert.True(first.Count >= 2 && first.All(i => i is >= 1 and <= 4), $"epoch 0 intervals: {string.Join(",", first)}");
        Assert.Equal([1], intervals.Keys.Where(k => k.Epoch == epochs[^1]).Select(k => k.Interval).Distinct());
    }
}
