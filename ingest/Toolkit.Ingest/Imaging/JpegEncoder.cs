using System.Runtime.InteropServices;
using Toolkit.Core;
using Toolkit.Ingest.Decoding;

namespace Toolkit.Ingest.Imaging;

/// <summary>
/// Encodes rawframes and flow images as baseline JPEG with libjpeg-turbo's TurboJPEG API (Debian: <c>libturbojpeg0</c>).
/// Colour frames are compressed straight from the planar full-range YCbCr 4:2:0 that ffmpeg delivers, which is what a
/// JPEG stores: no YCbCr → BGR → YCbCr round trip and no chroma resampling on our side. Quality and quantization tables
/// are libjpeg's (<c>jpeg_set_quality</c>), the same as OpenCV's <c>imwrite</c> with <c>IMWRITE_JPEG_QUALITY</c>.
/// </summary>
/// <remarks>One encoder per thread: it owns a TurboJPEG handle and an output buffer that grows to the largest frame.</remarks>
public sealed class JpegEncoder : IDisposable
{
    private readonly int _quality;
    private IntPtr _handle;
    private IntPtr _buffer;
    private nuint _capacity;

    /// <summary>Creates an encoder for quality 1..100.</summary>
    /// <exception cref="ToolkitError">libturbojpeg cannot be loaded.</exception>
    public JpegEncoder(int quality)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        _quality = quality;
        _handle = Load(TurboJpeg.tjInitCompress);
        if (_handle == IntPtr.Zero)
            throw new InvalidOperationException("tjInitCompress failed");
    }

    /// <summary>Fails early, with what to install, when libturbojpeg is missing.</summary>
    /// <exception cref="ToolkitError">libturbojpeg cannot be loaded.</exception>
    public static void EnsureAvailable() => new JpegEncoder(90).Dispose();

    /// <summary>Encodes one frame laid out as <see cref="PixelLayout.Yuv420"/> (Y, then Cb, then Cr planes, tightly packed).</summary>
    public unsafe byte[] EncodeYuv420(ReadOnlySpan<byte> frame, FrameSize size)
    {
        var layout = new FrameLayout(size, PixelLayout.Yuv420);
        if (frame.Length < layout.FrameBytes)
            throw new ArgumentException($"a {size.Width}x{size.Height} YCbCr 4:2:0 frame needs {layout.FrameBytes} bytes, got {frame.Length}", nameof(frame));
        Reserve(TurboJpeg.tjBufSize(size.Width, size.Height, TurboJpeg.Samp420));
        fixed (byte* p = frame)
        {
            byte** planes = stackalloc byte*[3];
            int* strides = stackalloc int[3];
            planes[0] = p;
            planes[1] = p + layout.LumaBytes;
            planes[2] = p + layout.LumaBytes + layout.ChromaBytes;
            strides[0] = size.Width;
            strides[1] = layout.ChromaWidth;
            strides[2] = layout.ChromaWidth;
            IntPtr output = _buffer;
            nuint length = _capacity;
            int rc = TurboJpeg.tjCompressFromYUVPlanes(_handle, planes, size.Width, strides, size.Height, TurboJpeg.Samp420,
                &output, &length, _quality, TurboJpeg.FlagNoRealloc);
            return Result(rc, output, length);
        }
    }

    /// <summary>Encodes one 8-bit gray image whose rows are <paramref name="stride"/> bytes apart.</summary>
    public unsafe byte[] EncodeGray(ReadOnlySpan<byte> pixels, int width, int height, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, width);
        long needed = ((long)stride * (height - 1)) + width;
        if (pixels.Length < needed)
            throw new ArgumentException($"a {width}x{height} gray image with stride {stride} needs {needed} bytes, got {pixels.Length}", nameof(pixels));
        Reserve(TurboJpeg.tjBufSize(width, height, TurboJpeg.SampGray));
        fixed (byte* p = pixels)
        {
            IntPtr output = _buffer;
            nuint length = _capacity;
            int rc = TurboJpeg.tjCompress2(_handle, p, width, stride, height, TurboJpeg.PixelGray,
                &output, &length, TurboJpeg.SampGray, _quality, TurboJpeg.FlagNoRealloc);
            return Result(rc, output, length);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_buffer != IntPtr.Zero)
        {
            TurboJpeg.tjFree(_buffer);
            _buffer = IntPtr.Zero;
        }
        if (_handle != IntPtr.Zero)
        {
            _ = TurboJpeg.tjDestroy(_handle);
            _handle = IntPtr.Zero;
        }
    }

    private void Reserve(nuint bytes)
    {
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        if (bytes == unchecked((nuint)(-1)) || bytes == 0)
            throw new ArgumentException("the image size is out of the range TurboJPEG supports");
        if (bytes <= _capacity)
            return;
        if (_buffer != IntPtr.Zero)
            TurboJpeg.tjFree(_buffer);
        _capacity = 0;
        _buffer = TurboJpeg.tjAlloc(checked((int)bytes));
        if (_buffer == IntPtr.Zero)
            throw new OutOfMemoryException($"tjAlloc({bytes}) failed");
        _capacity = bytes;
    }

    private unsafe byte[] Result(int rc, IntPtr output, nuint length)
    {
        if (rc != 0)
            throw new InvalidOperationException($"JPEG encoding failed: {Marshal.PtrToStringUTF8(TurboJpeg.tjGetErrorStr2(_handle))}");
        if (output != _buffer)
            throw new InvalidOperationException("TurboJPEG replaced a no-realloc buffer"); // cannot happen with TJFLAG_NOREALLOC
        return new ReadOnlySpan<byte>((void*)output, checked((int)length)).ToArray();
    }

    private static T Load<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new ToolkitError(TurboJpeg.Library, $"could not be loaded ({e.Message})",
                "Install libjpeg-turbo's TurboJPEG library: apt-get install libturbojpeg0 (./setup.sh does this)", e);
        }
    }
}
