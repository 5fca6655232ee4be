using System.Threading.Channels;

namespace Toolkit.Core;

/// <summary>Helpers for pipeline stages built on bounded channels.</summary>
public static class Stage
{
    /// <summary>
    /// A bounded channel whose writers wait when it is full, so memory stays bounded by <paramref name="capacity"/> items.
    /// </summary>
    public static Channel<T> Bounded<T>(int capacity, bool singleReader = false, bool singleWriter = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        return Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = singleReader,
            SingleWriter = singleWriter,
        });
    }

    /// <summary>
    /// Runs <paramref name="workers"/> copies of <paramref name="body"/> and completes <paramref name="output"/> when all
    /// have finished, faulting it with the first error. The stage owns its output.
    /// </summary>
    public static Task RunAsync<TOut>(int workers, ChannelWriter<TOut> output, Func<int, Task> body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        var tasks = Enumerable.Range(0, workers).Select(i => Task.Run(() => body(i))).ToArray();
        return CompleteWhenAll(tasks, output);
    }

    private static async Task CompleteWhenAll<TOut>(Task[] tasks, ChannelWriter<TOut> output)
    {
        Exception? error = null;
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception)
        {
            error = tasks.Select(t => t.Exception?.GetBaseException()).FirstOrDefault(e => e is not null and not OperationCanceledException)
                    ?? tasks.Select(t => t.Exception?.GetBaseException()).FirstOrDefault(e => e is not null);
            throw;
        }
        finally
        {
            output.TryComplete(error);
        }
    }
}
