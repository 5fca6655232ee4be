using ScottPlot;
using SkiaSharp;

namespace Toolkit.Charts;

/// <summary>Several ScottPlot charts stacked top to bottom into one PNG (reports that show related panels over one x axis).</summary>
public static class StackedCharts
{
    /// <summary>
    /// Renders each plot at <paramref name="width"/> × <paramref name="height"/> and stacks them; returns PNG bytes.
    /// The plots are not disposed.
    /// </summary>
    public static byte[] Png(IReadOnlyList<Plot> plots, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(plots);
        ArgumentOutOfRangeException.ThrowIfZero(plots.Count);
        ChartFonts.Ensure();
        using var surface = SKSurface.Create(new SKImageInfo(width, height * plots.Count));
        surface.Canvas.Clear(SKColors.White);
        for (int i = 0; i < plots.Count; i++)
        {
            using var image = SKBitmap.Decode(plots[i].GetImageBytes(width, height, ImageFormat.Png));
            surface.Canvas.DrawBitmap(image, 0, i * height);
        }
        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
