using ScottPlot;

namespace Toolkit.Charts;

/// <summary>Fonts for ScottPlot charts drawn on a bare Debian (the estimate report, the multigrid schedule plot).</summary>
public static class ChartFonts
{
    private static readonly Lock Gate = new();
    private static bool ready;

    /// <summary>
    /// SkiaSharp's Linux build without fontconfig finds no system font by itself: register DejaVu Sans (Debian's
    /// <c>fonts-dejavu-core</c>) when it is there, so chart text is drawn. Idempotent and thread-safe.
    /// </summary>
    public static void Ensure()
    {
        lock (Gate)
        {
            if (ready)
                return;
            const string dejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
            const string dejaVuBold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
            if (File.Exists(dejaVu))
            {
                Fonts.AddFontFile("DejaVu Sans", dejaVu, bold: false, italic: false);
                if (File.Exists(dejaVuBold))
                    Fonts.AddFontFile("DejaVu Sans", dejaVuBold, bold: true, italic: false);
                Fonts.Default = "DejaVu Sans";
            }
            ready = true;
        }
    }
}
