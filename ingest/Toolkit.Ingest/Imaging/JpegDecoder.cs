using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using OpenCvSharp;

namespace Toolkit.Ingest.Imaging;

/// <summary>
/// Decodes JPEG frames with libjpeg-turbo's TurboJPEG API (Debian: <c>libturbojpeg0</c>) straight into an OpenCV
/// <see cref="Mat"/> (packed BGR, or gray): no encoded-buffer copy, no intermediate image. Decoding settings are
/// libjpeg's defaults, which are also OpenCV's <c>imdecode</c>: the accurate integer IDCT and fancy (smooth) chroma
/// upsampling, so the pixels are OpenCV's (a test compares them on real frames).
/// </summary>
/// <remarks>
/// Thread-safe: each call borrows a TurboJPEG decompressor from a process-wide pool (one per concurrently decoding
/// thread, kept for reuse; one that failed is destroyed, not reused). A stream libjpeg only warns about (corrupt or truncated data it would fill with grey) is
/// not decoded here: <see cref="TryDecode(ReadOnlySpan{byte}, bool, int, out Mat?, out string?)"/> returns false with libjpeg's message, and the caller decides (the
/// rawframe loader reports the frame).
/// </remarks>
public static class JpegDecoder
{
    private static readonly ConcurrentBag<IntPtr> Pool = [];
    private static readonly ConcurrentBag<IntPtr> RegionPool = [];

    /// <summary>Why TurboJPEG cannot be used (libturbojpeg missing), or null when it can.</summary>
    public static string? Unavailable { get; } = Probe(Pool, Rent, $"{TurboJpeg.Library} could not be loaded ({{0}}); install libturbojpeg0 (./setup.sh does this)");

    /// <summary>Why <see cref="TryDecodeRegion"/> cannot be used (TurboJPEG or libtoolkit_jpeg missing), or null when it can.</summary>
    public static string? RegionsUnavailable { get; } = Unavailable ?? Probe(RegionPool, RentRegion,
        "libtoolkit_jpeg.so could not be loaded ({0}); build the toolkit with the libjpeg development files (apt-get install libjpeg62-turbo-dev; ./setup.sh does this)");

    /// <summary>
    /// Decodes <paramref name="jpeg"/> into a new 8-bit BGR (or, with <paramref name="gray"/>, single-channel) Mat the
    /// caller owns. False, with libjpeg's reason, for data TurboJPEG refuses or warns about.
    /// </summary>
    /// <exception cref="InvalidOperationException">libturbojpeg is unavailable (<see cref="Unavailable"/>).</exception>
    public static bool TryDecode(ReadOnlySpan<byte> jpeg, bool gray, out Mat? image, out string? problem) =>
        TryDecode(jpeg, gray, 0, out image, out problem);

    /// <summary>
    /// As <see cref="TryDecode(ReadOnlySpan{byte}, bool, out Mat?, out string?)"/>, at half scale when that gives a
    /// short side of exactly <paramref name="minShortSide"/> (<see cref="ScaledSize(int, int, DecodeScale)"/>), decoded
    /// in the DCT domain: a quarter of the pixels and no resize. 0, or no such scale: full size.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> jpeg, bool gray, int minShortSide, out Mat? image, out string? problem) =>
        TryDecode(jpeg, gray, new DecodeScale(minShortSide), out image, out problem);

    /// <summary>
    /// As <see cref="TryDecode(ReadOnlySpan{byte}, bool, out Mat?, out string?)"/>, at the reduced size
    /// <paramref name="scale"/> allows (<see cref="ScaledSize(int, int, DecodeScale)"/>), decoded in the DCT domain.
    /// </summary>
    public static unsafe bool TryDecode(ReadOnlySpan<byte> jpeg, bool gray, DecodeScale scale, out Mat? image, out string? problem)
    {
        if (Unavailable is { } why)
            throw new InvalidOperationException(why);
        image = null;
        IntPtr handle = Rent();
        bool healthy = false;
        try
        {
            int width, height, subsampling, colorspace;
            fixed (byte* source = jpeg)
            {
                if (TurboJpeg.tjDecompressHeader3(handle, source, (nuint)jpeg.Length, &width, &height, &subsampling, &colorspace) != 0)
                {
                    problem = Error(handle);
                    return false;
                }
                (width, height) = ScaledSize(width, height, scale);
                var mat = new Mat(height, width, gray ? MatType.CV_8UC1 : MatType.CV_8UC3);
                int rc = TurboJpeg.tjDecompress2(handle, source, (nuint)jpeg.Length, (byte*)mat.Data, width, checked((int)mat.Step()), height,
                    gray ? TurboJpeg.PixelGray : TurboJpeg.PixelBgr, TurboJpeg.FlagStopOnWarning);
                if (rc != 0)
                {
                    problem = Error(handle);
                    mat.Dispose();
                    return false;
                }
                image = mat;
                problem = null;
                healthy = true;
                return true;
            }
        }
        finally
        {
            // A decompressor that stopped on an error is not trusted again: the next stream on it failed with the old
            // stream's error (found by a test). It is destroyed, and a fresh one made when needed.
            Return(handle, healthy);
        }
    }

