using System.Globalization;
using System.Net;
using System.Text;
using ScottPlot;
using Toolkit.Charts;

namespace Toolkit.Estimator.Reporting;

/// <summary>One chart of the HTML report, drawn by ScottPlot and embedded as a base64 PNG.</summary>
/// <param name="Id">Stable identifier (<c>data-chart</c> attribute of its <c>img</c>): <c>bytes-by-format</c>, <c>files-by-format</c>,
/// <c>bytes-by-split</c>, <c>files-by-split</c>, <c>rgb-bytes-per-frame</c>, <c>flow-bytes-per-frame</c>, <c>time-by-algorithm</c>.</param>
/// <param name="Title">Caption shown under the chart (plain text).</param>
/// <param name="Png">The PNG image.</param>
public sealed record HtmlChart(string Id, string Title, byte[] Png);

/// <summary>
/// Writes an <see cref="EstimateReport"/> as one self-contained HTML page: the console report's tables, the assumptions,
/// and charts drawn with ScottPlot, embedded as <c>data:image/png;base64</c> images (no external reference of any kind).
/// Every piece of text from the report (paths, reasons) is HTML-escaped.
/// </summary>
public static class HtmlReport
{
    /// <summary>Width of each chart in pixels.</summary>
    public const int ChartWidth = 800;

    /// <summary>Height of each chart in pixels.</summary>
    public const int ChartHeight = 400;

