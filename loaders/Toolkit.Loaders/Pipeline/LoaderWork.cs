using System.Collections.Concurrent;
using System.Threading.Channels;
using Toolkit.Core;

namespace Toolkit.Loaders.Pipeline;

/// <summary>One sample of one planned batch, for a worker.</summary>
internal sealed record WorkItem(EpochContext Context, PlannedBatch Batch, int Slot, int Sample)
{
    public int Iteration => Batch.Iteration;

    public BatchShape Shape => Batch.Shape;
}

/// <summary>A worker's outcome for a <see cref="WorkItem"/>: done (its frames are in the batch buffer), or the error that skipped it.</summary>
internal sealed record ClipResult(WorkItem Item, Exception? Error);

/// <summary>The batch being filled by the workers: a managed array the collator wraps as the batch tensor.</summary>
internal sealed class BatchBuffer(Array data, int views)
{
    public Array Data { get; } = data;

    public int Views { get; } = views;
}

/// <summary>One epoch's shared state: its results channel, cancellation, window of samples in flight, batch buffers and first error.</summary>
internal sealed class EpochContext(int epoch, Channel<ClipResult> results, CancellationTokenSource cts, int window, Func<BatchFormat, int, Array> rent) : IDisposable
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