    /// <summary>As <see cref="ScaledSize(int, int, DecodeScale)"/> with an exact half only.</summary>
    public static (int Width, int Height) ScaledSize(int width, int height, int shortSide) =>
        ScaledSize(width, height, new DecodeScale(shortSide));

    /// <summary>
    /// The size a <paramref name="width"/> × <paramref name="height"/> JPEG is decoded at for <paramref name="scale"/>
    /// (TurboJPEG rounds up): by default half scale when that gives a short side of exactly
    /// <see cref="DecodeScale.MinShortSide"/>, else the full size; with <see cref="DecodeScale.Covering"/>, the smallest
    /// of 1/8, 1/4 and 1/2 whose short side is still at least <see cref="DecodeScale.MinShortSide"/>.
    /// </summary>
    /// <remarks>
    /// Only 1/8, 1/4 and 1/2: libjpeg-turbo has SIMD code for those alone; measured on 340 × 256 frames, 3/8 costs 0.93
    /// of a full decode, 5/8 to 7/8 up to 2.3 times one, 1/2 0.78 and 1/8 0.64 (entropy decoding, which no scale saves,
    /// is about half of a full decode). Only an exact half by default: the full-size path it replaces resizes with a
    /// bilinear filter, which at exactly 2× averages 2 × 2 pixels as DCT scaling does (46.9 dB PSNR through the loader,
    /// 0.54 levels on average); at larger shrinks bilinear filtering aliases and DCT scaling does not, so covering
    /// decodes differ more from the full path (docs/loaders.md has the figures) while staying closer to an
    /// area-averaged (alias-free) resize of the full frame.
    /// </remarks>
    public static (int Width, int Height) ScaledSize(int width, int height, DecodeScale scale)
    {
        int full = Math.Min(width, height), shortSide = scale.MinShortSide;
        if (shortSide <= 0 || shortSide >= full)
            return (width, height);
        if (!scale.Covering)
            return full % 2 == 0 && full / 2 == shortSide ? ((width + 1) / 2, (height + 1) / 2) : (width, height);
        foreach (int eighths in new[] { 1, 2, 4 })
            if ((full * eighths + 7) / 8 >= shortSide)
                return ((width * eighths + 7) / 8, (height * eighths + 7) / 8);
        return (width, height);
    }

    /// <summary>
    /// The size <see cref="TryDecode(ReadOnlySpan{byte}, bool, int, out Mat?, out string?)"/> decodes
    /// <paramref name="jpeg"/> at for <paramref name="scale"/>, and its scale in eighths, read from the header alone.
    /// False for a stream whose header TurboJPEG refuses, and for colour spaces other than YCbCr and gray (CMYK is
    /// OpenCV's).
    /// </summary>
    public static unsafe bool TryReadSize(ReadOnlySpan<byte> jpeg, DecodeScale scale, out DecodedSize size)
    {
        if (Unavailable is { } why)
            throw new InvalidOperationException(why);
        IntPtr handle = Rent();
        bool healthy = false;
        try
        {
            int w, h, subsampling, colorspace;
            fixed (byte* source = jpeg)
                healthy = TurboJpeg.tjDecompressHeader3(handle, source, (nuint)jpeg.Length, &w, &h, &subsampling, &colorspace) == 0;
            var (sw, sh) = healthy ? ScaledSize(w, h, scale) : (0, 0);
            size = new DecodedSize(sw, sh, Eighths(w, h, sw, sh));
            return healthy && colorspace is TurboJpeg.ColorspaceYCbCr or TurboJpeg.ColorspaceGray;
        }
        finally
        {
            Return(handle, healthy);
        }
    }

