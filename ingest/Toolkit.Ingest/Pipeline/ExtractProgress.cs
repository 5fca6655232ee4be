namespace Toolkit.Ingest.Pipeline;

/// <summary>Live counters of a run, safe to read from another thread (for progress bars).</summary>
public sealed class ExtractProgress
{
    private int _total;
    private int _done;
    private int _skipped;
    private int _failed;
    private long _frames;
    private long _bytes;

    /// <summary>Videos this run looks at (its shard, after discovery).</summary>
    public int Total => Volatile.Read(ref _total);

    /// <summary>Videos converted so far.</summary>
    public int Done => Volatile.Read(ref _done);

    /// <summary>Videos skipped as already complete.</summary>
    public int Skipped => Volatile.Read(ref _skipped);

    /// <summary>Videos failed so far.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Frames decoded and processed so far.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Bytes written so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Raised once per video when it ends (from a pipeline thread).</summary>
    public event Action<VideoResult>? VideoFinished;

    internal void SetTotal(int total) => Volatile.Write(ref _total, total);

    internal void AddFrame() => Interlocked.Increment(ref _frames);

    internal void AddBytes(long bytes) => Interlocked.Add(ref _bytes, bytes);

    internal void Report(VideoResult result)
    {
        switch (result.Status)
        {
            case VideoStatus.Done: Interlocked.Increment(ref _done); break;
            case VideoStatus.Skipped: Interlocked.Increment(ref _skipped); break;
            default: Interlocked.Increment(ref _failed); break;
        }
        VideoFinished?.Invoke(result);
    }
}
