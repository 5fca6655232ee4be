using System.Collections.Concurrent;
using Toolkit.Augment;
using Toolkit.Augment.Pipeline;
using Toolkit.Core;
using Toolkit.Loaders.Datasets;
using Toolkit.Loaders.Pipeline;
using Toolkit.Loaders.Sampling;
using Toolkit.Loaders.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Toolkit.Loaders.Tests.Pipeline;

/// <summary>Counts reads, to check that work ahead of the consumer is bounded.</summary>
internal sealed class CountingDataset(IVideoDataset inner) : IVideoDataset
{
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public int Count => inner.Count;

    public ClipKind Kind => inner.Kind;

    public int StartIndex => inner.StartIndex;

    public DatasetItem this[int index] => inner[index];

    public int FrameCount(int index) => inner.FrameCount(index);

    public Clip Read(int index, IReadOnlyList<int> frames)
    {
        Interlocked.Increment(ref _reads);
        return inner.Read(index, frames);
    }
}

[Trait("Category", "Integration")]
/// <summary>
/// Runs alone: <see cref="LiveTensors_BackToBaseline_AfterEpochsEarlyExitAndCancel"/> counts the process's live
/// tensors (<c>Tensor.TotalCount</c>), which any other test class creating tensors in parallel would change.
/// </summary>
[CollectionDefinition(nameof(LiveTensorCounts), DisableParallelization = true)]
public sealed class LiveTensorCounts;

[Collection(nameof(LiveTensorCounts))]
public sealed class ClipLoaderTests : IDisposable
{
    private readonly TempDirectory _tmp = new("toolkit-loaders-");
    private readonly RawframeDataset _ds;

    public ClipLoaderTests()
    {
        var (list, _) = Fixtures.Rawframes(_tmp.Path, 10, 12);
        _ds = RawframeDataset.FromList(list, _tmp.Path);
    }

    public void Dispose() => _tmp.Dispose();

    private static ClipPipeline Exact(int s) => ClipPipeline.Build(x => x.Resize(s, s), $"resize{s}");

    private static ClipPipeline Random(int s) => ClipPipeline.Build(x => x.Resize(-1, s + 8).RandomCrop(s).Flip(0.5), $"rand{s}");

    private LoaderOptions Opts(int batch = 2, int frames = 4, int crop = 16) => new()
    {
        Seed = 7,
        Shapes = new FixedShapes(batch, frames, crop),
        Recipe = Random,
        Workers = 2,
    };

    private static async Task<List<LoaderBatch>> All(ClipLoader loader, int epoch, CancellationToken ct = default)
    {
        var list = new List<LoaderBatch>();
        await foreach (var b in loader.EpochAsync(epoch, ct))
            list.Add(b);
        return list;
    }

    [Fact]
    public async Task DisposedBatches_MemoryServesLaterBatches_WithoutChangingAnyBatch()
    {
        // Reference: every batch of two epochs kept (never disposed, so nothing is recycled).
        await using var keep = new ClipLoader(_ds, Opts());
        var kept = (await All(keep, 0)).Concat(await All(keep, 1)).ToList();
        // The same batches consumed as a trainer does: copied, then disposed, so their arrays serve the next ones.
        await using var recycle = new ClipLoader(_ds, Opts());
        var seen = new List<Tensor>();
        for (int epoch = 0; epoch < 2; epoch++)
        {
            await foreach (var b in recycle.EpochAsync(epoch))
            {
                using (b)
                {
                    seen.Add(b.Inputs.clone());
                }
            }
        }
        Assert.Equal(kept.Count, seen.Count);
        for (int i = 0; i < kept.Count; i++)
            Assert.True(kept[i].Inputs.allclose(seen[i], 0, 0), $"batch {i} differs once batch memory is reused");
        foreach (var b in kept)
            b.Dispose();
        foreach (var t in seen)
            t.Dispose();
    }

