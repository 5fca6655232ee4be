using System.Runtime.InteropServices;

namespace Toolkit.Ingest.Imaging;

/// <summary>The TurboJPEG 2.x C API (turbojpeg.h), as shipped by Debian 12 / Ubuntu 22.04+: what <see cref="JpegEncoder"/> and <see cref="JpegDecoder"/> call.</summary>
internal static unsafe partial class TurboJpeg
{
    public const string Library = "libturbojpeg.so.0";
    public const int Samp420 = 2;          // TJSAMP_420
    public const int SampGray = 3;         // TJSAMP_GRAY
    public const int ColorspaceYCbCr = 1;  // TJCS_YCbCr
    public const int ColorspaceGray = 2;   // TJCS_GRAY
    public const int PixelBgr = 1;         // TJPF_BGR
    public const int PixelGray = 6;        // TJPF_GRAY
    public const int FlagNoRealloc = 1024; // TJFLAG_NOREALLOC
    public const int FlagStopOnWarning = 8192; // TJFLAG_STOPONWARNING

    [LibraryImport(Library)]
    public static partial IntPtr tjInitCompress();

    [LibraryImport(Library)]
    public static partial IntPtr tjInitDecompress();

    [LibraryImport(Library)]
    public static partial int tjDestroy(IntPtr handle);

    [LibraryImport(Library)]
    public static partial nuint tjBufSize(int width, int height, int subsamp);

    [LibraryImport(Library)]
    public static partial IntPtr tjAlloc(int bytes);

    [LibraryImport(Library)]
    public static partial void tjFree(IntPtr buffer);

    [LibraryImport(Library)]
    public static partial IntPtr tjGetErrorStr2(IntPtr handle);

    [LibraryImport(Library)]
    public static partial int tjCompressFromYUVPlanes(IntPtr handle, byte** planes, int width, int* strides, int height,
        int subsamp, IntPtr* jpeg, nuint* jpegSize, int quality, int flags);

    [LibraryImport(Library)]
    public static partial int tjCompress2(IntPtr handle, byte* source, int width, int pitch, int height, int pixelFormat,
        IntPtr* jpeg, nuint* jpegSize, int subsamp, int quality, int flags);

    [LibraryImport(Library)]
    public static partial int tjDecompressHeader3(IntPtr handle, byte* jpeg, nuint jpegSize, int* width, int* height, int* subsampling, int* colorspace);

    [LibraryImport(Library)]
    public static partial int tjDecompress2(IntPtr handle, byte* jpeg, nuint jpegSize, byte* destination, int width, int pitch, int height,
        int pixelFormat, int flags);
}
