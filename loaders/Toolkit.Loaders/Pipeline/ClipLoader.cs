using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using OpenCvSharp;
using Toolkit.Augment;
using Toolkit.Augment.Color;
using Toolkit.Augment.Pipeline;
using Toolkit.Augment.Sampling;
using Toolkit.Core;
using Toolkit.Loaders.Datasets;
using Toolkit.Loaders.Sampling;
using static TorchSharp.torch;

namespace Toolkit.Loaders.Pipeline;

/// <summary>
/// The on-the-fly loader: plan (shuffle, shard, cut into batches of the shapes <see cref="LoaderOptions.Shapes"/> gives)
/// → <see cref="LoaderOptions.Workers"/> workers (sample frames, decode only those, augment, repack to C × T × H × W,
/// normalize) → collate (N × C × T × H × W tensor, labels, soft targets; pinned memory and a non-blocking copy for
/// CUDA) → the trainer, each arrow a bounded channel, so memory is bounded by the capacities, not the dataset size.
/// </summary>
/// <remarks>
/// The workers start with the first epoch and live until <see cref="DisposeAsync"/>: the shape travels with each work
/// item, so batch size, T and crop change per epoch and per iteration without restarting them. Every random draw of a
/// sample (frame interval under a long cycle, frame offsets, augmentation) comes from the RNG of
/// <see cref="ClipSeed.For"/>(seed, epoch, sample index), so batches are the same whatever the number of workers and
/// the order they finish in; batches are emitted in iteration order. One epoch runs at a time.
/// </remarks>
public sealed class ClipLoader : IAsyncDisposable
{
    private readonly IVideoDataset _dataset;
    private readonly LoaderOptions _options;
    private readonly Channel<WorkItem> _work;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly ConcurrentDictionary<int, ClipPipeline> _recipes = new();
    private readonly ConcurrentQueue<SkippedSample> _skipped = new();
    private readonly float[][] _lut;
    private readonly int _channels;
    private Task[]? _workers;
    private int _running;
    private bool _disposed;

    /// <summary>A loader over <paramref name="dataset"/>; no thread starts until the first epoch.</summary>
    /// <exception cref="ToolkitError">An option is out of range (names it).</exception>
    public ClipLoader(IVideoDataset dataset, LoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        _dataset = dataset;
        _options = options.Validated();
        EpochPlan.Shard([], options.Rank, options.WorldSize, false); // validates rank and world size
        _channels = dataset.Kind == ClipKind.Rgb ? 3 : 2;
        Mean = options.Mean ?? (dataset.Kind == ClipKind.Rgb ? NormalizeOptions.RgbMean : NormalizeOptions.FlowMean);
        Std = options.Std ?? (dataset.Kind == ClipKind.Rgb ? NormalizeOptions.RgbStd : NormalizeOptions.FlowStd);
        if (Mean.Count != _channels || Std.Count != _channels)
            throw new ToolkitError("LoaderOptions.Mean/Std", $"need {_channels} values for {dataset.Kind} clips");
        _lut = Enumerable.Range(0, _channels).Select(c => Enumerable.Range(0, 256).Select(v => (float)((v - Mean[c]) / Std[c])).ToArray()).ToArray();
        _work = Stage.Bounded<WorkItem>(options.QueueCapacity, singleReader: false, singleWriter: true);
    }

    /// <summary>Worker tasks started over the loader's life (equals <see cref="LoaderOptions.Workers"/>: they are never restarted).</summary>
    internal int WorkersStarted { get; private set; }

    /// <summary>Mean used to normalize (output channel order).</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Std used to normalize.</summary>
    public IReadOnlyList<double> Std { get; }

    /// <summary>Every sample skipped so far (skip-and-report), all epochs.</summary>
    public IReadOnlyCollection<SkippedSample> Skipped => _skipped;

    /// <summary>This rank's dataset indices in epoch <paramref name="epoch"/>, in order.</summary>
    public int[] ShardOf(int epoch) =>
        EpochPlan.Shard(EpochPlan.Order(_dataset.Count, _options.Seed, epoch, _options.Shuffle), _options.Rank, _options.WorldSize, _options.EvenShards);

    /// <summary>The batches epoch <paramref name="epoch"/> will produce on this rank (exact, before any skip).</summary>
    public IReadOnlyList<PlannedBatch> Plan(int epoch) => EpochPlan.Batches(ShardOf(epoch), _options.Shapes, epoch, _options.DropLast);

