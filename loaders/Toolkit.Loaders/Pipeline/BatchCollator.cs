using System.Collections.Concurrent;
using System.Threading.Channels;
using Toolkit.Core;
using Toolkit.Loaders.Datasets;
using static TorchSharp.torch;

namespace Toolkit.Loaders.Pipeline;

/// <summary>
/// The loader's collator: puts the workers' finished samples back in iteration order, wraps each iteration's buffer as
/// the N × C × T × H × W batch tensor (labels, soft targets, the copy to CUDA), records skipped samples, and recycles
/// batch arrays.
/// </summary>
internal sealed class BatchCollator(IVideoDataset dataset, LoaderOptions options, int channels)
{
    private readonly IVideoDataset _dataset = dataset;
    private readonly LoaderOptions _options = options;
    private readonly int _channels = channels;
    private readonly HostTransfer _transfer = new(options.Device, options.PinMemory);
    private readonly List<SkippedSample> _skipped = [];

    /// <summary>Every sample skipped so far (skip-and-report), all epochs, in the order they were recorded (a snapshot).</summary>
    public IReadOnlyList<SkippedSample> Skipped => SkippedSince(0);

    /// <summary>The skipped samples recorded after the first <paramref name="count"/> (a copy of the tail only).</summary>
    public IReadOnlyList<SkippedSample> SkippedSince(int count)
    {
        lock (_skipped)
            return count >= _skipped.Count ? [] : _skipped.GetRange(count, _skipped.Count - count).ToArray();
    }

    /// <summary>Set when the loader is disposed: returned arrays are no longer kept.</summary>
    public bool Closed { get; set; }

    /// <summary>Collates the epoch's results into batches in iteration order, as each iteration's samples are all in.</summary>
    public async Task CollateAsync(IReadOnlyList<PlannedBatch> plan, EpochContext ctx, ChannelWriter<LoaderBatch> output)
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
            {
                lock (_skipped)
                    _skipped.Add(s);
            }
            var good = bySlot.Where(r => r.Error is null).ToList();
            var buffer = ctx.TakeBuffer(planned.Iteration);
            if (good.Count == 0 || buffer is null)
                return null;
            int views = buffer.Views, n = planned.Samples.Length * views, c = _channels, t = planned.Shape.Frames, side = planned.Shape.Crop;
            bool cuda = _transfer.ToAccelerator;
            using var scope = NewDisposeScope();
            // frombuffer shares the managed array (pinned until the tensor is disposed): the workers' writes are the batch.
            var host = frombuffer(buffer.Data, buffer.Data is float[] ? ScalarType.Float32 : ScalarType.Byte).view(n, c, t, side, side);
            if (good.Count < planned.Samples.Length)
            {
                var rows = good.SelectMany(g => Enumerable.Range(g.Item.Slot * views, views)).Select(i => (long)i).ToArray();
                host = host.index_select(0, tensor(rows, ScalarType.Int64));
            }
            var inputs = _transfer.ToDevice(host);
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
                labels = _transfer.ToDevice(labels);
                targets = targets is null ? null : _transfer.ToDevice(targets);
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

    // Batch arrays come back when their batch is disposed and serve a later batch of the same size: a fresh 38 MB array
    // per batch cost more in page faults and zeroing by the kernel than its JPEG decoding (perf: 22 % of the loader's
    // time in the kernel). At most PrefetchBatches + 3 arrays per size are kept.
    private readonly ConcurrentDictionary<(BatchFormat, int), ConcurrentBag<Array>> _recycled = new();

    /// <summary>An array of <paramref name="length"/> elements for a batch: a recycled one when there is one.</summary>
    public Array RentBuffer(BatchFormat format, int length) =>
        _recycled.TryGetValue((format, length), out var bag) && bag.TryTake(out var array) ? array
        : format == BatchFormat.Float ? GC.AllocateUninitializedArray<float>(length) : GC.AllocateUninitializedArray<byte>(length);

    private void ReturnBuffer(Array array)
    {
        var key = (array is float[] ? BatchFormat.Float : BatchFormat.Byte, array.Length);
        var bag = _recycled.GetOrAdd(key, _ => []);
        if (!Closed && bag.Count < _options.PrefetchBatches + 3)
            bag.Add(array);
    }
}
