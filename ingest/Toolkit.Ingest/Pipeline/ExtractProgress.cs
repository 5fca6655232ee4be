using System.Collections.Concurrent;

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
    private readonly ConcurrentDictionary<string, Flight> _inFlight = new(StringComparer.Ordinal);

    private sealed class Flight
    {
        public long Expected;
        public long Decoded;
    }

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

    /// <summary>
    /// Work finished, in videos: the videos that ended plus, for each video being decoded, the share of its expected
    /// frames decoded so far (below 1 until it ends). A single long video moves the bar as it goes, not at its end.
    /// </summary>
    public double Completed
    {
        get
        {
            double partial = 0;
            foreach (var flight in _inFlight.Values)
                partial += Math.Min(0.99, Interlocked.Read(ref flight.Decoded) / (double)Math.Max(1, flight.Expected));
            return Done + Skipped + Failed + partial;
        }
    }

    /// <summary>Raised once per video when it ends (from a pipeline thread).</summary>
    public event Action<VideoResult>? VideoFinished;

    internal void SetTotal(int total) => Volatile.Write(ref _total, total);

    /// <summary>A video's decoding starts; it should give about <paramref name="expectedFrames"/> frames.</summary>
    internal void BeginVideo(string source, long expectedFrames) => _inFlight[source] = new Flight { Expected = expectedFrames };

    internal void AddFrame(string source)
    {
        Interlocked.Increment(ref _frames);
        if (_inFlight.TryGetValue(source, out var flight))
            Interlocked.Increment(ref flight.Decoded);
    }

    internal void AddBytes(long bytes) => Interlocked.Add(ref _bytes, bytes);

    internal void Report(VideoResult result)
    {
        _inFlight.TryRemove(result.Source, out _);
        switch (result.Status)
        {
            case VideoStatus.Done: Interlocked.Increment(ref _done); break;
            case VideoStatus.Skipped: Interlocked.Increment(ref _skipped); break;
            default: Interlocked.Increment(ref _failed); break;
        }
        VideoFinished?.Invoke(result);
    }
}
