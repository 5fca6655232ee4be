using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Toolkit.Augment;
using Toolkit.Augment.Color;
using Toolkit.Augment.Sampling;
using Toolkit.Core;
using Toolkit.Loaders.Datasets;

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
    private readonly ClipWorker _worker;
    private readonly BatchCollator _collator;
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
        int channels = dataset.Kind == ClipKind.Rgb ? 3 : 2;
        Mean = options.Mean ?? (dataset.Kind == ClipKind.Rgb ? NormalizeOptions.RgbMean : NormalizeOptions.FlowMean);
        Std = options.Std ?? (dataset.Kind == ClipKind.Rgb ? NormalizeOptions.RgbStd : NormalizeOptions.FlowStd);
        if (Mean.Count != channels || Std.Count != channels)
            throw new ToolkitError("LoaderOptions.Mean/Std", $"need {channels} values for {dataset.Kind} clips");
        var lut = Enumerable.Range(0, channels).Select(c => Enumerable.Range(0, 256).Select(v => (float)((v - Mean[c]) / Std[c])).ToArray()).ToArray();
        _worker = new ClipWorker(dataset, _options, channels, lut);
        _collator = new BatchCollator(dataset, _options, channels);
        _work = Stage.Bounded<WorkItem>(options.QueueCapacity, singleReader: false, singleWriter: true);
        // Frames are allocated and freed by the hundred per second on every worker: with glibc's default sliding
        // thresholds that is mostly page faults (NativeHeap's remarks).
        NativeHeap.UseSteadyThresholds();
    }

    /// <summary>Worker tasks started over the loader's life (equals <see cref="LoaderOptions.Workers"/>: they are never restarted).</summary>
    internal int WorkersStarted { get; private set; }

    /// <summary>Mean used to normalize (output channel order).</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Std used to normalize.</summary>
    public IReadOnlyList<double> Std { get; }

    /// <summary>Every sample skipped so far (skip-and-report), all epochs.</summary>
    public IReadOnlyCollection<SkippedSample> Skipped => _collator.Skipped;

    /// <summary>
    /// The samples skipped after the first <paramref name="count"/> of <see cref="Skipped"/>, in order: a consumer that
    /// reports failures as they come copies only the new ones (not the whole list per batch).
    /// </summary>
    public IReadOnlyList<SkippedSample> SkippedSince(int count) => _collator.SkippedSince(count);

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
                _workers = Enumerable.Range(0, _options.Workers).Select(_ => Task.Run(() => _worker.RunAsync(_work.Reader, _lifetime.Token))).ToArray();
                WorkersStarted += _workers.Length;
            }
            // Samples planned but not yet handed over in a batch: bounds the collator's reorder buffer too (a slow
            // clip cannot let the other workers run arbitrarily far ahead).
            int window = _options.QueueCapacity + _options.Workers + _options.ResultCapacity + plan.Select(b => b.Samples.Length).DefaultIfEmpty(1).Max();
            ctx = new EpochContext(epoch, Stage.Bounded<ClipResult>(_options.ResultCapacity, singleReader: true), CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token), window, _collator.RentBuffer);
            batches = Stage.Bounded<LoaderBatch>(_options.PrefetchBatches, singleReader: true, singleWriter: true);
            planner = Task.Run(() => PlanAsync(plan, ctx));
            collator = Task.Run(() => _collator.CollateAsync(plan, ctx, batches.Writer));
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

    /// <summary>Stops the workers and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        _collator.Closed = true;
        _work.Writer.TryComplete();
        await _lifetime.CancelAsync().ConfigureAwait(false);
        if (_workers is not null)
            await Task.WhenAll(_workers).ConfigureAwait(false);
        _lifetime.Dispose();
    }
}