    /// <summary>Iterations in epoch <paramref name="epoch"/> on this rank (exact).</summary>
    public int IterationsIn(int epoch) => Plan(epoch).Count;

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/>, in iteration order: <c>await foreach (var b in
    /// loader.EpochAsync(e, ct)) using (b) { … }</c>. The consumer owns every batch it receives. Leaving the loop early
    /// or cancelling stops the epoch's work and disposes what was prepared ahead; the workers stay up for the next epoch.
    /// </summary>
    /// <exception cref="ToolkitError">A frame is missing or corrupt under <see cref="CorruptPolicy.Fail"/> (names the file).</exception>
    /// <exception cref="InvalidOperationException">Another epoch of this loader is running.</exception>
    public async IAsyncEnumerable<LoaderBatch> EpochAsync(int epoch, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Interlocked.Exchange(ref _running, 1) == 1)
            throw new InvalidOperationException("an epoch of this loader is already running");
        EpochContext? ctx = null;
        Task planner = Task.CompletedTask, collator = Task.CompletedTask;
        Channel<LoaderBatch>? batches = null;
        try
        {
            var plan = Plan(epoch);
            if (_workers is null)
            {
                _workers = Enumerable.Range(0, _options.Workers).Select(_ => Task.Run(WorkerLoopAsync)).ToArray();
                WorkersStarted += _workers.Length;
            }
            // Samples planned but not yet handed over in a batch: bounds the collator's reorder buffer too (a slow
            // clip cannot let the other workers run arbitrarily far ahead).
            int window = _options.QueueCapacity + _options.Workers + _options.ResultCapacity + plan.Select(b => b.Samples.Length).DefaultIfEmpty(1).Max();
            ctx = new EpochContext(epoch, Stage.Bounded<ClipResult>(_options.ResultCapacity, singleReader: true), CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token), window, RentBuffer);
            batches = Stage.Bounded<LoaderBatch>(_options.PrefetchBatches, singleReader: true, singleWriter: true);
            planner = Task.Run(() => PlanAsync(plan, ctx));
            collator = Task.Run(() => CollateAsync(plan, ctx, batches.Writer));
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return batch;
        }
        finally
        {
            if (ctx is not null)
            {
                ctx.Cancel();
                try
                {
                    await Task.WhenAll(planner, collator).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // the fault reached the consumer through the batch channel
                }
                while (batches!.Reader.TryRead(out var left))
                    left.Dispose();
                ctx.Dispose(); // unfinished batch buffers are managed arrays: the GC takes them
            }
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task PlanAsync(IReadOnlyList<PlannedBatch> plan, EpochContext ctx)
    {
        try
        {
            foreach (var b in plan)
                for (int slot = 0; slot < b.Samples.Length; slot++)
                {
                    await ctx.Window.WaitAsync(ctx.Token).ConfigureAwait(false);
                    await _work.Writer.WriteAsync(new WorkItem(ctx, b, slot, b.Samples[slot]), ctx.Token).ConfigureAwait(false);
                }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WorkerLoopAsync()
    {
        try
        {
            await foreach (var item in _work.Reader.ReadAllAsync(_lifetime.Token).ConfigureAwait(false))
            {
                var ctx = item.Context;
                if (ctx.Token.IsCancellationRequested)
                    continue; // an epoch that ended early: its leftover items are dropped
                ClipResult result;
                try
                {
                    result = Process(item);
                }
                catch (ToolkitError e) when (_options.OnCorrupt == CorruptPolicy.SkipAndReport)
                {
                    result = new ClipResult(item, e);
                }
                catch (Exception e)
                {
                    Console.Error.WriteLine("DEBUG worker: " + e); ctx.Fail(e);
                    continue;
                }
                try
                {
                    await ctx.Results.Writer.WriteAsync(result, ctx.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
                {
                    // the epoch ended early; its buffers die with it
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Sample, read, augment and repack one sample (runs on a worker).</summary>
    private ClipResult Process(WorkItem item)
    {
        int epoch = item.Context.Epoch;
        for (int attempt = 0; ; attempt++)
        {
            var rng = ClipSeed.Rng(_options.Seed, epoch, item.Sample);
            int limit = Math.Max(_options.LongCycleSamplingRate, _options.Shapes.SamplingRateLimit(epoch, _options.FrameInterval));
            int interval = limit > _options.FrameInterval ? rng.NextInclusive(_options.FrameInterval, limit) : _options.FrameInterval;
            var sampler = _options.Sampler?.Invoke(item.Shape.Frames, interval)
                ?? new SampleFrames(new SampleFramesOptions { ClipLength = item.Shape.Frames, FrameInterval = interval, Clips = _options.Clips, TestMode = _options.TestMode });
            var indices = sampler.Sample(_dataset.FrameCount(item.Sample), _dataset.StartIndex, rng);
            Clip clip;
            try
            {
                int shortSide = ReducedShortSide(item.Shape.Crop);
                clip = shortSide > 0 && _dataset is IReducedScaleReads reduced
                    ? reduced.Read(item.Sample, indices.Indices, shortSide)
                    : _dataset.Read(item.Sample, indices.Indices);
            }
            catch (StaleFrameCountException) when (attempt == 0)
            {
                continue; // the video held fewer frames than declared: sample again from the real count, same seed
            }
            using (clip)
                return Augment(item, clip, indices, rng);
        }
    }

    private ClipPipeline RecipeFor(int crop) => _recipes.GetOrAdd(crop, s => _options.Recipe?.Invoke(s) ?? Recipes.ForCrop("rrc", s));

    /// <summary>The short side the recipe of crop <paramref name="crop"/> resizes to first (<c>Resize(-1, N)</c>), when reduced-scale decoding may serve it; else 0.</summary>
    private int ReducedShortSide(int crop)
    {
        if (!_options.ReducedScaleDecoding)
            return 0;
        return RecipeFor(crop).Transforms.FirstOrDefault() is Toolkit.Augment.Geometry.Resize { Options: var r } && (r.Width == -1) != (r.Height == -1)
            ? Math.Max(r.Width, r.Height)
            : 0;
    }

    private ClipResult Augment(WorkItem item, Clip clip, FrameIndices indices, Random rng)
    {
        var recipe = RecipeFor(item.Shape.Crop);
        int crop = item.Shape.Crop, length = indices.ClipLength;
        long per = (long)_channels * length * crop * crop;
        BatchBuffer? buffer = null;
        int views = 0, entry = 0;
        for (int k = 0; k < indices.Clips; k++)
        {
            using var part = indices.Clips == 1 ? null : new Clip(clip.Frames.Skip(k * length).Take(length).Select(f => f.Clone()), clip.Kind);
            using var augmented = recipe.Run(part ?? clip, rng);
            if (augmented.Width != crop || augmented.Height != crop)
                throw new ToolkitError(recipe.Name, $"made {augmented.Width}x{augmented.Height} clips for crop {crop}", "the recipe for crop S must end in S x S frames");
            if (augmented.Type.Depth != MatType.CV_8U)
                throw new ToolkitError(recipe.Name, "made float frames", "leave normalization to the loader (no Normalize in its recipe)");
            if (buffer is null)
            {
                views = indices.Clips * augmented.Views;
                buffer = item.Context.Buffer(item.Batch, views, per, _options.Format);
                if (buffer.Views != views)
                    throw new ToolkitError(recipe.Name, $"made {views} views of a sample, other samples of the batch {buffer.Views}");
            }
            for (int v = 0; v < augmented.Views; v++)
                Repack(augmented.Frames, v * augmented.FramesPerView, augmented.FramesPerView, crop, buffer, ((long)item.Slot * views + entry++) * per);
        }
        return new ClipResult(item, null);
    }

    /// <summary>
    /// HWC BGR (or x, y) frames → planar C × T × H × W, RGB order, normalized floats or bytes, written straight into the
    /// batch buffer at element <paramref name="offset"/> (the collator wraps the buffer as the batch tensor, no copy).
    /// </summary>
    private void Repack(IReadOnlyList<Mat> frames, int first, int count, int side, BatchBuffer buffer, long offset)
    {
        int hw = side * side, c = _channels;
        var row = ArrayPool<byte>.Shared.Rent(hw * c);
        try
        {
            for (int t = 0; t < count; t++)
            {
                CopyOut(frames[first + t], row, hw * c);
                for (int ch = 0; ch < c; ch++)
                {
                    int srcCh = c == 3 ? 2 - ch : ch;
                    long at = offset + (long)(ch * count + t) * hw;
                    if (buffer.Data is float[] floats)
                    {
                        var lut = _lut[ch];
                        var plane = floats.AsSpan((int)at, hw);
                        for (int p = 0; p < hw; p++)
                            plane[p] = lut[row[p * c + srcCh]];
                    }
                    else
                    {
                        var plane = ((byte[])buffer.Data).AsSpan((int)at, hw);
                        for (int p = 0; p < hw; p++)
                            plane[p] = row[p * c + srcCh];
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(row);
        }
    }

    private static void CopyOut(Mat frame, byte[] row, int count)
    {
        if (frame.IsContinuous())
        {
            Marshal.Copy(frame.Data, row, 0, count);
            return;
        }
        using var copy = frame.Clone();
        Marshal.Copy(copy.Data, row, 0, count);
    }

    private async Task CollateAsync(IReadOnlyList<PlannedBatch> plan, EpochContext ctx, ChannelWriter<LoaderBatch> output)
    {
        Exception? error = null;
        var pending = new Dictionary<int, List<ClipResult>>();
        try
        {
            int next = 0;
            while (next < plan.Count)
            {
                ClipResult r;
                try
                {
                    r = await ctx.Results.Reader.ReadAsync(ctx.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ctx.Error is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ctx.Error); // keeps the worker's stack trace
                    throw;
                }
                if (!pending.TryGetValue(r.Item.Iteration, out var list))
                    pending[r.Item.Iteration] = list = [];
                list.Add(r);
                while (next < plan.Count && pending.TryGetValue(next, out var done) && done.Count == plan[next].Samples.Length)
                {
                    pending.Remove(next);
                    var batch = Collate(plan[next], ctx, done);
                    if (batch is not null)
                    {
                        try
                        {
                            await output.WriteAsync(batch, ctx.Token).ConfigureAwait(false);
                        }
                        catch
                        {
                            batch.Dispose();
                            throw;
                        }
                    }
                    ctx.Window.Release(plan[next].Samples.Length);
                    next++;
                }
            }
        }
        catch (Exception e)
        {
            error = ctx.Error ?? e;
        }
        finally
        {
            output.TryComplete(error);
        }
    }

    /// <summary>Stacks one iteration's clips into tensors (one dispose scope, no await inside); null when every sample was skipped.</summary>
    private LoaderBatch? Collate(PlannedBatch planned, EpochContext ctx, List<ClipResult> results)
    {
        int epoch = ctx.Epoch;
        Array? copied = null;
        try
        {
            var bySlot = results.OrderBy(r => r.Item.Slot).ToList();
            var skipped = bySlot.Where(r => r.Error is not null)
                .Select(r => new SkippedSample(epoch, planned.Iteration, r.Item.Sample, (r.Error as ToolkitError)?.Subject ?? "", r.Error!.Message)).ToList();
            foreach (var s in skipped)
                _skipped.Enqueue(s);
            var good = bySlot.Where(r => r.Error is null).ToList();
            var buffer = ctx.TakeBuffer(planned.Iteration);
            if (good.Count == 0 || buffer is null)
                return null;
            int views = buffer.Views, n = planned.Samples.Length * views, c = _channels, t = planned.Shape.Frames, side = planned.Shape.Crop;
            var device = _options.Device;
            bool cuda = device is not null && device.type == TorchSharp.DeviceType.CUDA;
            using var scope = NewDisposeScope();
            // frombuffer shares the managed array (pinned until the tensor is disposed): the workers' writes are the batch.
            var host = frombuffer(buffer.Data, buffer.Data is float[] ? ScalarType.Float32 : ScalarType.Byte).view(n, c, t, side, side);
            if (good.Count < planned.Samples.Length)
            {
                var rows = good.SelectMany(g => Enumerable.Range(g.Item.Slot * views, views)).Select(i => (long)i).ToArray();
                host = host.index_select(0, tensor(rows, ScalarType.Int64));
            }
            if (cuda && _options.PinMemory)
                host = host.pin_memory();
            var inputs = cuda ? host.to(device!, non_blocking: _options.PinMemory) : host;
            var labels = tensor(good.Select(g => (long)_dataset[g.Item.Sample].Labels[0]).ToArray(), ScalarType.Int64);
            Tensor? targets = null;
            if (_options.Classes is int k)
            {
                var rows = good.Select(g => _dataset[g.Item.Sample]).ToList();
                if (rows.FirstOrDefault(r => r.Labels.Any(l => l < 0 || l >= k)) is { } bad)
                    throw new ToolkitError($"list line {bad.Line}", $"label {bad.Labels.First(l => l < 0 || l >= k)} is outside the {k} classes");
                targets = Toolkit.Augment.Tensors.Batch.SoftTargets.FromLabels([.. rows.Select(r => r.Labels)], k, _options.LabelSmoothing);
            }
            if (cuda)
            {
                labels = labels.to(device!, non_blocking: _options.PinMemory);
                targets = targets?.to(device!, non_blocking: _options.PinMemory);
            }
            // The batch's inputs are the array itself on the host with no skipped sample; otherwise they are a copy, and
            // the array is free once this scope has disposed the tensors over it.
            bool aliases = !cuda && good.Count == planned.Samples.Length;
            var batch = new LoaderBatch(epoch, planned.Iteration, planned.Shape, good.Select(g => g.Item.Sample).ToArray(), views,
                inputs.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope(), targets?.MoveToOuterDisposeScope(), skipped,
                aliases ? () => ReturnBuffer(buffer.Data) : null);
            if (!aliases)
                copied = buffer.Data;
            return batch;
        }
        finally
        {
            ctx.TakeBuffer(planned.Iteration);
            if (copied is not null)
                ReturnBuffer(copied); // the dispose scope above has released the tensors over it
        }
    }

    /// <summary>Stops the workers and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        _work.Writer.TryComplete();
        await _lifetime.CancelAsync().ConfigureAwait(false);
        if (_workers is not null)
            await Task.WhenAll(_workers).ConfigureAwait(false);
        _lifetime.Dispose();
    }

    // Batch arrays come back when their batch is disposed and serve a later batch of the same size: a fresh 38 MB array
    // per batch cost more in page faults and zeroing by the kernel than its JPEG decoding (perf: 22 % of the loader's
    // time in the kernel). At most PrefetchBatches + 3 arrays per size are kept.
    private readonly ConcurrentDictionary<(BatchFormat, int), ConcurrentBag<Array>> _recycled = new();

    private Array RentBuffer(BatchFormat format, int length) =>
        _recycled.TryGetValue((format, length), out var bag) && bag.TryTake(out var array) ? array
        : format == BatchFormat.Float ? GC.AllocateUninitializedArray<float>(length) : GC.AllocateUninitializedArray<byte>(length);

    private void ReturnBuffer(Array array)
    {
        var key = (array is float[] ? BatchFormat.Float : BatchFormat.Byte, array.Length);
        var bag = _recycled.GetOrAdd(key, _ => []);
        if (!_disposed && bag.Count < _options.PrefetchBatches + 3)
            bag.Add(array);
    }

    private sealed record WorkItem(EpochContext Context, PlannedBatch Batch, int Slot, int Sample)
    {
        public int Iteration => Batch.Iteration;

        public BatchShape Shape => Batch.Shape;
    }

    private sealed record ClipResult(WorkItem Item, Exception? Error);

    /// <summary>The batch being filled by the workers: a managed array the collator wraps as the batch tensor.</summary>
    private sealed class BatchBuffer(Array data, int views)
    {
        public Array Data { get; } = data;

        public int Views { get; } = views;
    }

    private sealed class EpochContext(int epoch, Channel<ClipResult> results, CancellationTokenSource cts, int window, Func<BatchFormat, int, Array> rent) : IDisposable
    {
        private Exception? _error;

        private readonly ConcurrentDictionary<int, Lazy<BatchBuffer>> _buffers = new();

        public SemaphoreSlim Window { get; } = new(window, window);

        /// <summary>The buffer of planned batch <paramref name="batch"/>, allocated (uninitialized) by its first finished sample.</summary>
        public BatchBuffer Buffer(PlannedBatch batch, int views, long perEntry, BatchFormat format) =>
            _buffers.GetOrAdd(batch.Iteration, _ => new Lazy<BatchBuffer>(() =>
            {
                long length = batch.Samples.Length * views * perEntry;
                if (length > Array.MaxLength)
                    throw new ToolkitError("loader", $"a batch of {length} elements exceeds one .NET array", "use a smaller batch, T or crop");
                return new BatchBuffer(rent(format, (int)length), views);
            })).Value;

        public BatchBuffer? TakeBuffer(int iteration) => _buffers.TryRemove(iteration, out var b) ? b.Value : null;

        public int Epoch { get; } = epoch;

        public Channel<ClipResult> Results { get; } = results;

        public CancellationToken Token { get; } = cts.Token;

        public Exception? Error => Volatile.Read(ref _error);

        public void Fail(Exception e)
        {
            Interlocked.CompareExchange(ref _error, e, null);
            Cancel();
        }

        public void Cancel()
        {
            try
            {
                cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        public void Dispose()
        {
            cts.Dispose();
            Window.Dispose();
        }
    }
}
