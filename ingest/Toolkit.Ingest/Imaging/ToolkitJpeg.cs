using System.Runtime.InteropServices;

namespace Toolkit.Ingest.Imaging;

/// <summary>The C ABI of <c>libtoolkit_jpeg.so</c> (ingest/Toolkit.Ingest.Native/toolkit_jpeg.c): cropped, scaled JPEG decoding over libjpeg-turbo.</summary>
internal static unsafe partial class ToolkitJpeg
{
    public const string Library = "toolkit_jpeg";
    public const int Ok = 0;
    public const int SizeDiffers = 4;

    [LibraryImport(Library)]
    public static partial IntPtr tkj_create();

    [LibraryImport(Library)]
    public static partial void tkj_destroy(IntPtr handle);

    [LibraryImport(Library)]
    public static partial int tkj_decode_region(IntPtr handle, byte* jpeg, nuint length, int scaleNum, int width, int height,
        int x, int y, int w, int h, int gray, byte* destination, int destinationStride, byte* error, int errorLength);

    [LibraryImport(Library)]
    public static partial IntPtr tkj_load_error();
}
