using System.Globalization;
using OpenCvSharp;
using Toolkit.Augment;
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
public sealed class RawframeDataset : IVideoDataset, IReducedScaleReads
{
    private readonly IReadOnlyList<DatasetItem> _items;
    private readonly bool _turbo;

    /// <summary>A dataset over <paramref name="items"/>.</summary>
    public RawframeDataset(IReadOnlyList<DatasetItem> items, RawframeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        Options = options ?? new RawframeOptions();
        _turbo = Options.Decoding == FrameDecoding.TurboJpeg && JpegDecoder.Unavailable is null;
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
    public Clip Read(int index, IReadOnlyList<int> frames) => Read(index, frames, 0);

    /// <inheritdoc />
    public Clip Read(int index, IReadOnlyList<int> frames, int minShortSide)
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
                // Flow is always read at full size: its values are displacements in pixels of the full frame.
                var m = Kind == ClipKind.Rgb ? Decode(index, f, 'x', ImreadModes.Color, minShortSide) : DecodeFlow(index, f);
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

    private Mat Decode(int index, int frame, char axis, ImreadModes mode, int minShortSide = 0)
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
        bool jpeg = bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xD8;
        if (jpeg && !EndsWithEoi(bytes))
            throw new ToolkitError(file, "is a truncated JPEG (no end-of-image marker)");
        // TurboJPEG when it can (same pixels, no intermediate copy); OpenCV for the rest, and for streams libjpeg only
        // warns about, which OpenCV decodes as it always did.
        if (jpeg && _turbo && JpegDecoder.TryDecode(bytes, mode == ImreadModes.Grayscale, minShortSide, out var decoded, out _))
            return decoded!;
        var m = Cv2.ImDecode(bytes, mode);
        if (m.Empty())
        {
            m.Dispose();
            throw new ToolkitError(file, "cannot be decoded as an image (corrupt or not an image)");
        }
        return m;
    }
}
