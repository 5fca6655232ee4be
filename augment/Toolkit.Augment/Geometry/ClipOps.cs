using OpenCvSharp;

namespace Toolkit.Augment.Geometry;

/// <summary>
/// Pure spatial kernels: every parameter explicit, the input clip never changed, a new clip returned (the caller owns
/// it) with its <see cref="SourceMap"/> updated and <c>record</c> appended to <see cref="Clip.Applied"/>.
/// One OpenCV call per frame (no per-pixel C# loops).
/// </summary>
public static class ClipOps
{
    /// <summary>Resizes every frame to exactly <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static Clip Resize(Clip clip, int width, int height, InterpolationFlags interpolation, TransformParams record)
    {
        ArgumentNullException.ThrowIfNull(clip);
        int w0 = clip.Width, h0 = clip.Height;
        return Derive(clip, f => ResizeFrame(f, width, height, interpolation), m => m.Resized(w0, h0, width, height), record);
    }

    /// <summary>One frame resized to <paramref name="width"/>×<paramref name="height"/>; the caller owns the result.</summary>
    public static Mat ResizeFrame(Mat frame, int width, int height, InterpolationFlags interpolation)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var dst = new Mat();
        Cv2.Resize(frame, dst, new Size(width, height), 0, 0, interpolation);
        return dst;
    }

    /// <summary>
    /// A view of <paramref name="box"/> in <paramref name="frame"/>: no copy, the pixels are shared (OpenCV reference-counts
    /// them, so the view stays valid after the frame is disposed). Copy it before handing it out.
    /// </summary>
    public static Mat CropView(Mat frame, PixelBox box)
    {
        ArgumentNullException.ThrowIfNull(frame);
        CheckInside(box, frame.Width, frame.Height);
        return new Mat(frame, box.ToRect());
    }

    /// <summary>Crops every frame to <paramref name="box"/> (copied: the result shares no pixels with the input).</summary>
    public static Clip Crop(Clip clip, PixelBox box, TransformParams record)
    {
        ArgumentNullException.ThrowIfNull(clip);
        CheckInside(box, clip.Width, clip.Height);
        var rect = box.ToRect();
        return Derive(clip, f =>
        {
            using var view = new Mat(f, rect);
            return view.Clone();
        }, m => m.Cropped(box.X, box.Y), record);
    }

    /// <summary>Crops every frame to <paramref name="box"/> and resizes the crop to <paramref name="width"/>×<paramref name="height"/> (one pass, no copy of the crop).</summary>
    public static Clip ResizedCrop(Clip clip, PixelBox box, int width, int height, InterpolationFlags interpolation, TransformParams record)
    {
        ArgumentNullException.ThrowIfNull(clip);
        CheckInside(box, clip.Width, clip.Height);
        var rect = box.ToRect();
        return Derive(clip, f =>
        {
            using var view = new Mat(f, rect);
            var dst = new Mat();
            Cv2.Resize(view, dst, new Size(width, height), 0, 0, interpolation);
            return dst;
        }, m => m.Cropped(box.X, box.Y).Resized(box.W, box.H, width, height), record);
    }

    /// <summary>
    /// Mirrors every frame left to right. Flow frames also invert their x component, since motion to the right becomes
    /// motion to the left: <c>255 − v</c> on quantized flow (<c>CV_8UC2</c>, as mmaction2's <c>iminvert</c>), <c>−v</c>
    /// on float flow.
    /// </summary>
    public static Clip FlipHorizontal(Clip clip, TransformParams record)
    {
        ArgumentNullException.ThrowIfNull(clip);
        int w = clip.Width;
        var kind = clip.Kind;
        return Derive(clip, f => FlipFrame(f, kind), m => m.Flipped(w), record);
    }

    /// <summary>
    /// Several crops of every frame, stacked view after view (the mmaction2 layout): view v of the result holds the
    /// crop at <paramref name="boxes"/>[v], mirrored when <paramref name="flips"/>[v].
    /// </summary>
    public static Clip MultiCrop(Clip clip, IReadOnlyList<PixelBox> boxes, IReadOnlyList<bool> flips, TransformParams record)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(flips);
        if (clip.Views != 1)
            throw new ArgumentException("multi-view crops need a single-view clip", nameof(clip));
        if (boxes.Count != flips.Count || boxes.Count == 0)
            throw new ArgumentException("one flip flag per box, at least one box");
        foreach (var b in boxes)
            CheckInside(b, clip.Width, clip.Height);
        var frames = new List<Mat>(boxes.Count * clip.Frames.Count);
        var maps = new List<SourceMap>(boxes.Count);
        try
        {
            for (int v = 0; v < boxes.Count; v++)
            {
                var rect = boxes[v].ToRect();
                foreach (var f in clip.Frames)
                {
                    using var view = new Mat(f, rect);
                    frames.Add(flips[v] ? FlipFrame(view, clip.Kind) : view.Clone());
                }
                var map = clip.Map.Cropped(boxes[v].X, boxes[v].Y);
                maps.Add(flips[v] ? map.Flipped(boxes[v].W) : map);
            }
            return new Clip(frames, clip.Kind, boxes.Count, maps[0], [.. clip.Applied, record], maps);
        }
        catch
        {
            foreach (var f in frames)
                f.Dispose();
            throw;
        }
    }

    /// <summary>Mirrors one frame (flow-aware, see <see cref="FlipHorizontal"/>); the caller owns the result.</summary>
    public static Mat FlipFrame(Mat frame, ClipKind kind)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var dst = new Mat();
        Cv2.Flip(frame, dst, FlipMode.Y);
        if (kind == ClipKind.Flow)
        {
            // x' = 255 - x (8-bit) or -x (float); y unchanged: one affine colour transform, saturating for 8-bit.
            bool quantized = frame.Depth() == MatType.CV_8U;
            using var m = new Mat(2, 3, MatType.CV_32FC1);
            m.Set(0, 0, -1f); m.Set(0, 1, 0f); m.Set(0, 2, quantized ? 255f : 0f);
            m.Set(1, 0, 0f); m.Set(1, 1, 1f); m.Set(1, 2, 0f);
            var inverted = new Mat();
            Cv2.Transform(dst, inverted, m);
            dst.Dispose();
            return inverted;
        }
        return dst;
    }

    private static void CheckInside(PixelBox box, int width, int height)
    {
        if (box.W < 1 || box.H < 1 || box.X < 0 || box.Y < 0 || box.X + box.W > width || box.Y + box.H > height)
            throw new ArgumentOutOfRangeException(nameof(box), $"box {box} is not inside a {width}x{height} frame");
    }

    /// <summary>Applies <paramref name="perFrame"/> to every frame and every view map; disposes partial results on failure.</summary>
    internal static Clip Derive(Clip clip, Func<Mat, Mat> perFrame, Func<SourceMap, SourceMap> mapUpdate, TransformParams record, ClipKind? kind = null)
    {
        var frames = new List<Mat>(clip.Frames.Count);
        try
        {
            foreach (var f in clip.Frames)
                frames.Add(perFrame(f));
            var maps = clip.ViewMaps.Select(mapUpdate).ToArray();
            return new Clip(frames, kind ?? clip.Kind, clip.Views, maps[0], [.. clip.Applied, record], maps);
        }
        catch
        {
            foreach (var f in frames)
                f.Dispose();
            throw;
        }
    }
}
