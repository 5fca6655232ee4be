using System.Runtime.InteropServices;
using System.Text;
using Toolkit.Ingest.Probing;

namespace Toolkit.Ingest.Decoding;

/// <summary>Which decoder reads the videos.</summary>
public enum VideoDecoderKind
{
    /// <summary>
    /// In process, through <c>libtoolkit_video.so</c> over Debian's FFmpeg 5.1 libraries: no ffprobe or ffmpeg process per
    /// video. Byte-identical frames to <see cref="Ffmpeg"/>; frame-rate resampling (<c>--fps</c>) and flipped display
    /// matrices still go through the command line.
    /// </summary>
    Libav,

    /// <summary>The ffprobe and ffmpeg command-line tools, one process each per video: the fallback and the test oracle.</summary>
    Ffmpeg,
}

/// <summary>
/// One open video in <c>libtoolkit_video.so</c> (a C ABI over libavformat / libavcodec / libswscale): its stream
/// description, then its frames, decoded and scaled one at a time into the caller's buffer. Used by one thread at a time.
/// </summary>
public sealed partial class LibavVideo : IDisposable
{
    private const string Library = "toolkit_video";
    private static readonly Lazy<string?> LoadProblem = new(Load);
    private IntPtr _handle;

    private LibavVideo(IntPtr handle, VideoInfo info, int transform)
    {
        _handle = handle;
        Info = info;
        Transform = transform;
    }

    /// <summary>The stream, described as <see cref="VideoProbe"/> describes it (displayed size, rotation, rate, duration).</summary>
    public VideoInfo Info { get; }

    /// <summary>The rotation applied to every frame: 0 none, 1 clockwise, 2 half a turn, 3 counter-clockwise; −1 a flip the library does not apply.</summary>
    public int Transform { get; }

    /// <summary>Why the library cannot be used here (not built or not loadable), or null when it can.</summary>
    public static string? Unavailable => LoadProblem.Value;

    /// <summary>The libavcodec the library runs on, e.g. "Lavc59.37.100".</summary>
    public static string Version => Marshal.PtrToStringUTF8(tkv_version()) ?? "unknown";

    /// <summary>Opens <paramref name="path"/>; a file that is no readable video gives its reason instead.</summary>
    /// <param name="path">The video.</param>
    /// <param name="threads">Decoder threads (0: libavcodec's choice).</param>
    public static (LibavVideo? Video, string? Failure) Open(string path, int threads)
    {
        var err = new byte[1024];
        IntPtr handle = tkv_open(path, threads, out int noVideo, err, err.Length);
        if (handle == IntPtr.Zero)
        {
            if (noVideo > 0)
            {
                int audio = noVideo - 1;
                return (null, audio > 0
                    ? $"no video stream (audio only: {audio} audio stream(s)); remove it from the input or restrict --ext"
                    : "no video stream in the file; remove it from the input or restrict --ext");
            }
            return (null, $"not a readable video file (libav: {Text(err)})");
        }
        if (tkv_info(handle, out var raw) != 0)
        {
            tkv_close(handle);
            return (null, "not a readable video file (libav: no stream information)");
        }
        if (raw.Width <= 0 || raw.Height <= 0)
        {
            tkv_close(handle);
            return (null, $"the video stream ({raw.CodecName}) has no frame size; the file header is damaged");
        }
        var info = new VideoInfo(raw.Width, raw.Height, raw.Fps, TimeSpan.FromSeconds(Math.Max(0, raw.Duration)),
            raw.DeclaredFrames > 0 ? raw.DeclaredFrames : null, raw.CodecName, raw.Rotation);
        return (new LibavVideo(handle, info, raw.Transform), null);
    }

    /// <summary>Sets the size and layout frames are delivered in; false (with the reason) where the library cannot apply the video's display transform.</summary>
    public bool TrySetOutput(FrameLayout layout, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return TrySetOutput(layout.Size.Width, layout.Size.Height, layout.Pixels == PixelLayout.Gray ? 1 : 0, out problem);
    }

    // format: 0 yuvj420p planes, 1 gray, 2 packed BGR (tkv_set_output).
    private bool TrySetOutput(int width, int height, int format, out string? problem)
    {
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        problem = tkv_set_output(_handle, width, height, format) == 0 ? null : LastError();
        return problem is null;
    }

    /// <summary>
    /// Delivers frames as packed BGR (OpenCV's <c>CV_8UC3</c> layout) at the displayed size, for loaders that hand frames to
    /// OpenCV; false (with the reason) where the display transform cannot be applied.
    /// </summary>
    public bool TrySetBgrOutput(out string? problem) => TrySetOutput(Info.Width, Info.Height, 2, out problem);