    private static readonly string[] FormatOrder = [FormatNames.Videos, FormatNames.Rgb, FormatNames.Flow, FormatNames.RgbFlow];
    private static readonly string[] SplitFormats = [FormatNames.Rgb, FormatNames.Flow, FormatNames.RgbFlow];
    private static readonly Color MeasuredColor = Color.FromHex("#1f77b4");
    private static readonly Color ModelColor = Color.FromHex("#9aa7b4");
    private static readonly Color[] SeriesColors = [Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c")];

    /// <summary>
    /// The charts of <paramref name="report"/>: bytes and files by format (and by split for presets), the bytes-per-frame
    /// distribution of the measured sample, and conversion time per task and algorithm.
    /// </summary>
    /// <param name="report">The estimate.</param>
    public static IReadOnlyList<HtmlChart> Charts(EstimateReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sampled = report.Sample?.Measured;
        ChartFonts.Ensure();
        var charts = new List<HtmlChart>();
        var formats = FormatOrder.Where(report.Formats.ContainsKey).Select(n => (Name: n, Estimate: report.Formats[n])).ToList();

        var withBytes = formats.Where(f => f.Estimate.Bytes is not null).ToList();
        if (withBytes.Count > 0)
        {
            var (unit, scale) = ByteUnit(withBytes.Max(f => (double)(f.Estimate.BytesCi95?[1] ?? f.Estimate.Bytes!.Value)));
            var bars = withBytes.Select((f, i) => new Bar
            {
                Position = i,
                Value = f.Estimate.Bytes!.Value / scale,
                FillColor = f.Estimate.Source.StartsWith("measured", StringComparison.Ordinal) || f.Estimate.Source == "exact" ? MeasuredColor : ModelColor,
                Error = f.Estimate.BytesCi95 is [var low, var high] ? (high - low) / 2.0 / scale : 0,
            }).ToList();
            bool anyInterval = withBytes.Any(f => f.Estimate.BytesCi95 is [var l, var h] && h > l);
            charts.Add(Draw("bytes-by-format", $"Bytes by format ({unit}){(anyInterval ? ", with the 95% interval" : "")}; blue: measured or exact, grey: modelled",
                plot =>
                {
                    plot.Add.Bars(bars);
                    plot.Axes.Bottom.SetTicks(Positions(withBytes.Count), withBytes.Select(f => Label(f.Name)).ToArray());
                    plot.YLabel(unit);
                    plot.Axes.Margins(bottom: 0);
                }));
        }

        var (filesUnit, filesScale) = CountUnit(formats.Max(f => (double)f.Estimate.Files));
        charts.Add(Draw("files-by-format", $"Files by format ({filesUnit}); the videos bar is the source files", plot =>
        {
            plot.Add.Bars(formats.Select((f, i) => new Bar { Position = i, Value = f.Estimate.Files / filesScale, FillColor = MeasuredColor }).ToList());
            plot.Axes.Bottom.SetTicks(Positions(formats.Count), formats.Select(f => Label(f.Name)).ToArray());
            plot.YLabel(filesUnit);
            plot.Axes.Margins(bottom: 0);
        }));

        if (report.Splits.Count > 0)
        {
            double maxBytes = report.Splits.SelectMany(s => SplitFormats.Select(n => (double)(s.Formats.GetValueOrDefault(n)?.Bytes ?? 0))).Max();
            var (splitUnit, splitScale) = ByteUnit(maxBytes);
            charts.Add(Draw("bytes-by-split", $"Bytes by split and format ({splitUnit})",
                plot => GroupedBars(plot, report.Splits, f => (f.Bytes ?? 0) / splitScale, splitUnit)));
            double maxFiles = report.Splits.SelectMany(s => SplitFormats.Select(n => (double)(s.Formats.GetValueOrDefault(n)?.Files ?? 0))).Max();
            var (splitFilesUnit, splitFilesScale) = CountUnit(maxFiles);
            charts.Add(Draw("files-by-split", $"Files by split and format ({splitFilesUnit})",
                plot => GroupedBars(plot, report.Splits, f => f.Files / splitFilesScale, splitFilesUnit)));
        }

        if (sampled is { Count: > 0 })
        {
            var rgb = sampled.Where(v => v.RgbFiles > 0).Select(v => (double)v.RgbBytes / v.RgbFiles).ToArray();
            if (rgb.Length > 0)
                charts.Add(Histogram("rgb-bytes-per-frame", $"RGB bytes per frame of the {rgb.Length} sampled video(s) (KiB per image)", rgb, SeriesColors[0]));
            var flow = sampled.Where(v => v.FlowFiles >= 2).Select(v => v.FlowBytes / (v.FlowFiles / 2.0)).ToArray();
            if (flow.Length > 0)
                charts.Add(Histogram("flow-bytes-per-frame", $"Flow bytes per frame pair of the {flow.Length} sampled video(s) (KiB per x + y pair)", flow, SeriesColors[1]));
        }

        if (report.Time.Count > 0)
        {
            var (timeUnit, timeScale) = TimeUnit(report.Time.Max(t => t.Seconds));
            var rows = report.Time.ToList();
            charts.Add(Draw("time-by-algorithm", $"Conversion time of the whole input per task and flow algorithm ({timeUnit}); blue: measured on this machine, grey: calibration machine",
                plot =>
                {
                    var bars = plot.Add.Bars(rows.Select((t, i) => new Bar
                    {
                        Position = rows.Count - 1 - i,
                        Value = t.Seconds / timeScale,
                        FillColor = t.Source == "measured" ? MeasuredColor : ModelColor,
                    }).ToList());
                    bars.Horizontal = true;
                    plot.Axes.Left.SetTicks(Positions(rows.Count), rows.Select(t => t.Algorithm is null ? t.Task : $"{t.Task} {t.Algorithm}").Reverse().ToArray());
                    plot.XLabel(timeUnit);
                    plot.Axes.Margins(left: 0);
                }));
        }
        return charts;
    }

    /// <summary>The report as one self-contained HTML page.</summary>
    /// <param name="report">The estimate.</param>
    public static string ToHtml(EstimateReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var charts = Charts(report);
        var sampled = report.Sample?.Measured;
        var s = report.Settings;
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.Append(CultureInfo.InvariantCulture, $"<meta name=\"toolkit-charts\" content=\"{charts.Count}\">\n");
        h.Append(CultureInfo.InvariantCulture, $"<title>toolkit estimate: {E(report.Input)}</title>\n");
        h.Append("<style>\nbody{font-family:sans-serif;margin:2em auto;max-width:60em;color:#222}\n"
            + "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em}td.n{text-align:right}th{background:#f3f3f3}\n"
            + "figure{margin:1.5em 0}figure img{max-width:100%;border:1px solid #ddd}figcaption{color:#555}\n"
            + ".bad{color:#b00;font-weight:bold}.ok{color:#070;font-weight:bold}code{word-break:break-all}\n</style>\n</head>\n<body>\n");
        h.Append(CultureInfo.InvariantCulture, $"<h1>toolkit estimate: <code>{E(report.Input)}</code></h1>\n");
        h.Append(CultureInfo.InvariantCulture, $"<p>Mode <b>{E(report.Mode)}</b>, {report.Videos:N0} videos; task {E(Lower(s.Task))}, flow {E(Lower(s.Flow))}, "
            + $"{(s.Size is { } size ? $"size {E(size.ToString())}" : $"short side {s.ShortSide}")}, JPEG quality {s.JpegQuality}"
            + $"{(s.Fps is { } fps ? $", {fps.ToString(CultureInfo.InvariantCulture)} fps" : "")}. Schema {E(report.Schema)}.</p>\n");

        h.Append(CultureInfo.InvariantCulture, $"<h2>Formats</h2>\n<table>\n<tr><th>format</th><th>bytes</th><th>95% interval</th><th>on disk ({report.BlockSize} B blocks)</th><th>files</th><th>per video (mean ± sd)</th><th>source</th></tr>\n");
        foreach (var (name, f) in report.Formats)
        {
            string perVideo = f.PerVideoMeanBytes is { } m ? EstimateWriters.Bytes(m) + (f.PerVideoSpreadBytes is { } sd ? " ± " + EstimateWriters.Bytes(sd) : "") : "–";
            h.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(name)}</td><td class=\"n\">{E(EstimateWriters.Bytes(f.Bytes))}</td><td>{E(EstimateWriters.Interval(f.BytesCi95))}</td><td class=\"n\">{E(EstimateWriters.Bytes(f.AllocatedBytes))}</td>"
                + $"<td class=\"n\">{f.Files:N0}</td><td>{E(perVideo)}</td><td>{E(f.Source)}</td></tr>\n");
        }
        h.Append("</table>\n");
        if (report.Splits.Count > 0)
        {
            h.Append("<h2>Splits</h2>\n<table>\n<tr><th>split</th><th>videos</th><th>rgb</th><th>flow</th><th>rgb + flow</th><th>files (rgb + flow)</th></tr>\n");
            foreach (var split in report.Splits)
            {
                h.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(split.Name)}</td><td class=\"n\">{split.Videos:N0}</td>"
                    + $"<td class=\"n\">{E(SplitBytes(split, FormatNames.Rgb))}</td><td class=\"n\">{E(SplitBytes(split, FormatNames.Flow))}</td>"
                    + $"<td class=\"n\">{E(SplitBytes(split, FormatNames.RgbFlow))}</td><td class=\"n\">{(split.Formats.GetValueOrDefault(FormatNames.RgbFlow)?.Files ?? 0):N0}</td></tr>\n");
            }
            h.Append("</table>\n");
        }
        h.Append("<h2>Conversion time</h2>\n<table>\n<tr><th>task</th><th>flow</th><th>time</th><th>frames/s</th><th>source</th></tr>\n");
        foreach (var t in report.Time)
        {
            h.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(t.Task)}</td><td>{E(t.Algorithm ?? "–")}</td><td class=\"n\">{E(EstimateWriters.Duration(t.Seconds))}</td>"
                + $"<td class=\"n\">{t.FramesPerSecond.ToString("0.#", CultureInfo.InvariantCulture)}</td><td>{E(t.Source)}</td></tr>\n");
        }
        h.Append("</table>\n");

        if (report.Sample is { } sample)
        {
            h.Append(CultureInfo.InvariantCulture, $"<h2>Sample</h2>\n<p>{sample.Used} of {sample.Requested} requested video(s) extracted in "
                + $"{sample.Seconds.ToString("0.#", CultureInfo.InvariantCulture)} s (seed {sample.Seed}), then deleted.</p>\n");
            if (sampled is { Count: > 0 })
            {
                h.Append("<table>\n<tr><th>video</th><th>rgb files</th><th>rgb bytes</th><th>probe predicted</th><th>flow files</th><th>flow bytes</th><th>probe predicted</th></tr>\n");
                foreach (var v in sampled)
                {
                    h.Append(CultureInfo.InvariantCulture, $"<tr><td><code>{E(v.Path)}</code></td><td class=\"n\">{v.RgbFiles:N0}</td><td class=\"n\">{E(EstimateWriters.Bytes(v.RgbBytes))}</td>"
                        + $"<td class=\"n\">{E(EstimateWriters.Bytes(v.PredictedRgbBytes))}</td><td class=\"n\">{v.FlowFiles:N0}</td><td class=\"n\">{E(EstimateWriters.Bytes(v.FlowBytes))}</td>"
                        + $"<td class=\"n\">{E(EstimateWriters.Bytes(v.PredictedFlowBytes))}</td></tr>\n");
                }
                h.Append("</table>\n");
            }
            else
            {
                h.Append("<ul>\n");
                foreach (string v in sample.Videos)
                    h.Append(CultureInfo.InvariantCulture, $"<li><code>{E(v)}</code></li>\n");
                h.Append("</ul>\n<p>The bytes-per-frame distribution needs the per-video bytes of the sample, which this report does not carry.</p>\n");
            }
        }
        if (report.FreeSpace is { } fs)
        {
            h.Append(CultureInfo.InvariantCulture, $"<h2>Free space on <code>{E(fs.Target)}</code></h2>\n<p class=\"{(fs.BytesFit && fs.FilesFit ? "ok" : "bad")}\">"
                + $"{(fs.BytesFit && fs.FilesFit ? "fits" : "does not fit")}{(fs.BytesFit ? "" : " (bytes short)")}{(fs.FilesFit ? "" : " (inodes short)")}</p>\n"
                + $"<p>{E(fs.Format)} needs {E(EstimateWriters.Bytes(fs.NeededBytes))} and {fs.NeededFiles:N0} inodes; free: {E(EstimateWriters.Bytes(fs.FreeBytes))} and "
                + $"{(fs.FreeFiles is { } ff ? ff.ToString("N0", CultureInfo.InvariantCulture) : "unlimited")} inodes.</p>\n");
        }
        if (report.Excluded.Count > 0)
        {
            h.Append(CultureInfo.InvariantCulture, $"<h2>Excluded ({report.Excluded.Count})</h2>\n<ul>\n");
            foreach (var e in report.Excluded)
                h.Append(CultureInfo.InvariantCulture, $"<li><code>{E(e.Path)}</code>: {E(e.Reason)}</li>\n");
            h.Append("</ul>\n");
        }

        h.Append("<h2>Charts</h2>\n");
        foreach (var chart in charts)
        {
            h.Append(CultureInfo.InvariantCulture, $"<figure><img data-chart=\"{E(chart.Id)}\" width=\"{ChartWidth}\" height=\"{ChartHeight}\" alt=\"{E(chart.Title)}\" "
                + $"src=\"data:image/png;base64,{Convert.ToBase64String(chart.Png)}\"><figcaption>{E(chart.Title)}</figcaption></figure>\n");
        }

        h.Append("<h2>Where the numbers come from</h2>\n<ul>\n");
        foreach (string a in report.Assumptions)
            h.Append(CultureInfo.InvariantCulture, $"<li>{E(a)}</li>\n");
        h.Append("</ul>\n<p>Written by <code>toolkit estimate</code>; charts drawn with ScottPlot. The same numbers as JSON: <code>--json</code> (standard output) or <code>--json-out FILE</code> (schema in docs/estimate.md).</p>\n</body>\n</html>\n");
        return h.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string Label(string format) => format == FormatNames.RgbFlow ? "rgb + flow" : format;

    private static string SplitBytes(SplitEstimate split, string format) => EstimateWriters.Bytes(split.Formats.GetValueOrDefault(format)?.Bytes);

    private static double[] Positions(int count) => Enumerable.Range(0, count).Select(i => (double)i).ToArray();

    private static HtmlChart Draw(string id, string title, Action<Plot> build)
    {
        using var plot = new Plot();
        build(plot);
        plot.Title(title.Split(';')[0].Split(" (")[0]);
        return new HtmlChart(id, title, plot.GetImageBytes(ChartWidth, ChartHeight, ImageFormat.Png));
    }

    private static void GroupedBars(Plot plot, IReadOnlyList<SplitEstimate> splits, Func<FormatEstimate, double> value, string unit)
    {
        const double groupWidth = 0.8;
        double barWidth = groupWidth / SplitFormats.Length;
        for (int k = 0; k < SplitFormats.Length; k++)
        {
            string format = SplitFormats[k];
            var bars = plot.Add.Bars(splits.Select((s, i) => new Bar
            {
                Position = i - groupWidth / 2 + barWidth * (k + 0.5),
                Value = s.Formats.GetValueOrDefault(format) is { } f ? value(f) : 0,
                Size = barWidth,
                FillColor = SeriesColors[k],
            }).ToList());
            bars.LegendText = Label(format);
        }
        plot.Axes.Bottom.SetTicks(Positions(splits.Count), splits.Select(s => s.Name).ToArray());
        plot.YLabel(unit);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.Margins(bottom: 0);
    }

    private static HtmlChart Histogram(string id, string title, double[] bytesPerFrame, Color color)
    {
        var kib = bytesPerFrame.Select(b => b / 1024).ToArray();
        double min = kib.Min(), max = kib.Max();
        int binCount = Math.Clamp((int)Math.Ceiling(Math.Sqrt(kib.Length)), 1, 20);
        double width = max > min ? (max - min) / binCount : Math.Max(min * 0.05, 0.1);
        double start = max > min ? min : min - width / 2;
        var counts = new int[binCount];
        foreach (double v in kib)
            counts[Math.Min(binCount - 1, (int)((v - start) / width))]++;
        return Draw(id, title, plot =>
        {
            plot.Add.Bars(counts.Select((c, i) => new Bar { Position = start + width * (i + 0.5), Value = c, Size = width * 0.95, FillColor = color }).ToList());
            var rug = plot.Add.ScatterPoints(kib, kib.Select(_ => 0.0).ToArray(), Colors.Black);
            rug.MarkerShape = MarkerShape.VerticalBar;
            rug.MarkerSize = 12;
            plot.XLabel("KiB per frame (ticks: one per video)");
            plot.YLabel("videos");
            plot.Axes.Margins(bottom: 0);
        });
    }

    private static (string Unit, double Scale) ByteUnit(double max)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        int i = 0;
        double scale = 1;
        while (max / scale >= 1024 && i < units.Length - 1)
        {
            scale *= 1024;
            i++;
        }
        return (units[i], scale);
    }

    private static (string Unit, double Scale) CountUnit(double max) =>
        max >= 1e9 ? ("billion files", 1e9) : max >= 1e6 ? ("million files", 1e6) : max >= 1e4 ? ("thousand files", 1e3) : ("files", 1);

    private static (string Unit, double Scale) TimeUnit(double maxSeconds) =>
        maxSeconds >= 3 * 86400 ? ("days", 86400) : maxSeconds >= 3 * 3600 ? ("hours", 3600) : maxSeconds >= 180 ? ("minutes", 60) : ("seconds", 1);
}
