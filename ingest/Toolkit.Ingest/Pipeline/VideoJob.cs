using System.Buffers;
using System.Diagnostics;
using Toolkit.Ingest.Discovery;
using Toolkit.Ingest.Probing;

namespace Toolkit.Ingest.Pipeline;

/// <summary>
/// One video in flight. Items of the video travel through the stages; <see cref="Retain"/> / <see cref="Release"/>
/// count them (plus one token held by the decoder), and the stage that releases the last one finishes the video.
/// </summary>
internal sealed class VideoJob : IDisposable
{
    private int _pending = 1;
    private string? _failure;
    private long _bytes;
    private int _rgbWritten;
    private int _flowWritten;

    public VideoJob(VideoSource source, VideoInfo info, FrameSize size, string temporary, Toolkit.Ingest.Output.SourceIdentity identity, CancellationToken run)
    {
        Source = source;
        Identity = identity;
        Info = info;
        Size = size;
        Temporary = temporary;
        Cancellation = CancellationTokenSource.CreateLinkedTokenSource(run);
    }

    public VideoSource Source { get; }

    /// <summary>The source's identity before it was probed: it must be the same when the video is committed.</summary>
    public Toolkit.Ingest.Output.SourceIdentity Identity { get; }

    public VideoInfo Info { get; }

    public FrameSize Size { get; }

    public string Temporary { get; }

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    /// <summary>Cancelled when the video fails (stops its decoder) or the run stops.</summary>
    public CancellationTokenSource Cancellation { get; }

    public string? Failure => Volatile.Read(ref _failure);

    public int DecodedFrames { get; set; }

    public IReadOnlyList<string> Notes { get; set; } = [];

    public long Bytes => Interlocked.Read(ref _bytes);

    public int RgbWritten => Volatile.Read(ref _rgbWritten);

    public int FlowWritten => Volatile.Read(ref _flowWritten);

    /// <summary>Marks the video failed (the first reason wins) and stops its decoder.</summary>
    public void Fail(string reason)
    {
        if (Interlocked.CompareExchange(ref _failure, reason, null) is null)
        {
            try
            {
                Cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    public void Retain() => Interlocked.Increment(ref _pending);

    /// <summary>Releases one item; true when it was the last, so the caller must finish the video.</summary>
    public bool Release() => Interlocked.Decrement(ref _pending) == 0;

    public void Written(int rgb, int flow, long bytes)
    {
        Interlocked.Add(ref _rgbWritten, rgb);
        Interlocked.Add(ref _flowWritten, flow);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void Dispose() => Cancellation.Dispose();
}

/// <summary>A grayscale frame shared by the two flow pairs that use it, returned to the pool by the last holder.</summary>
internal sealed class SharedGray(byte[] data)
{
    private int _holders = 1;

    public byte[] Data { get; } = data;

    public SharedGray Retain()
    {
        Interlocked.Increment(ref _holders);
        return this;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _holders) == 0)
            ArrayPool<byte>.Shared.Return(Data);
    }
}

/// <summary>Frame <see cref="Index"/> of a video: its YCbCr 4:2:0 pixels for the RGB image and, from the second frame on, the gray pair for flow <see cref="Index"/> − 1.</summary>
internal sealed class FrameWork(VideoJob job, int index, byte[]? image, SharedGray? previous, SharedGray? current)
{
    public VideoJob Job { get; } = job;

    public int Index { get; } = index;

    public byte[]? Image { get; private set; } = image;

    public SharedGray? Previous { get; private set; } = previous;

    public SharedGray? Current { get; private set; } = current;

    public void Free()
    {
        if (Image is not null)
            ArrayPool<byte>.Shared.Return(Image);
        Previous?.Release();
        Current?.Release();
        Image = null;
        Previous = null;
        Current = null;
    }
}

/// <summary>Encoded files of one frame, ready to be written into the video's temporary folder.</summary>
internal sealed record FileBatch(VideoJob Job, IReadOnlyList<(string Name, byte[] Data)> Files, int Rgb, int Flow);
