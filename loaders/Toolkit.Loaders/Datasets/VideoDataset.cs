using System.Collections.Concurrent;
using OpenCvSharp;
using Toolkit.Augment;
using Toolkit.Core;

namespace Toolkit.Loaders.Datasets;

/// <summary>
/// Videos listed by <c>toolkit lists</c> (<c>*_videos.txt</c>: <c>path label</c>), decoded on the fly, frames numbered from
/// 0: in process through the toolkit's libav decoder (<see cref="VideoBackend.Libav"/>, the default, the same decoder as
/// extract) or through OpenCV's FFmpeg backend (<see cref="VideoBackend.OpenCv"/>, <see cref="VideoCapture"/>).
/// </summary>
/// <remarks>
/// The libav reader seeks to the keyframe before the first needed frame (its time is index / frame rate), decodes
/// forward, names each frame by its timestamp (index = round(t × rate)) and converts to BGR only the needed frames; the
/// others are decoded and dropped unconverted. A video whose timestamps skip a frame number (a variable frame rate) is
/// read from then on by counting frames, with OpenCV's reader, rather than failing. Frames more than <see cref="VideoOptions.SeekGap"/> apart are reached by a
/// new seek. Both readers give the same frames (a test compares them within one grey level).
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
        if (Options.Backend == VideoBackend.Libav)
        {
            using var video = OpenLibav(_items[i].Path);
            return video.Info.DeclaredFrames is > 0 and < int.MaxValue ? (int)video.Info.DeclaredFrames.Value : CountDecodable(_items[i].Path);
        }
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
        if (frames.Any(f => f < 0))
            throw new ArgumentOutOfRangeException(nameof(frames), $"frame {frames.First(f => f < 0)} < 0");
        if (Options.Backend == VideoBackend.Libav && !_counted.ContainsKey(index))
        {
            try
            {
                return ReadLibav(index, frames);
            }
            catch (VariableFrameRateError)
            {
                // Its timestamps skip frame numbers: frames are counted instead (OpenCV's reader), from now on for this video.
                _counted[index] = true;
            }
        }
        return ReadOpenCv(index, frames);
    }

    // Videos whose timestamps skip frame numbers (a variable frame rate): read by counting frames.
    private readonly ConcurrentDictionary<int, bool> _counted = new();

    /// <summary>A frame number the stream's timestamps skip (a variable frame rate): the video is read again by counting frames.</summary>
    private sealed class VariableFrameRateError(string path, string reason) : ToolkitError(path, reason);

    private Clip ReadLibav(int index, IReadOnlyList<int> frames)
    {
        string path = _items[index].Path;
        var wanted = frames.Distinct().Order().ToArray();
        var decoded = new Dictionary<int, Mat>(wanted.Length);
        try
        {
            int next = 0; // the first wanted frame not yet decoded
            while (next < wanted.Length)
            {
                // One run: frames no more than SeekGap apart are decoded through; a larger gap starts a new seek.
                int last = next;
                while (last + 1 < wanted.Length && wanted[last + 1] - wanted[last] <= Options.SeekGap)
                    last++;
                using var video = OpenLibav(path);
                if (!video.TrySetBgrOutput(out string? problem))
                    throw new ToolkitError(path, $"cannot be read in process ({problem})", "Use the OpenCV reader (VideoOptions.Backend = OpenCv) for this file");
                double rate = video.Info.FrameRate > 0 ? video.Info.FrameRate : 25;
                if (wanted[next] > 0)
                    video.SetRange(new Toolkit.Ingest.Discovery.TimeSegment(Math.Max(0, (wanted[next] - 0.5) / rate), double.MaxValue));
                int width = video.Info.Width, height = video.Info.Height, bytes = width * height * 3;
                byte[] buffer = new byte[bytes];
                int position = -1; // index of the frame decoded last (-1: none since the seek)
                while (next <= last)
                {
                    int target = wanted[next];
                    // After the seek the first frame is the target itself (earlier ones are dropped natively); later, the
                    // frame after `position` is converted only when it is the target.
                    bool convert = position < 0 || position + 1 >= target;
                    bool got = convert ? video.Read(buffer, bytes) : video.Skip();
                    if (!got)
                        throw Stale(index, path, target);
                    Interlocked.Increment(ref _grabbed);
                    double t = video.LastFrameSeconds;
                    position = double.IsNaN(t) ? position + 1 : (int)Math.Round(t * rate, MidpointRounding.AwayFromZero);
                    if (position < target)
                        continue;
                    if (position > target || !convert)
                        throw new VariableFrameRateError(path, $"frame {target} has no timestamp of its own (the stream goes on at frame {position}: a variable frame rate)");
                    var mat = new Mat(height, width, MatType.CV_8UC3);
                    System.Runtime.InteropServices.Marshal.Copy(buffer, 0, mat.Data, bytes);
                    decoded[target] = mat;
                    next++;
                }
            }
            var mats = frames.Select(f => decoded[f].Clone()).ToList();
            return new Clip(mats, ClipKind.Rgb);
        }
        catch (Toolkit.Ingest.Decoding.LibavException e)
        {
            throw new ToolkitError(path, $"cannot be decoded ({e.Message})");
        }
        finally
        {
            foreach (var m in decoded.Values)
                m.Dispose();
        }
    }

    private Clip ReadOpenCv(int index, IReadOnlyList<int> frames)
    {
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

    private int CountDecodable(string path)
    {
        if (Options.Backend == VideoBackend.Libav)
        {
            using var video = OpenLibav(path);
            int frames = 0;
            try
            {
                while (video.Skip())
                    frames++;
            }
            catch (Toolkit.Ingest.Decoding.LibavException)
            {
                // the frames before the error count
            }
            return frames;
        }
        using var capture = Open(path);
        int n = 0;
        while (capture.Grab())
            n++;
        return n;
    }

    private static Toolkit.Ingest.Decoding.LibavVideo OpenLibav(string path)
    {
        if (!File.Exists(path))
            throw new ToolkitError(path, "no such video");
        if (Toolkit.Ingest.Decoding.LibavVideo.Unavailable is { } why)
            throw new ToolkitError(path, $"cannot be decoded in process: {why}", "Or read videos with the OpenCV reader (VideoOptions.Backend = OpenCv)");
        var (video, failure) = Toolkit.Ingest.Decoding.LibavVideo.Open(path, threads: 1);
        return video ?? throw new ToolkitError(path, $"cannot be opened as a video ({failure})");
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

    /// <summary>The decoder: the toolkit's in-process libav reader (default) or OpenCV's <c>VideoCapture</c>.</summary>
    public VideoBackend Backend { get; init; } = VideoBackend.Libav;
}

/// <summary>Which decoder a <see cref="VideoDataset"/> reads with.</summary>
public enum VideoBackend
{
    /// <summary><c>libtoolkit_video.so</c>, the decoder of <c>toolkit extract</c>: BGR conversion only for the needed frames.</summary>
    Libav,

    /// <summary>OpenCV's FFmpeg backend (<c>VideoCapture</c>, seek by <c>CAP_PROP_POS_FRAMES</c>).</summary>
    OpenCv,
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