    [Fact]
    public async Task Batches_AreNCTHW_RgbOrder_FramesAsSampled()
    {
        await using var loader = new ClipLoader(_ds, new LoaderOptions
        {
            Shapes = new FixedShapes(3, 4, 16), Recipe = Exact, Format = BatchFormat.Byte, Shuffle = false, TestMode = true, DropLast = false,
        });
        var batches = await All(loader, 0);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true); // the batch tensors share managed arrays: they must stay put
        GC.WaitForPendingFinalizers();
        try
        {
            Assert.Equal([3, 3, 3, 1], batches.Select(b => (int)b.Inputs.shape[0]));
            Assert.Equal(new long[] { 3, 3, 4, 16, 16 }, batches[0].Inputs.shape);
            Assert.Equal(ScalarType.Byte, batches[0].Inputs.dtype);
            var offsets = new SampleFrames(new SampleFramesOptions { ClipLength = 4, TestMode = true }).Sample(12, 1, new System.Random(0)).Indices;
            for (int bi = 0; bi < batches.Count; bi++)
            {
                var b = batches[bi];
                Assert.Equal(Enumerable.Range(bi * 3, b.Samples.Count), b.Samples);
                Assert.Equal(b.Samples.Select(s => (long)(s % 3)), b.Labels.data<long>().ToArray());
                for (int i = 0; i < b.Samples.Count; i++)
                {
                    int v = b.Samples[i];
                    Assert.Equal(200, b.Inputs[i, 0].to(ScalarType.Float32).mean().item<float>(), 2.0); // R first
                    Assert.Equal(Fixtures.Colour(v, 0).Val0, b.Inputs[i, 2].to(ScalarType.Float32).mean().item<float>(), 2.0); // B last
                    for (int t = 0; t < 4; t++)
                        Assert.Equal(4 * (offsets[t] - 1), b.Inputs[i, 1, t].to(ScalarType.Float32).mean().item<float>(), 2.0);
                }
            }
        }
        finally
        {
            batches.ForEach(b => b.Dispose());
        }
    }

    [Fact]
    public async Task FloatFormat_IsNormalizedWithTheSpecMeanAndStd()
    {
        await using var loader = new ClipLoader(_ds, Opts() with { Recipe = Exact });
        var batches = await All(loader, 0);
        using var first = batches[0];
        Assert.Equal(ScalarType.Float32, first.Inputs.dtype);
        Assert.Equal((200 - 123.675) / 58.395, first.Inputs[0, 0].mean().item<float>(), 0.05);
        batches.Skip(1).ToList().ForEach(b => b.Dispose());
    }

    [Fact]
    public async Task ByteFormat_NormalizedOnTheDevice_EqualsTheFloatFormat()
    {
        await using var f = new ClipLoader(_ds, Opts());
        await using var u = new ClipLoader(_ds, Opts() with { Format = BatchFormat.Byte });
        var fb = await All(f, 1);
        var ub = await All(u, 1);
        Assert.Equal(fb.Count, ub.Count);
        foreach (var (x, y) in fb.Zip(ub))
        {
            Assert.Equal(ScalarType.Byte, y.Inputs.dtype);
            using var normalized = LoaderBatch.Normalize(y.Inputs, u.Mean, u.Std);
            Assert.True(normalized.allclose(x.Inputs, rtol: 0, atol: 1e-5));
            x.Dispose();
            y.Dispose();
        }
    }

    [Fact]
    public async Task TestViews_ClipsTimesCrops_AlongN_ViewsOfASampleAdjacent()
    {
        var views = new TestViews(Clips: 2, Crops: 3);
        await using var loader = new ClipLoader(_ds, new LoaderOptions
        {
            Shapes = new FixedShapes(2, 4, 32),
            Sampler = (t, interval) => views.Sampler(t, interval),
            Recipe = s => Recipes.ForCrop("three", s),
            Shuffle = false,
            DropLast = false,
            Format = BatchFormat.Byte,
        });
        var batches = await All(loader, 0);
        Assert.Equal(5, batches.Count);
        foreach (var b in batches)
            using (b)
            {
                Assert.Equal(views.Count, b.ViewsPerSample);
                Assert.Equal(new long[] { 2 * views.Count, 3, 4, 32, 32 }, b.Inputs.shape);
                Assert.Equal(2, b.Labels.shape[0]);
                for (int i = 0; i < 2; i++)
                    for (int v = 0; v < views.Count; v++) // every view of sample i shows video i's colour
                        Assert.Equal(Fixtures.Colour(b.Samples[i], 0).Val0, b.Inputs[i * views.Count + v, 2].to(ScalarType.Float32).mean().item<float>(), 2.0);
                // clip 0 and clip 1 of a sample are different frames (G channel = 4 · frame)
                Assert.NotEqual(b.Inputs[0, 1, 0].to(ScalarType.Float32).mean().item<float>(), b.Inputs[3, 1, 0].to(ScalarType.Float32).mean().item<float>(), 1);
            }
    }

    [Fact]
    public async Task VideoDataset_FeedsTheLoader()
    {
        using var tmp = new TempDirectory("toolkit-loaders-");
        Fixtures.Video(tmp.Path, 40, "a.mp4");
        Fixtures.Video(tmp.Path, 30, "b.mp4");
        File.WriteAllText(Path.Combine(tmp.Path, "v.txt"), "a.mp4 0\nb.mp4 1\n");
        var ds = VideoDataset.FromList(Path.Combine(tmp.Path, "v.txt"), tmp.Path);
        await using var loader = new ClipLoader(ds, Opts(batch: 2, frames: 4, crop: 32) with { FrameInterval = 2 });
        var batches = await All(loader, 0);
        var b = Assert.Single(batches);
        Assert.Equal(new long[] { 2, 3, 4, 32, 32 }, b.Inputs.shape);
        Assert.Equal([0L, 1L], b.Samples.Zip(b.Labels.data<long>().ToArray()).OrderBy(p => p.First).Select(p => p.Second));
        Assert.True(b.Inputs.std().item<float>() > 0.1f); // real pictures, not a constant clip
        b.Dispose();
    }

    [Fact]
    public async Task SameSeed_SameBatches_WhateverTheWorkerCount_OtherSeedDiffers()
    {
        async Task<List<Tensor>> Run(int workers, long seed)
        {
            await using var loader = new ClipLoader(_ds, Opts() with { Workers = workers, Seed = seed });
            var result = new List<Tensor>();
            foreach (int epoch in new[] { 0, 1 })
                await foreach (var b in loader.EpochAsync(epoch))
                    using (b)
                        result.Add(cat([b.Inputs.flatten(), b.Labels.to(ScalarType.Float32), tensor(b.Samples.Select(s => (float)s).ToArray())]).MoveToOuterDisposeScope());
            return result;
        }
        var a = await Run(1, 7);
        var b = await Run(3, 7);
        var c = await Run(2, 8);
        Assert.Equal(a.Count, b.Count);
        Assert.All(a.Zip(b), p => Assert.True(p.First.equal(p.Second).all().item<bool>()));
        Assert.Contains(a.Zip(c), p => !p.First.equal(p.Second).all().item<bool>());
        foreach (var t in a.Concat(b).Concat(c))
            t.Dispose();
    }

    [Fact]
    public void Shuffle_IsPerEpochAndSeeded()
    {
        var e0 = EpochPlan.Order(100, 1, 0, true);
        Assert.Equal(e0, EpochPlan.Order(100, 1, 0, true));
        Assert.NotEqual(e0, EpochPlan.Order(100, 1, 1, true));
        Assert.NotEqual(e0, EpochPlan.Order(100, 2, 0, true));
        Assert.Equal(Enumerable.Range(0, 100), e0.Order());
    }

    [Theory]
    [InlineData(10, 3)]
    [InlineData(10, 4)]
    [InlineData(7, 7)]
    [InlineData(5, 8)]
    public async Task Sharding_RanksCoverTheEpochExactlyOnce(int count, int world)
    {
        var items = Enumerable.Range(0, count).Select(i => _ds[i % _ds.Count]).ToList();
        var ds = new RawframeDataset(items);
        var seen = new List<int>();
        for (int rank = 0; rank < world; rank++)
        {
            await using var loader = new ClipLoader(ds, Opts(batch: 1) with { Rank = rank, WorldSize = world, DropLast = false, Seed = 3 });
            await foreach (var b in loader.EpochAsync(2))
                using (b)
                    seen.AddRange(b.Samples);
        }
        Assert.Equal(Enumerable.Range(0, count), seen.Order());

        var even = Enumerable.Range(0, world).Select(r => EpochPlan.Shard(EpochPlan.Order(count, 3, 2, true), r, world, evenShards: true)).ToList();
        Assert.All(even, s => Assert.Equal(count / world, s.Length));
        Assert.Equal(even.Sum(s => s.Length), even.SelectMany(s => s).Distinct().Count());
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void BadRank_ErrorNamesIt()
    {
        var e = Assert.Throws<ToolkitError>(() => new ClipLoader(_ds, Opts() with { Rank = 2, WorldSize = 2 }));
        Assert.Contains("rank", e.Message);
    }

    [Fact]
    public async Task DropLast_DropsOnlyAShortLastBatch()
    {
        await using var drop = new ClipLoader(_ds, Opts(batch: 4));
        await using var keep = new ClipLoader(_ds, Opts(batch: 4) with { DropLast = false });
        Assert.Equal(2, drop.IterationsIn(0));
        var kept = await All(keep, 0);
        Assert.Equal([4, 4, 2], kept.Select(b => b.Samples.Count));
        kept.ForEach(b => b.Dispose());
        var dropped = await All(drop, 0);
        Assert.Equal([4, 4], dropped.Select(b => b.Samples.Count));
        dropped.ForEach(b => b.Dispose());
    }

    [Fact]
    public async Task Shapes_ChangePerEpochAndIteration_WithoutRestartingWorkers()
    {
        var shapes = new DelegateShapes(
            e => new BatchShape(2, 2 + 2 * e, 16),
            (e, i) => new BatchShape(i % 2 == 0 ? 3 : 1, 2 + 2 * e, i % 2 == 0 ? 8 : 16));
        await using var loader = new ClipLoader(_ds, Opts() with { Shapes = shapes, DropLast = false });
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var plan = loader.Plan(epoch);
            int it = 0;
            await foreach (var b in loader.EpochAsync(epoch))
                using (b)
                {
                    var want = shapes.ForIteration(epoch, it);
                    Assert.Equal(it, b.Iteration);
                    Assert.Equal(want, b.Shape);
                    Assert.Equal(new long[] { plan[it].Samples.Length, 3, want.Frames, want.Crop, want.Crop }, b.Inputs.shape);
                    it++;
                }
            Assert.Equal(plan.Count, it);
            Assert.Equal([3, 1, 3, 1, 2], plan.Select(p => p.Samples.Length));
        }
        Assert.Equal(2, loader.WorkersStarted);
    }

    [Fact]
    public async Task LongCycleSamplingRate_DrawsTheIntervalPerClip_InRange_Deterministically()
    {
        var seen = new ConcurrentDictionary<int, byte>();
        async Task<List<int[]>> Run()
        {
            var picked = new ConcurrentDictionary<int, int>();
            await using var loader = new ClipLoader(_ds, Opts(batch: 5, frames: 2) with
            {
                LongCycleSamplingRate = 4,
                Sampler = (t, interval) =>
                {
                    seen[interval] = 0;
                    return new SampleFrames(new SampleFramesOptions { ClipLength = t, FrameInterval = interval });
                },
            });
            var frames = new List<int[]>();
            await foreach (var b in loader.EpochAsync(0))
                using (b)
                    frames.Add(b.Samples.ToArray());
            return frames;
        }
        var a = await Run();
        Assert.All(seen.Keys, k => Assert.InRange(k, 1, 4));
        Assert.True(seen.Count >= 2, $"intervals seen: {string.Join(",", seen.Keys)}");
        Assert.Equal(a, await Run());
        Assert.Throws<ToolkitError>(() => new ClipLoader(_ds, Opts() with { FrameInterval = 2, LongCycleSamplingRate = 1 }));
    }

    [Fact]
    public void Recipes_ScaleTheJitterRangeWithTheCrop()
    {
        var r = Recipes.ForCrop("rescale", 112);
        var p = (Toolkit.Augment.Geometry.RandomRescale)r.Transforms[0];
        Assert.Equal((128, 160), (p.Options.Min, p.Options.Max));
        var rrc = Recipes.ForCrop("rrc", 158);
        Assert.Equal(181, ((Toolkit.Augment.Geometry.Resize)rrc.Transforms[0]).Options.Height); // round(256 · 158 / 224) = 180.57
        Assert.Throws<ToolkitError>(() => Recipes.ForCrop("three224@256", 112));
    }

    [Fact]
    public async Task SoftTargets_SmoothedMultiHot()
    {
        string list = Path.Combine(_tmp.Path, "multi.txt");
        File.WriteAllText(list, "class0/vid0 12 0 2\nclass1/vid1 12 1\n");
        var ds = RawframeDataset.FromList(list, _tmp.Path);
        await using var loader = new ClipLoader(ds, Opts() with { Classes = 4, LabelSmoothing = 0.2, Shuffle = false });
        await foreach (var b in loader.EpochAsync(0))
            using (b)
            {
                var t = b.Targets!.data<float>().ToArray();
                Assert.Equal([0.05f + 0.4f, 0.05f, 0.05f + 0.4f, 0.05f, 0.05f, 0.05f + 0.8f, 0.05f, 0.05f], t, (x, y) => Math.Abs(x - y) < 1e-5);
                Assert.Equal([0L, 1L], b.Labels.data<long>().ToArray());
            }
    }

    [Fact]
    public async Task FlowDataset_TwoChannels()
    {
        using var tmp = new TempDirectory("toolkit-loaders-");
        var (_, list) = Fixtures.Rawframes(tmp.Path, 4, 6, flow: true);
        var ds = RawframeDataset.FromList(list, tmp.Path, new RawframeOptions { Kind = ClipKind.Flow });
        await using var loader = new ClipLoader(ds, Opts() with { Recipe = Exact });
        await foreach (var b in loader.EpochAsync(0))
            using (b)
            {
                Assert.Equal(2, b.Inputs.shape[1]);
                Assert.Equal((50 + b.Samples[0] - 128) / 128.0, b.Inputs[0, 1].mean().item<float>(), 0.02);
            }
    }

    [Fact]
    [Trait("Category", "Failure")]
    public async Task CorruptFrame_FailsTheEpochNamingTheFile_AndTheLoaderStaysUsable()
    {
        string bad = _ds.FramePath(4, 3);
        File.WriteAllBytes(bad, [0xFF, 0xD8, 1, 2, 3]);
        var opts = Opts(batch: 2, frames: 12) with { Recipe = Exact, TestMode = true };
        await using var loader = new ClipLoader(_ds, opts);
        var e = await Assert.ThrowsAsync<ToolkitError>(() => All(loader, 0));
        Assert.Equal(bad, e.Subject);
        await using var other = new ClipLoader(_ds, opts with { OnCorrupt = CorruptPolicy.SkipAndReport, DropLast = false, Shuffle = false });
        var batches = await All(other, 0);
        Assert.Equal(9, batches.Sum(b => b.Samples.Count));
        var skipped = Assert.Single(batches.SelectMany(b => b.Skipped));
        Assert.Equal((4, bad), (skipped.Sample, skipped.Subject));
        Assert.Single(other.Skipped);
        Assert.Equal(skipped, Assert.Single(other.SkippedSince(0)));
        Assert.Empty(other.SkippedSince(1));   // only what came after the first count
        Assert.Empty(other.SkippedSince(50));
        await All(other, 1).ContinueWith(t => t.Result.ForEach(b => b.Dispose()), TaskScheduler.Default); // the same video fails again in epoch 1
        Assert.Equal(1, Assert.Single(other.SkippedSince(1)).Epoch);
        Assert.Equal(other.Skipped, other.SkippedSince(0));
        Assert.DoesNotContain(4, batches.SelectMany(b => b.Samples));
        Assert.All(batches, b => Assert.True(b.Inputs.abs().amin([1, 2, 3, 4]).min().item<float>() > 0.1f)); // no zero clip
        batches.ForEach(b => b.Dispose());
    }

    [Fact]
    public async Task LiveTensors_BackToBaseline_AfterEpochsEarlyExitAndCancel()
    {
        await using var loader = new ClipLoader(_ds, Opts() with { PrefetchBatches = 2 });
        (await All(loader, 0)).ForEach(b => b.Dispose());
        long baseline = Tensor.TotalCount;
        for (int epoch = 1; epoch < 3; epoch++)
            (await All(loader, epoch)).ForEach(b => b.Dispose());
        Assert.Equal(baseline, Tensor.TotalCount);

        await foreach (var b in loader.EpochAsync(3))
        {
            b.Dispose();
            break; // prefetched batches must be disposed by the loader
        }
        Assert.Equal(baseline, Tensor.TotalCount);

        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var b in loader.EpochAsync(4, cts.Token))
            {
                b.Dispose();
                cts.Cancel();
            }
        });
        Assert.Equal(baseline, Tensor.TotalCount);
        Assert.Equal(5, (await All(loader, 5)).Select(b => { b.Dispose(); return 1; }).Sum());
        Assert.Equal(baseline, Tensor.TotalCount);
    }

    [Fact]
    public async Task WorkAhead_IsBoundedByTheCapacities_NotTheDatasetSize()
    {
        var items = Enumerable.Range(0, 400).Select(i => _ds[i % _ds.Count]).ToList();
        var ds = new CountingDataset(new RawframeDataset(items));
        var opts = Opts(batch: 2) with { Workers = 2, QueueCapacity = 3, ResultCapacity = 3, PrefetchBatches = 2 };
        await using var loader = new ClipLoader(ds, opts);
        await foreach (var b in loader.EpochAsync(0))
        {
            b.Dispose();
            await Task.Delay(600);
            // the consumed batch + prefetched batches + the loader's window of planned, not yet delivered samples
            int window = opts.QueueCapacity + opts.Workers + opts.ResultCapacity + 2;
            int bound = 2 + opts.PrefetchBatches * 2 + window;
            Assert.InRange(ds.Reads, 2, bound);
            break;
        }
    }
}
