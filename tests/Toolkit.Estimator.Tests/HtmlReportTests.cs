using System.Net;
using System.Text.RegularExpressions;
using SkiaSharp;
using Toolkit.Estimator.Presets;
using Toolkit.Estimator.Reporting;
using Toolkit.Ingest;

namespace Toolkit.Estimator.Tests;

[Trait("Category", "Unit")]
public sealed partial class HtmlReportTests
{
    private const string NastyFolder = "/data/a<x>&\"c\"/vid's";
    private static readonly HashSet<string> VoidElements = ["meta", "img", "br", "hr", "link", "input"];

    [Fact]
    public void ToHtml_PathsWithMarkupCharacters_AreEscapedEverywhere()
    {
        string html = HtmlReport.ToHtml(MeasuredReport(Sampled()));

        Assert.DoesNotContain("<x>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("a<x>&\"c\"", html, StringComparison.Ordinal);
        Assert.Contains("/data/a&lt;x&gt;&amp;&quot;c&quot;/vid&#39;s", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;.mp4", html, StringComparison.Ordinal);
        // Every text node decodes back to the original: the title carries the input verbatim.
        var title = TitleRegex().Match(html);
        Assert.True(title.Success);
        Assert.Equal($"toolkit estimate: {NastyFolder}", WebUtility.HtmlDecode(title.Groups[1].Value));
    }

    [Fact]
    public void ToHtml_IsWellFormed_EveryElementClosedInOrder()
    {
        string html = HtmlReport.ToHtml(MeasuredReport(Sampled()));

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        var open = new Stack<string>();
        foreach (Match tag in TagRegex().Matches(html))
        {
            string name = tag.Groups[2].Value.ToLowerInvariant();
            if (tag.Groups[1].Value == "/")
            {
                Assert.True(open.Count > 0, $"</{name}> closes nothing");
                Assert.Equal(open.Pop(), name);
            }
            else if (!VoidElements.Contains(name))
            {
                open.Push(name);
            }
        }
        Assert.Empty(open);
        // No stray markup characters outside tags: every '<' starts a tag, every '&' an entity.
        string text = TagRegex().Replace(html["<!DOCTYPE html>".Length..], "");
        Assert.DoesNotContain('<', text);
        Assert.DoesNotContain('>', text);
        Assert.Empty(Regex.Matches(text, "&(?!(?:amp|lt|gt|quot|#[0-9]+);)"));
    }

    [Fact]
    public void ToHtml_IsSelfContained_EveryChartEmbeddedAndDecodable()
    {
        var report = MeasuredReport(Sampled());
        string html = HtmlReport.ToHtml(report);

        Assert.Empty(Regex.Matches(html, "(?:src|href)\\s*=\\s*\"(?!data:)", RegexOptions.IgnoreCase));
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);

        var charts = ChartRegex().Matches(html);
        int declared = int.Parse(DeclaredRegex().Match(html).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(declared, charts.Count);
        Assert.Equal(["bytes-by-format", "files-by-format", "rgb-bytes-per-frame", "flow-bytes-per-frame", "time-by-algorithm"],
            charts.Select(m => m.Groups[1].Value).ToArray());
        foreach (Match chart in charts)
        {
            byte[] png = Convert.FromBase64String(chart.Groups[2].Value);
            AssertDrawnChart(png, chart.Groups[1].Value);
        }
    }

    [Fact]
    public void Charts_Preset_DrawsSplitsAndNoSampleDistribution()
    {
        var report = ModelEstimator.Estimate(DatasetPresets.Get("kinetics400"), new ExtractSettings { Task = ExtractTask.Both });

        var charts = HtmlReport.Charts(report);
        Assert.Equal(["bytes-by-format", "files-by-format", "bytes-by-split", "files-by-split", "time-by-algorithm"], charts.Select(c => c.Id).ToArray());
        foreach (var chart in charts)
            AssertDrawnChart(chart.Png, chart.Id);
        string html = HtmlReport.ToHtml(report);
        foreach (var split in report.Splits)
            Assert.Contains($"<td>{split.Name}</td>", html, StringComparison.Ordinal);
        foreach (string assumption in report.Assumptions)
            Assert.Contains(WebUtility.HtmlEncode(assumption), html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_MeasuredWithoutPerVideoBytes_SaysSoAndDrawsNoDistribution()
    {
        string html = HtmlReport.ToHtml(MeasuredReport(null));

        Assert.DoesNotContain("bytes-per-frame\"", html, StringComparison.Ordinal);
        Assert.Contains("needs the per-video bytes of the sample", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Charts_SampledBytes_HistogramCountsEveryVideo()
    {
        // Two clusters far apart: the histogram must put bars at both ends; a chart dropping videos or drawing one bin would not.
        var sampled = new[]
        {
            new SampledVideoBytes("a.mp4", 10, 10 * 5_000, 18, 9 * 2_000),
            new SampledVideoBytes("b.mp4", 10, 10 * 5_100, 18, 9 * 2_100),
            new SampledVideoBytes("c.mp4", 10, 10 * 40_000, 18, 9 * 20_000),
            new SampledVideoBytes("d.mp4", 10, 10 * 41_000, 18, 9 * 21_000),
        };
        var rgb = HtmlReport.Charts(MeasuredReport(sampled)).Single(c => c.Id == "rgb-bytes-per-frame");
        var oneBin = HtmlReport.Charts(MeasuredReport(sampled.Select(s => s with { RgbBytes = 10 * 5_000 }).ToArray())).Single(c => c.Id == "rgb-bytes-per-frame");

        Assert.Contains("4 sampled video(s)", rgb.Title, StringComparison.Ordinal);
        Assert.NotEqual(ColourColumns(rgb.Png), ColourColumns(oneBin.Png));
    }

    private static void AssertDrawnChart(byte[] png, string id)
    {
        Assert.True(png.Length > 8 && png[0] == 0x89 && png[1] == (byte)'P' && png[2] == (byte)'N' && png[3] == (byte)'G', $"{id}: not a PNG");
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.Equal(HtmlReport.ChartWidth, bitmap.Width);
        Assert.Equal(HtmlReport.ChartHeight, bitmap.Height);
        var colours = new HashSet<SKColor>();
        int dark = 0;
        for (int y = 0; y < bitmap.Height; y += 2)
        {
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                colours.Add(c);
                if (c.Red + c.Green + c.Blue < 200)
                    dark++;
            }
        }
        // Bars, axes and text (dark anti-aliased glyphs): a blank or text-less render has a handful of colours and no dark pixels.
        Assert.True(colours.Count >= 16, $"{id}: {colours.Count} colours");
        Assert.True(dark > 200, $"{id}: {dark} dark pixels (no text or axes drawn?)");
    }

    /// <summary>Which x columns of the plot hold bar colour (neither white, grey nor black): a fingerprint of where the bars are.</summary>
    private static string ColourColumns(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        var columns = new char[bitmap.Width];
        for (int x = 0; x < bitmap.Width; x++)
        {
            bool coloured = false;
            for (int y = 0; y < bitmap.Height && !coloured; y++)
            {
                var c = bitmap.GetPixel(x, y);
                coloured = Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 60;
            }
            columns[x] = coloured ? '#' : '.';
        }
        return new string(columns);
    }

    private static SampledVideoBytes[] Sampled() =>
    [
        new($"{NastyFolder}/one.mp4", 100, 100 * 21_000, 198, 99 * 7_500),
        new($"{NastyFolder}/two.mp4", 80, 80 * 25_000, 158, 79 * 9_000),
        new($"{NastyFolder}/three.mp4", 120, 120 * 18_000, 238, 119 * 6_000),
    ];

    private static EstimateReport MeasuredReport(SampledVideoBytes[]? sampled)
    {
        var rgb = new FormatEstimate(60_000_000, 3_000, [55_000_000, 65_000_000], 2_000_000, 300_000, "measured");
        var flow = new FormatEstimate(22_000_000, 5_940, [20_000_000, 24_000_000], 733_000, 120_000, "measured");
        var formats = new Dictionary<string, FormatEstimate>
        {
            [FormatNames.Videos] = new(90_000_000, 30, [90_000_000, 90_000_000], 3_000_000, 1_000_000, "exact"),
            [FormatNames.Rgb] = rgb,
            [FormatNames.Flow] = flow,
            [FormatNames.RgbFlow] = new(82_000_000, 8_940, [76_000_000, 88_000_000], 2_733_000, 400_000, "measured"),
        };
        var spread = new Spread(100, 10);
        return new EstimateReport(EstimateReport.SchemaName, "measured", NastyFolder, new ExtractSettings { Task = ExtractTask.Both, Flow = FlowAlgorithm.Dis },
            30, formats, [], new PerVideoStats(spread, spread, spread, spread, spread, spread),
            [
                new TimeEstimate("both", "dis", 42, 71, "measured"),
                new TimeEstimate("both", "tvl1", 3_600, 0.8, "calibration"),
                new TimeEstimate("rgb", null, 9, 330, "calibration"),
            ],
            new SampleInfo(3, 3, 1, Sampled().Select(s => s.Path).ToList(), [], 4.2, sampled),
            [new ExcludedVideo($"{NastyFolder}/<script>alert(1)</script>.mp4", "no video stream & \"no\" frames")],
            ["bytes: ratio estimator <sample> & \"set\""], null);
    }

    [GeneratedRegex("<title>([^<]*)</title>")]
    private static partial Regex TitleRegex();

    [GeneratedRegex("<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:\\s[^<>]*)?>")]
    private static partial Regex TagRegex();

    [GeneratedRegex("<img data-chart=\"([^\"]+)\"[^>]*src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex ChartRegex();

    [GeneratedRegex("<meta name=\"toolkit-charts\" content=\"(\\d+)\">")]
    private static partial Regex DeclaredRegex();
}
