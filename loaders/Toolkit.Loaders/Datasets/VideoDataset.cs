using System.Collections.Concurrent;
using OpenCvSharp;
using Toolkit.Augment;
using Toolkit.Core;

namespace Toolkit.Loaders.Datasets;

/// <summary>
/// Videos listed by <c>toolkit lists</c> (<c>*_videos.txt</c>: <c>path label</c>), decoded on the fly with OpenCV's
/// FFmpeg backend (<see cref="VideoCapture"/>), frames numbered from 0.
/// </summary>
/// <remarks>
/// Why VideoCapture and not ffmpeg with a <c>select</c> filter: it stays in-process (no process start and pipe per
/// clip, which costs more than decoding 8 frames of a 10 s clip), it is the backend the rest of the toolkit already
/// uses, and its seek (<c>CAP_PROP_POS_FRAMES</c>) lands on the exact frame by seeking to the previous key frame and
/// decoding forward. A read seeks to the first needed frame, then <c>Grab</c>s forward to the last one and converts
/// (<c>Retrieve</c>) only the needed frames; frames before the seek point's key frame are never decoded. When the
/// sampled frames are far apart (more than <see cref="VideoOptions.SeekGap"/> frames) it seeks again instead of
/// grabbing through the gap. Container frame counts can lie (a file may declare 444 frames and hold 68): when a needed
/// frame is past the real end, the dataset counts the decodable frames once, remembers the count, and the read is
/// retried by the loader with the corrected count (<see cref="StaleFrameCountException"/>).
/// </remarks>
public sealed class VideoDataset : IVideoDataset
{
    private readonly IReadOnlyList<DatasetItem> _items;
    private readonly ConcurrentDictionary<int, int> _counts = new();

    /// <summary>A dataset over <paramref name="items"/>.</summary>
    public VideoDataset(IReadOnlyList<DatasetItem> items, VideoOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = items;
        Options = options ?? new VideoOptions();
    }

    /// <summary>Loads a video list; relative paths are under <paramref name="root"/>.</summary>
    public static VideoDataset FromList(string list, string root, VideoOptions? options = null) => new(ListFile.ReadVideos(list, root), options);

    /// <summary>The options.</summary>
    public VideoOptions Options { get; }

    /// <inheritdoc />
    public int Count => _items.Count;

    /// <inheritdoc />
    public ClipKind Kind => ClipKind.Rgb;

    /// <inheritdoc />
    public int StartIndex => 0;

    /// <inheritdoc />
    public DatasetItem this[int index] => _items[index];

    /// <summary>Frames decoded (grabbed) by all reads so far, to check that reads decode only what a clip needs.</summary>
    public long FramesGrabbed => Interlocked.Read(ref _grabbed);

    private long _grabbed;

    /// <inheritdoc />
    public int FrameCount(int index) => _counts.GetOrAdd(index, i =>
    {
        using var capture = Open(_items[i].Path);
        int declared = (int)capture.Get(VideoCaptureProperties.FrameCount);
        return declared > 0 ? declared : CountDecodable(_items[i].Path);
    });

    /// <inheritdoc />
    public Clip Read(int index, IReadOnlyList<int> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0)
            throw new ArgumentException("no frames requested", nameof(frames));
        string path = _items[index].Path;
        var wanted = frames.Distinct().Order().ToArray();
        var decoded = new Dictionary<int, Mat>(wanted.Length);
        try
        {
            using var capture = Open(path);
            int position = -1; // index of the frame the next Grab returns
            foreach (int f in wanted)
            {
                if (f < 0)
                    throw new ArgumentOutOfRangeException(nameof(frames), $"frame {f} < 0");
                if (position < 0 || f < position || f - position > Options.SeekGap)
                {
                    if (f > 0 && !capture.Set(VideoCaptureProperties.PosFrames, f))
                        throw new ToolkitError(path, $"cannot seek to frame {f}");
                    position = f;
                }
                while (position < f)
                {
                    if (!capture.Grab())
                        throw Stale(index, path, f);
                    Interlocked.Increment(ref _grabbed);
                    position++;
                }
                if (!capture.Grab())
                    throw Stale(index, path, f);
                Interlocked.Increment(ref _grabbed);
                position++;
                var m = new Mat();
                if (!capture.Retrieve(m) || m.Empty())
                {
                    m.Dispose();
                    throw new ToolkitError(path, $"frame {f} cannot be decoded (corrupt stream)");
                }
                decoded[f] = m;
            }
            var mats = frames.Select(f => decoded[f].Clone()).ToList();
            return new Clip(mats, ClipKind.Rgb);
        }
        finally
        {
            foreach (var m in decoded.Values)
                m.Dispose();
        }
    }

    private Exception Stale(int index, string path, int frame)
    {
        int real = CountDecodable(path);
        if (real == 0)
            return new ToolkitError(path, "no frame could be decoded");
        int before = _counts.TryGetValue(index, out int c) ? c : -1;
        _counts[index] = real;
        if (frame < real)
            return new ToolkitError(path, $"frame {frame} cannot be decoded after a seek (the file has {real} decodable frames)");
        return new StaleFrameCountException(path, before, real);
    }

    private static int CountDecodable(string path)
    {
        using var capture = Open(path);
        int n = 0;
        while (capture.Grab())
            n++;
        return n;
    }

    private static VideoCapture Open(string path)
    {
        if (!File.Exists(path))
            throw new ToolkitError(path, "no such video");
        var capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        if (!capture.IsOpened())
        {
            capture.Dispose();
            throw new ToolkitError(path, "cannot be opened as a video (corrupt, or a codec OpenCV's FFmpeg backend lacks)");
        }
        return capture;
    }
}

/// <summary>Options of <see cref="VideoDataset"/>.</summary>
public sealed record VideoOptions
{
    /// <summary>Largest gap between two needed frames that is grabbed through rather than seeked over (default 32).</summary>
    public int SeekGap { get; init; } = 32;
}

/// <summary>
/// A video held fewer frames than its container declared; <see cref="VideoDataset.FrameCount"/> now returns the real
/// count, and the clip should be sampled again.
/// </summary>
public sealed class StaleFrameCountException : ToolkitError
{
    /// <summary>Creates the error.</summary>
    public StaleFrameCountException(string path, int declared, int real)
        : base(path, $"declares {declared} frames but holds {real}")
    {
        RealCount = real;
    }

    /// <summary>The decodable frame count.</summary>
    public int RealCount { get; }
}
