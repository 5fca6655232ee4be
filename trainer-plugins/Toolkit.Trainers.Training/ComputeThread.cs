namespace Toolkit.Trainers.Training;

/// <summary>
/// Runs a training loop on one dedicated thread, so that every step's native tensors come from one glibc arena.
/// </summary>
/// <remarks>
/// glibc gives each thread that allocates its own arena (up to 8 per core) and keeps freed memory in the arena that
/// held it. An <c>await foreach</c> over the host's batches resumes on whatever thread-pool thread delivered the batch,
/// so the model's forward and backward wander from thread to thread, and every arena they visit keeps a whole step's
/// activations: measured (issue 21) on configs/demo.json's loop over the real loaders, resident memory rose by about
/// 120 MiB every few epochs, 440 → 860 MiB in 12 epochs, until every arena had been visited, where the same loop on
/// one thread stays flat. The loop here consumes the batches blocking (<c>ToBlockingEnumerable</c>) on its own thread;
/// the loaders keep their own threads.
/// </remarks>
public static class ComputeThread
{
    /// <summary>Runs <paramref name="loop"/> on a new background thread named <paramref name="name"/>; its result or exception.</summary>
    public static Task<T> Run<T>(string name, Func<T> loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(loop());
            }
            catch (OperationCanceledException e)
            {
                done.SetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            Name = name,
            IsBackground = true,
        };
        thread.Start();
        return done.Task;
    }
}