    /// <summary>Seconds from the file's start of the frame <see cref="Read"/> or <see cref="Skip"/> last returned; NaN without a timestamp.</summary>
    public double LastFrameSeconds
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
            return tkv_last_time(_handle);
        }
    }

    /// <summary>
    /// Restricts the frames to <paramref name="segment"/> (seconds from the file's start): seeks to the keyframe before
    /// its start, drops the frames before it, ends at the first frame at or after its end, as ffmpeg's <c>-ss S -i IN
    /// -vf trim=end=E-S</c> does.
    /// </summary>
    /// <exception cref="LibavException">The file cannot seek.</exception>
    public void SetRange(Discovery.TimeSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        if (tkv_set_range(_handle, segment.Start, segment.End) != 0)
            throw new LibavException(LastError());
    }

    /// <summary>
    /// Decodes the next frame into the first <paramref name="length"/> bytes of <paramref name="buffer"/> (the frame's
    /// bytes at the output size): true for a frame, false at the end. Nothing past the frame is changed. A buffer with
    /// <see cref="ScalePadding"/> spare bytes and rows of a multiple of 64 bytes is scaled into directly; any other is
    /// filled through a scratch frame (one copy more).
    /// </summary>
    /// <exception cref="LibavException">Decoding or scaling failed (the message says why).</exception>
    public unsafe bool Read(byte[] buffer, int length)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, buffer.Length);
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        int rc;
        fixed (byte* data = buffer)
            rc = tkv_read(_handle, data, buffer.Length >= length + ScalePadding ? buffer.Length : length);
        if (rc < 0)
            throw new LibavException(LastError());
        return rc == 1;
    }

    /// <summary>Spare bytes past a frame that let the scaler write a caller's buffer directly (the native TKV_SCALE_PADDING).</summary>
    public const int ScalePadding = 256;

    /// <summary>Decodes the next frame and drops it without scaling: true for a frame, false at the end.</summary>
    /// <exception cref="LibavException">Decoding failed (the message says why).</exception>
    public bool Skip()
    {
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        int rc = tkv_skip(_handle);
        if (rc < 0)
            throw new LibavException(LastError());
        return rc == 1;
    }

    /// <summary>The decoder's and demuxer's messages since the last call, as <c>[component @ 0x…] [level] text</c> lines.</summary>
    public List<string> TakeMessages()
    {
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        var buffer = new byte[16 * 1024];
        int n = tkv_messages(_handle, buffer, buffer.Length);
        if (n < 0)
        {
            buffer = new byte[-n];
            n = tkv_messages(_handle, buffer, buffer.Length);
        }
        return n <= 0 ? [] : [.. Encoding.UTF8.GetString(buffer, 0, n).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_handle != IntPtr.Zero)
        {
            tkv_close(_handle);
            _handle = IntPtr.Zero;
        }
    }

    private string LastError()
    {
        var buffer = new byte[1024];
        tkv_error(_handle, buffer, buffer.Length);
        return Text(buffer);
    }

    private static string Text(byte[] bytes)
    {
        int end = Array.IndexOf(bytes, (byte)0);
        return Encoding.UTF8.GetString(bytes, 0, end < 0 ? bytes.Length : end);
    }

    private static string? Load()
    {
        try
        {
            Marshal.Prelink(typeof(LibavVideo).GetMethod(nameof(tkv_version), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!);
            return null;
        }
        catch (DllNotFoundException e)
        {
            return $"libtoolkit_video.so could not be loaded ({e.Message}); run ./setup.sh (it installs libavformat-dev libavcodec-dev libswscale-dev libavutil-dev and builds it)";
        }
        catch (EntryPointNotFoundException e)
        {
            return $"libtoolkit_video.so is out of date ({e.Message}); rebuild with ./setup.sh";
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct StreamInfo
    {
        public int Width;
        public int Height;
        public int CodedWidth;
        public int CodedHeight;
        public int Rotation;
        public int Transform;
        public double Fps;
        public double Duration;
        public long DeclaredFrames;
        public int AudioStreams;
        public int VideoStreams;
        public fixed byte Codec[32];

        public readonly string CodecName
        {
            get
            {
                fixed (byte* name = Codec)
                    return Marshal.PtrToStringUTF8((IntPtr)name) ?? "unknown";
            }
        }
    }

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr tkv_open(string path, int threads, out int noVideo, [Out] byte[] err, int errLen);

    [LibraryImport(Library)]
    private static partial int tkv_info(IntPtr handle, out StreamInfo info);

    [LibraryImport(Library)]
    private static partial int tkv_set_output(IntPtr handle, int width, int height, int format);

    [LibraryImport(Library)]
    private static partial int tkv_skip(IntPtr handle);

    [LibraryImport(Library)]
    private static partial double tkv_last_time(IntPtr handle);

    [LibraryImport(Library)]
    private static partial int tkv_set_range(IntPtr handle, double start, double end);

    [LibraryImport(Library)]
    private static unsafe partial int tkv_read(IntPtr handle, byte* dst, int length);

    [LibraryImport(Library)]
    private static partial int tkv_error(IntPtr handle, [Out] byte[] buffer, int length);

    [LibraryImport(Library)]
    private static partial int tkv_messages(IntPtr handle, [Out] byte[] buffer, int length);

    [LibraryImport(Library)]
    private static partial void tkv_close(IntPtr handle);

    [LibraryImport(Library)]
    private static partial IntPtr tkv_version();
}

/// <summary>The in-process decoder failed on a video (decoding or scaling); the message says why.</summary>
public sealed class LibavException(string message) : Exception(message);
