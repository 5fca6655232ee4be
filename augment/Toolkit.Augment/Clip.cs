using OpenCvSharp;
using Toolkit.Augment.Geometry;

namespace Toolkit.Augment;

/// <summary>What a clip's frames hold.</summary>
public enum ClipKind
{
    /// <summary>Colour frames: BGR <c>CV_8UC3</c> as decoded, or RGB <c>CV_32FC3</c> after <see cref="Color.Normalize"/>.</summary>
    Rgb,

    /// <summary>
    /// Optical flow: two channels per frame (x, y). <c>CV_8UC2</c> holds quantized flow as stored in rawframes
    /// (zero motion = 128); <c>CV_32FC2</c> holds float flow (zero motion = 0, in pixels or normalized units).
    /// </summary>
    Flow,
}

/// <summary>
/// The facts a transform samples its parameters from: the current frame size, the frame count, the kind of data, and
/// where the current pixels came from in the original frame.
/// </summary>
/// <param name="Width">Current frame width in pixels.</param>
/// <param name="Height">Current frame height in pixels.</param>
/// <param name="Frames">Frames per view.</param>
/// <param name="Kind">RGB or flow.</param>
/// <param name="Map">Maps current pixel coordinates to the original frame's.</param>
public sealed record ClipInfo(int Width, int Height, int Frames, ClipKind Kind, SourceMap Map)
{
    /// <summary>Info of a clip that has not been transformed yet (identity map).</summary>
    public static ClipInfo Original(int width, int height, int frames, ClipKind kind) =>
        new(width, height, frames, kind, SourceMap.Identity(width, height));
}

/// <summary>
/// A clip: frames of one video that get the same spatial parameters. Owns its <see cref="Mat"/>s and disposes them.
/// Multi-view crops (<see cref="Geometry.ThreeCrop"/>, <see cref="Geometry.TenCrop"/>) stack views one after the other,
/// as mmaction2 does: <see cref="Frames"/> holds <see cref="Views"/> × <see cref="FramesPerView"/> images.
/// </summary>
/// <remarks>
/// Transforms never change a clip: they return a new one. <see cref="Applied"/> lists the parameters of every transform
/// that produced this clip, in order, and <see cref="Map"/> maps its pixels back to the original frame.
/// </remarks>
public sealed class Clip : IDisposable
{
    private readonly Mat[] _frames;
    private bool _disposed;

    /// <summary>Wraps <paramref name="frames"/> (the clip takes ownership). All frames must have the same size and type.</summary>
    /// <param name="frames">The frames; the clip disposes them.</param>
    /// <param name="kind">RGB or flow.</param>
    /// <param name="views">Number of stacked spatial views (1 unless a multi-crop made it).</param>
    /// <param name="map">Where the pixels came from; identity for an original clip.</param>
    /// <param name="applied">Parameters of the transforms that made it.</param>
    /// <param name="viewMaps">Map of each view when <paramref name="views"/> &gt; 1.</param>
    public Clip(IEnumerable<Mat> frames, ClipKind kind, int views = 1, SourceMap? map = null,
        IReadOnlyList<TransformParams>? applied = null, IReadOnlyList<SourceMap>? viewMaps = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        _frames = frames.ToArray();
        if (_frames.Length == 0)
            throw new ArgumentException("a clip needs at least one frame", nameof(frames));
        ArgumentOutOfRangeException.ThrowIfLessThan(views, 1);
        if (_frames.Length % views != 0)
            throw new ArgumentException($"{_frames.Length} frames cannot be split into {views} views", nameof(views));
        var first = _frames[0];
        if (first.Empty())
            throw new ArgumentException("empty frame", nameof(frames));
        int channels = first.Channels();
        if (kind == ClipKind.Rgb && channels != 3 || kind == ClipKind.Flow && channels != 2)
            throw new ArgumentException($"a {kind} clip needs {(kind == ClipKind.Rgb ? 3 : 2)}-channel frames, got {channels}", nameof(frames));
        foreach (var f in _frames)
            if (f.Width != first.Width || f.Height != first.Height || f.Type() != first.Type())
                throw new ArgumentException($"frames differ in size or type ({f.Width}x{f.Height} {f.Type()} vs {first.Width}x{first.Height} {first.Type()})", nameof(frames));
        Kind = kind;
        Views = views;
        Map = map ?? SourceMap.Identity(first.Width, first.Height);
        Applied = applied ?? [];
        ViewMaps = viewMaps ?? Enumerable.Repeat(Map, views).ToArray();
        if (ViewMaps.Count != views)
            throw new ArgumentException($"{ViewMaps.Count} view maps for {views} views", nameof(viewMaps));
    }

    /// <summary>Merges quantized flow_x / flow_y images (<c>CV_8UC1</c> each, as in rawframes) into a flow clip.</summary>
    /// <remarks>The clip owns the merged frames; the inputs stay the caller's.</remarks>
    public static Clip FromFlowPairs(IReadOnlyList<Mat> x, IReadOnlyList<Mat> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
            throw new ArgumentException($"{x.Count} flow_x images but {y.Count} flow_y images");
        var frames = new List<Mat>(x.Count);
        try
        {
            for (int i = 0; i < x.Count; i++)
            {
                if (x[i].Channels() != 1 || y[i].Channels() != 1)
                    throw new ArgumentException("flow_x and flow_y images must have one channel each");
                var merged = new Mat();
                Cv2.Merge([x[i], y[i]], merged);
                frames.Add(merged);
            }
            return new Clip(frames, ClipKind.Flow);
        }
        catch
        {
            foreach (var f in frames)
                f.Dispose();
            throw;
        }
    }

    /// <summary>All frames, view after view. Owned by the clip: do not dispose them.</summary>
    public IReadOnlyList<Mat> Frames
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _frames;
        }
    }

    /// <summary>RGB or flow.</summary>
    public ClipKind Kind { get; }

    /// <summary>Number of stacked spatial views.</summary>
    public int Views { get; }

    /// <summary>Frames in each view.</summary>
    public int FramesPerView => _frames.Length / Views;

    /// <summary>Frame width.</summary>
    public int Width => _frames[0].Width;

    /// <summary>Frame height.</summary>
    public int Height => _frames[0].Height;

    /// <summary>OpenCV type of the frames (<c>CV_8UC3</c>, <c>CV_32FC3</c>, <c>CV_8UC2</c>, <c>CV_32FC2</c>).</summary>
    public MatType Type => _frames[0].Type();

    /// <summary>Maps this clip's pixel coordinates to the original frame's (of the first view when there are several).</summary>
    public SourceMap Map { get; }

    /// <summary>The map of each view.</summary>
    public IReadOnlyList<SourceMap> ViewMaps { get; }

    /// <summary>The region of the original frame this clip shows (of the first view), in original pixels.</summary>
    public RectD SourceRegion => Map.ToSource(new RectD(0, 0, Width, Height));

    /// <summary>Parameters of every transform applied to make this clip, in order.</summary>
    public IReadOnlyList<TransformParams> Applied { get; }

    /// <summary>What transforms sample from.</summary>
    public ClipInfo Info => new(Width, Height, FramesPerView, Kind, Map);

    /// <summary>A deep copy (new pixel buffers) with the same history.</summary>
    public Clip Clone() => new(_frames.Select(f => f.Clone()), Kind, Views, Map, Applied, ViewMaps);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        foreach (var f in _frames)
            f.Dispose();
    }
}
