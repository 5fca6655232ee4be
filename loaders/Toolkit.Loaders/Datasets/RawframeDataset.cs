using System.Globalization;
using OpenCvSharp;
using Toolkit.Augment;
using Toolkit.Augment.Geometry;
using Toolkit.Core;
using Toolkit.Ingest.Imaging;

namespace Toolkit.Loaders.Datasets;

/// <summary>Options of <see cref="RawframeDataset"/>.</summary>
public sealed record RawframeOptions
{
    /// <summary>RGB (<c>img_NNNNN.jpg</c>) or flow (<c>flow_x_NNNNN.jpg</c> + <c>flow_y_NNNNN.jpg</c> as 2 channels).</summary>
    public ClipKind Kind { get; init; } = ClipKind.Rgb;

    /// <summary>1 for mmaction2 / <c>toolkit extract</c> names (default), 0 for denseflow.</summary>
    public int StartIndex { get; init; } = 1;

    /// <summary>RGB file name pattern (.NET composite format, argument 0 = frame number).</summary>
    public string RgbTemplate { get; init; } = RawframeLayout.RgbTemplate;

    /// <summary>Flow file name pattern; argument 0 = <c>x</c> or <c>y</c>, argument 1 = frame number.</summary>
    public string FlowTemplate { get; init; } = RawframeLayout.FlowTemplate;

    /// <summary>How JPEG frames are decoded: libjpeg-turbo's TurboJPEG API (default) or OpenCV's <c>imdecode</c>.</summary>
    public FrameDecoding Decoding { get; init; } = FrameDecoding.TurboJpeg;
}

/// <summary>The JPEG decoder of a <see cref="RawframeDataset"/>.</summary>
public enum FrameDecoding
{
    /// <summary>
    /// TurboJPEG straight into the frame (the same pixels as OpenCV, about twice as fast); OpenCV for anything else (PNG,
    /// CMYK, a stream libjpeg warns about), and OpenCV alone when libturbojpeg is missing.
    /// </summary>
    TurboJpeg,

    /// <summary>OpenCV's <c>imdecode</c> for every frame.</summary>
    OpenCv,
}

/// <summary>
/// Rawframes listed by <c>toolkit lists</c> (<c>*_rawframes.txt</c> or <c>*_rawframes_flow.txt</c>): each item a
/// folder of numbered JPEGs. Only the sampled files are opened. A missing or undecodable frame is a
/// <see cref="ToolkitError"/> naming the file, the frame number and the list line; never a zero frame.
/// </summary>
public sealed class RawframeDataset : IVideoDataset, IRegionReads
{
    private readonly IReadOnlyList<DatasetItem> _items;
    private readonly bool _turbo;
    private readonly bool _regions;

    /// <summary>A dataset over <paramref name="items"/>.</summary>
    public RawframeDataset(IReadOnlyList<DatasetItem> items, RawframeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        Options = options ?? new RawframeOptions();
        _turbo = Options.Decoding == FrameDecoding.TurboJpeg && JpegDecoder.Unavailable is null;
        _regions = _turbo && JpegDecoder.RegionsUnavailable is null;
        if (Options.StartIndex is not (0 or 1))
            throw new ToolkitError("RawframeOptions.StartIndex", $"is {Options.StartIndex}", "use 1 (mmaction2, toolkit extract) or 0 (denseflow)");
        _items = items;
    }

    /// <summary>Loads a rawframe list; relative folders are under <paramref name="root"/>.</summary>
    public static RawframeDataset FromList(string list, string root, RawframeOptions? options = null) =>
        new(ListFile.ReadRawframes(list, root), options);

    /// <summary>The options.</summary>
    public RawframeOptions Options { get; }

    /// <inheritdoc />
    public int Count => _items.Count;

    /// <inheritdoc />
    public ClipKind Kind => Options.Kind;

    /// <inheritdoc />
    public int StartIndex => Options.StartIndex;

    /// <inheritdoc />
    public DatasetItem this[int index] => _items[index];

    /// <inheritdoc />
    public int FrameCount(int index) => _items[index].TotalFrames;

    /// <summary>The file of frame <paramref name="frame"/> of item <paramref name="index"/> (<paramref name="axis"/> x or y for flow).</summary>
    public string FramePath(int index, int frame, char axis = 'x') =>
        Path.Combine(_items[index].Path, Kind == ClipKind.Rgb
            ? string.Format(CultureInfo.InvariantCulture, Options.RgbTemplate, frame)
            : string.Format(CultureInfo.InvariantCulture, Options.FlowTemplate, axis, frame));

    /// <inheritdoc />
    public Clip Read(int index, IReadOnlyList<int> frames) => Read(index, frames, DecodeScale.Full);

    /// <inheritdoc />
    public Clip Read(int index, IReadOnlyList<int> frames, DecodeScale scale) =>
        // Flow is always read at full size: its values are displacements in pixels of the full frame.
        ReadFrames(index, frames, f => Kind == ClipKind.Rgb ? Decode(index, f, 'x', ImreadModes.Color, scale) : DecodeFlow(index, f));