    /// <summary>
    /// Decodes only <paramref name="region"/> of <paramref name="jpeg"/> at <paramref name="size"/> (what
    /// <see cref="TryReadSize"/> gave for the clip's first frame). The result is a <paramref name="region"/>-sized view
    /// the caller owns, of a frame-sized buffer whose pixels outside the region (and a margin around it) are not decoded;
    /// its pixels are those of the whole-frame decode at that size, bit for bit (a test checks thousands of random
    /// regions). Columns left and right of the region are only entropy-decoded, rows below it not at all. False, with the
    /// reason, for data libjpeg refuses or warns about and for a frame of another size: the caller decodes those whole.
    /// </summary>
    /// <exception cref="InvalidOperationException">libtoolkit_jpeg is unavailable (<see cref="RegionsUnavailable"/>).</exception>
    public static unsafe bool TryDecodeRegion(ReadOnlySpan<byte> jpeg, bool gray, DecodedSize size, Rect region, out Mat? image, out string? problem)
    {
        if (RegionsUnavailable is { } why)
            throw new InvalidOperationException(why);
        if (size.Width <= 0 || size.Height <= 0 || size.Eighths is < 1 or > 8)
            throw new ArgumentOutOfRangeException(nameof(size), size, "not a decoded size");
        if (region.X < 0 || region.Y < 0 || region.Width <= 0 || region.Height <= 0 || region.Right > size.Width || region.Bottom > size.Height)
            throw new ArgumentOutOfRangeException(nameof(region), region, $"not inside the {size.Width}x{size.Height} frame");
        image = null;
        IntPtr handle = RentRegion();
        bool healthy = false;
        var frame = new Mat(size.Height, size.Width, gray ? MatType.CV_8UC1 : MatType.CV_8UC3);
        try
        {
            Span<byte> error = stackalloc byte[256];
            int rc;
            fixed (byte* source = jpeg)
            fixed (byte* message = error)
                rc = ToolkitJpeg.tkj_decode_region(handle, source, (nuint)jpeg.Length, size.Eighths, size.Width, size.Height,
                    region.X, region.Y, region.Width, region.Height, gray ? 1 : 0, (byte*)frame.Data, checked((int)frame.Step()), message, error.Length);
            if (rc != ToolkitJpeg.Ok)
            {
                int end = error.IndexOf((byte)0);
                string text = Encoding.UTF8.GetString(end >= 0 ? error[..end] : error);
                problem = rc == ToolkitJpeg.SizeDiffers ? $"is {text} at this scale, not {size.Width}x{size.Height}" : text;
                healthy = rc == ToolkitJpeg.SizeDiffers; // a decoder that stopped on an error is not trusted again
                return false;
            }
            image = new Mat(frame, region);
            problem = null;
            healthy = true;
            return true;
        }
        finally
        {
            frame.Dispose(); // the view keeps the pixels alive
            if (healthy)
                RegionPool.Add(handle);
            else
                ToolkitJpeg.tkj_destroy(handle);
        }
    }

    /// <summary>The scale, in eighths, that decodes a <paramref name="width"/> × <paramref name="height"/> JPEG to <paramref name="scaledWidth"/> × <paramref name="scaledHeight"/>.</summary>
    private static int Eighths(int width, int height, int scaledWidth, int scaledHeight)
    {
        if (scaledWidth == width && scaledHeight == height)
            return 8;
        foreach (int eighths in new[] { 1, 2, 4 })
            if ((width * eighths + 7) / 8 == scaledWidth && (height * eighths + 7) / 8 == scaledHeight)
                return eighths;
        return 8;
    }

    private static void Return(IntPtr handle, bool healthy)
    {
        if (healthy)
            Pool.Add(handle);
        else
            TurboJpeg.tjDestroy(handle);
    }

    private static IntPtr RentRegion()
    {
        if (RegionPool.TryTake(out IntPtr handle))
            return handle;
        handle = ToolkitJpeg.tkj_create();
        if (handle != IntPtr.Zero)
            return handle;
        string? why = Marshal.PtrToStringUTF8(ToolkitJpeg.tkj_load_error());
        throw new InvalidOperationException(string.IsNullOrEmpty(why) ? "tkj_create failed (out of memory)" : why);
    }

    private static IntPtr Rent()
    {
        if (Pool.TryTake(out IntPtr handle))
            return handle;
        handle = TurboJpeg.tjInitDecompress();
        return handle != IntPtr.Zero ? handle : throw new InvalidOperationException("tjInitDecompress failed");
    }

    private static string Error(IntPtr handle) => Marshal.PtrToStringUTF8(TurboJpeg.tjGetErrorStr2(handle)) ?? "unknown TurboJPEG error";

    /// <summary>Null when a decoder can be made (it goes into <paramref name="pool"/>), else <paramref name="why"/> with the reason.</summary>
    private static string? Probe(ConcurrentBag<IntPtr> pool, Func<IntPtr> rent, string why)
    {
        try
        {
            pool.Add(rent());
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            return string.Format(System.Globalization.CultureInfo.InvariantCulture, why, e.Message);
        }
    }
}

/// <summary>The size a JPEG frame decodes to and the DCT scale, in eighths, that gives it (8: whole, 4: half).</summary>
public readonly record struct DecodedSize(int Width, int Height, int Eighths);

/// <summary>
/// How far below its full size a JPEG may be decoded in the DCT domain: to a short side of at least
/// <paramref name="MinShortSide"/> (0: full size), at an exact half only (default: within 45 dB of the full-size path)
/// or, with <paramref name="Covering"/>, at the smallest of 1/8, 1/4 and 1/2 that still covers it (faster for small
/// shapes; the resize that follows gives the size asked for).
/// </summary>
public readonly record struct DecodeScale(int MinShortSide, bool Covering = false)
{
    /// <summary>Full size.</summary>
    public static DecodeScale Full => default;

    /// <summary>The request that decodes to <paramref name="size"/> again (its own short side, covering).</summary>
    public static DecodeScale Of(DecodedSize size) =>
        size.Eighths == 8 ? Full : new DecodeScale(Math.Min(size.Width, size.Height), Covering: true);
}
