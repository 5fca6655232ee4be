using OpenCvSharp;
using Toolkit.Augment.Color;

namespace Toolkit.Augment.Preview;

/// <summary>Turns clip frames of any kind into 8-bit BGR images to look at, and lays them out in a contact sheet.</summary>
public static class Display
{
    /// <summary>
    /// A viewable BGR copy of <paramref name="frame"/>: 8-bit colour as is; normalized colour de-normalized with
    /// <paramref name="normalize"/>; flow in the usual colour wheel (hue = direction, brightness = magnitude, 128 = still).
    /// </summary>
    public static Mat ToBgr(Mat frame, ClipKind kind, NormalizeParams? normalize)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (kind == ClipKind.Rgb)
        {
            if (frame.Type() == MatType.CV_8UC3)
                return frame.Clone();
            if (normalize is null)
            {
                var plain = new Mat();
                frame.ConvertTo(plain, MatType.CV_8UC3);
                return plain;
            }
            using var m = new Mat(3, 4, MatType.CV_32FC1, Scalar.All(0));
            for (int c = 0; c < 3; c++)
            {
                int target = normalize.ToRgb ? 2 - c : c; // back to BGR
                m.Set(target, c, (float)normalize.Std[c]);
                m.Set(target, 3, (float)normalize.Mean[c]);
            }
            using var restored = new Mat();
            Cv2.Transform(frame, restored, m);
            var bgr = new Mat();
            restored.ConvertTo(bgr, MatType.CV_8UC3);
            return bgr;
        }
        // Flow: to float pixels of motion (quantized: v − 128; normalized: 128·v), then the colour wheel.
        using var flow = new Mat();
        if (frame.Depth() == MatType.CV_8U)
            frame.ConvertTo(flow, MatType.CV_32FC2, 1, -128);
        else
            frame.ConvertTo(flow, MatType.CV_32FC2, normalize is null ? 1 : 128);
        var parts = Cv2.Split(flow);
        try
        {
            using var magnitude = new Mat();
            using var angle = new Mat();
            Cv2.CartToPolar(parts[0], parts[1], magnitude, angle, angleInDegrees: true);
            using var h = new Mat();
            using var v = new Mat();
            using var s = new Mat(frame.Rows, frame.Cols, MatType.CV_8UC1, Scalar.All(255));
            angle.ConvertTo(h, MatType.CV_8UC1, 0.5);
            magnitude.ConvertTo(v, MatType.CV_8UC1, 4);
            using var hsv = new Mat();
            Cv2.Merge([h, s, v], hsv);
            var bgr = new Mat();
            Cv2.CvtColor(hsv, bgr, ColorConversionCodes.HSV2BGR);
            return bgr;
        }
        finally
        {
            foreach (var p in parts)
                p.Dispose();
        }
    }

    /// <summary>
    /// Lays out rows of images (each scaled to <paramref name="cellHeight"/> pixels high, ratio kept) on a dark sheet
    /// with a small gap, each row's label written on its first cell. The images stay the caller's.
    /// </summary>
    public static Mat Sheet(IReadOnlyList<IReadOnlyList<Mat>> rows, int cellHeight, IReadOnlyList<string>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        const int gap = 4;
        var scaled = rows.Select(r => r.Select(m =>
        {
            var d = new Mat();
            int w = Math.Max(1, (int)Math.Round(m.Width * (double)cellHeight / m.Height));
            Cv2.Resize(m, d, new Size(w, cellHeight), 0, 0, InterpolationFlags.Area);
            return d;
        }).ToList()).ToList();
        try
        {
            int width = gap + scaled.Max(r => r.Sum(m => m.Width + gap));
            int height = gap + rows.Count * (cellHeight + gap);
            var sheet = new Mat(height, width, MatType.CV_8UC3, new Scalar(32, 32, 32));
            for (int i = 0; i < scaled.Count; i++)
            {
                int x = gap, y = gap + i * (cellHeight + gap);
                foreach (var m in scaled[i])
                {
                    using var target = new Mat(sheet, new Rect(x, y, m.Width, m.Height));
                    m.CopyTo(target);
                    x += m.Width + gap;
                }
                if (labels is not null && i < labels.Count)
                    Label(sheet, labels[i], new Point(gap + 3, y + 14));
            }
            return sheet;
        }
        finally
        {
            foreach (var m in scaled.SelectMany(r => r))
                m.Dispose();
        }
    }

    /// <summary>Draws <paramref name="text"/> with a dark outline so it reads on any background.</summary>
    public static void Label(Mat image, string text, Point at)
    {
        ArgumentNullException.ThrowIfNull(image);
        Cv2.PutText(image, text, at, HersheyFonts.HersheySimplex, 0.42, Scalar.Black, 3, LineTypes.AntiAlias);
        Cv2.PutText(image, text, at, HersheyFonts.HersheySimplex, 0.42, Scalar.White, 1, LineTypes.AntiAlias);
    }
}