    /// <inheritdoc />
    public DecodedSize? RegionSize(int index, int frame, DecodeScale scale)
    {
        if (!_regions)
            return null;
        string file = FramePath(index, frame);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the whole read reports it
        }
        // Flow is always read at full size (see Read).
        return IsJpeg(bytes) && JpegDecoder.TryReadSize(bytes, Kind == ClipKind.Rgb ? scale : DecodeScale.Full, out var size) ? size : null;
    }

    /// <inheritdoc />
    public Clip ReadRegion(int index, IReadOnlyList<int> frames, DecodedSize size, PixelBox box)
    {
        if (!_regions)
            throw new InvalidOperationException("region reads need JPEG rawframes, TurboJPEG decoding and libtoolkit_jpeg");
        return ReadFrames(index, frames, f => Kind == ClipKind.Rgb ? DecodeRegion(index, f, 'x', false, size, box) : DecodeFlowRegion(index, f, size, box));
    }

    private Clip ReadFrames(int index, IReadOnlyList<int> frames, Func<int, Mat> decode)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0)
            throw new ArgumentException("no frames requested", nameof(frames));
        var item = _items[index];
        if (!Directory.Exists(item.Path))
            throw new ToolkitError(item.Path, $"rawframe folder is missing (list line {item.Line})");
        var mats = new List<Mat>(frames.Count);
        var cache = new Dictionary<int, Mat>();
        try
        {
            foreach (int f in frames)
            {
                if (cache.TryGetValue(f, out var seen))
                {
                    mats.Add(seen.Clone());
                    continue;
                }
                var m = decode(f);
                mats.Add(m);
                cache[f] = m;
            }
            var size = mats[0].Size();
            for (int i = 1; i < mats.Count; i++)
                if (mats[i].Size() != size)
                    throw new ToolkitError(FramePath(index, frames[i]), $"is {mats[i].Width}x{mats[i].Height}, frame {frames[0]} is {size.Width}x{size.Height}");
            return new Clip(mats, Kind);
        }
        catch
        {
            foreach (var m in mats)
                m.Dispose();
            throw;
        }
    }

    /// <summary>Frame <paramref name="frame"/> (flow: its <paramref name="axis"/> image) cropped to <paramref name="box"/>: only the box decoded when libjpeg can, else the whole frame decoded and cut.</summary>
    private Mat DecodeRegion(int index, int frame, char axis, bool gray, DecodedSize size, PixelBox box)
    {
        byte[] bytes = ReadFrame(index, frame, axis);
        if (IsJpeg(bytes) && JpegDecoder.TryDecodeRegion(bytes, gray, size, box.ToRect(), out var region, out _))
            return region!;
        // Corrupt data libjpeg warns about, another size: the whole-frame path, with its fallbacks and errors.
        using var whole = Decode(index, frame, axis, gray ? ImreadModes.Grayscale : ImreadModes.Color, DecodeScale.Of(size), bytes);
        if (whole.Width != size.Width || whole.Height != size.Height)
            throw new ToolkitError(FramePath(index, frame, axis), $"is {whole.Width}x{whole.Height}, the clip's first frame is {size.Width}x{size.Height}");
        return new Mat(whole, box.ToRect()); // a view: the pixels live on after the whole frame's header is disposed
    }

    private Mat DecodeFlowRegion(int index, int frame, DecodedSize size, PixelBox box)
    {
        using var x = DecodeRegion(index, frame, 'x', true, size, box);
        using var y = DecodeRegion(index, frame, 'y', true, size, box);
        var merged = new Mat();
        Cv2.Merge([x, y], merged);
        return merged;
    }

    private static bool IsJpeg(byte[] b) => b.Length >= 2 && b[0] == 0xFF && b[1] == 0xD8;

    private static bool EndsWithEoi(byte[] b)
    {
        int end = b.Length;
        while (end > 2 && b[end - 1] == 0) // some writers pad with zeros after the marker
            end--;
        return end >= 4 && b[end - 2] == 0xFF && b[end - 1] == 0xD9;
    }

    private Mat DecodeFlow(int index, int frame)
    {
        using var x = Decode(index, frame, 'x', ImreadModes.Grayscale);
        using var y = Decode(index, frame, 'y', ImreadModes.Grayscale);
        if (x.Size() != y.Size())
            throw new ToolkitError(FramePath(index, frame, 'y'), $"is {y.Width}x{y.Height}, its flow_x is {x.Width}x{x.Height}");
        var merged = new Mat();
        Cv2.Merge([x, y], merged);
        return merged;
    }

    /// <summary>The bytes of a frame file, refused when missing, empty or a truncated JPEG.</summary>
    private byte[] ReadFrame(int index, int frame, char axis)
    {
        string file = FramePath(index, frame, axis);
        var item = _items[index];
        if (!File.Exists(file))
            throw new ToolkitError(file, $"frame {frame} is missing (list line {item.Line} says {item.TotalFrames} frames from {StartIndex})",
                StartIndex == 1 && frame == item.TotalFrames ? "a folder numbered from 0 (denseflow) needs start index 0" : null);
        byte[] bytes = File.ReadAllBytes(file);
        if (bytes.Length == 0)
            throw new ToolkitError(file, "is an empty file");
        // libjpeg decodes a truncated JPEG with a warning and grey rows: refuse it instead (no end-of-image marker).
        if (IsJpeg(bytes) && !EndsWithEoi(bytes))
            throw new ToolkitError(file, "is a truncated JPEG (no end-of-image marker)");
        return bytes;
    }

    private Mat Decode(int index, int frame, char axis, ImreadModes mode, DecodeScale scale = default, byte[]? read = null)
    {
        byte[] bytes = read ?? ReadFrame(index, frame, axis);
        bool jpeg = IsJpeg(bytes);
        // TurboJPEG when it can (same pixels, no intermediate copy); OpenCV for the rest, and for streams libjpeg only
        // warns about, which OpenCV decodes as it always did.
        if (jpeg && _turbo && JpegDecoder.TryDecode(bytes, mode == ImreadModes.Grayscale, scale, out var decoded, out _))
            return decoded!;
        var m = Cv2.ImDecode(bytes, mode);
        if (m.Empty())
        {
            m.Dispose();
            throw new ToolkitError(FramePath(index, frame, axis), "cannot be decoded as an image (corrupt or not an image)");
        }
        return m;
    }
}
