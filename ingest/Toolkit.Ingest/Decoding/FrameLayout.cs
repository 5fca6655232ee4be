namespace Toolkit.Ingest.Decoding;

/// <summary>How the decoder lays out the pixels of one frame.</summary>
public enum PixelLayout
{
    /// <summary>
    /// Planar full-range YCbCr 4:2:0 (ffmpeg's <c>yuvj420p</c>): the Y plane, then Cb, then Cr, each tightly packed;
    /// chroma planes are ⌈W/2⌉×⌈H/2⌉. This is what a JPEG stores, and its Y plane is the gray image
    /// (0.299 R + 0.587 G + 0.114 B, as OpenCV's BGR2GRAY).
    /// </summary>
    Yuv420,

    /// <summary>8-bit gray, W×H, for flow-only runs.</summary>
    Gray,
}

/// <summary>The size and pixel layout of the raw frames a decoder delivers.</summary>
public sealed record FrameLayout(FrameSize Size, PixelLayout Pixels)
{
    /// <summary>Bytes of the Y (gray) plane, at the start of every frame.</summary>
    public int LumaBytes => Size.Width * Size.Height;

    /// <summary>Width of each chroma plane.</summary>
    public int ChromaWidth => (Size.Width + 1) / 2;

    /// <summary>Height of each chroma plane.</summary>
    public int ChromaHeight => (Size.Height + 1) / 2;

    /// <summary>Bytes of one chroma plane (zero for gray).</summary>
    public int ChromaBytes => Pixels == PixelLayout.Yuv420 ? ChromaWidth * ChromaHeight : 0;

    /// <summary>Bytes of one whole frame.</summary>
    public int FrameBytes => LumaBytes + (2 * ChromaBytes);

    /// <summary>The matching ffmpeg <c>-pix_fmt</c>.</summary>
    public string FfmpegPixelFormat => Pixels == PixelLayout.Yuv420 ? "yuvj420p" : "gray";
}
