namespace Toolkit.Augment.Geometry;

/// <summary>A rectangle in (possibly fractional) pixels: left, top, width, height.</summary>
/// <param name="X">Left edge.</param>
/// <param name="Y">Top edge.</param>
/// <param name="W">Width.</param>
/// <param name="H">Height.</param>
public readonly record struct RectD(double X, double Y, double W, double H);

/// <summary>A crop box in whole pixels of the frame it was chosen on.</summary>
/// <param name="X">Left column.</param>
/// <param name="Y">Top row.</param>
/// <param name="W">Width.</param>
/// <param name="H">Height.</param>
public readonly record struct PixelBox(int X, int Y, int W, int H)
{
    /// <summary>The box as an OpenCV rectangle.</summary>
    public OpenCvSharp.Rect ToRect() => new(X, Y, W, H);

    /// <summary>The box in fractional coordinates.</summary>
    public RectD ToRectD() => new(X, Y, W, H);
}

/// <summary>
/// Maps pixel coordinates of a transformed clip back to the original frame: <c>source = Offset + Scale · current</c>
/// per axis (pixel edges, so a box maps to the area it was sampled from). Resizes multiply the scale, crops add to the
/// offset, a flip mirrors the x axis (a negative x scale).
/// </summary>
/// <param name="ScaleX">Original pixels per current pixel along x (negative after a flip).</param>
/// <param name="ScaleY">Original pixels per current pixel along y.</param>
/// <param name="OffsetX">Original x of current x = 0.</param>
/// <param name="OffsetY">Original y of current y = 0.</param>
/// <param name="SourceWidth">Width of the original frame.</param>
/// <param name="SourceHeight">Height of the original frame.</param>
public sealed record SourceMap(double ScaleX, double ScaleY, double OffsetX, double OffsetY, int SourceWidth, int SourceHeight)
{
    /// <summary>The map of an untransformed frame.</summary>
    public static SourceMap Identity(int width, int height) => new(1, 1, 0, 0, width, height);

    /// <summary>After resizing a <paramref name="fromW"/>×<paramref name="fromH"/> frame to <paramref name="toW"/>×<paramref name="toH"/>.</summary>
    public SourceMap Resized(int fromW, int fromH, int toW, int toH) =>
        this with { ScaleX = ScaleX * fromW / toW, ScaleY = ScaleY * fromH / toH };

    /// <summary>After cropping at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public SourceMap Cropped(int x, int y) =>
        this with { OffsetX = OffsetX + ScaleX * x, OffsetY = OffsetY + ScaleY * y };

    /// <summary>After a horizontal flip of a frame <paramref name="width"/> pixels wide.</summary>
    public SourceMap Flipped(int width) => this with { OffsetX = OffsetX + ScaleX * width, ScaleX = -ScaleX };

    /// <summary>Whether the frame is mirrored relative to the original (an odd number of flips).</summary>
    public bool Mirrored => ScaleX < 0;

    /// <summary>Maps a rectangle of current pixels to the original frame (normalized so width and height are positive).</summary>
    public RectD ToSource(RectD r)
    {
        double x0 = OffsetX + ScaleX * r.X, x1 = OffsetX + ScaleX * (r.X + r.W);
        double y0 = OffsetY + ScaleY * r.Y, y1 = OffsetY + ScaleY * (r.Y + r.H);
        return new RectD(Math.Min(x0, x1), Math.Min(y0, y1), Math.Abs(x1 - x0), Math.Abs(y1 - y0));
    }
}
