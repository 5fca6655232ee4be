using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Toolkit.Estimator.Reporting;

/// <summary>Writes an <see cref="EstimateReport"/> as JSON (schema <c>toolkit.estimate/1</c>) or Markdown.</summary>
public static class EstimateWriters
{
    /// <summary>snake_case names, enums as lower-case strings, nulls written (every key is always present).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The report as JSON.</summary>
    public static string ToJson(EstimateReport report) => JsonSerializer.Serialize(report, JsonOptions) + "\n";

    /// <summary>The report as a Markdown document.</summary>
    public static string ToMarkdown(EstimateReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        var s = report.Settings;
        md.Append(CultureInfo.InvariantCulture, $"# toolkit estimate: {report.Input}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Mode **{report.Mode}**, {report.Videos:N0} videos; task {s.Task.ToString().ToLowerInvariant()}, flow {s.Flow.ToString().ToLowerInvariant()}, "
            + $"{(s.Size is { } size ? $"size {size}" : $"short side {s.ShortSide}")}, JPEG quality {s.JpegQuality}{(s.Fps is { } fps ? $", {fps} fps" : "")}.\n\n");
        md.Append(CultureInfo.InvariantCulture, $"| format | bytes | 95% interval | on disk ({report.BlockSize} B blocks) | files | per video (mean ± sd) | source |\n|---|---:|---|---:|---:|---|---|\n");
        foreach (var (name, f) in report.Formats)
            md.Append(CultureInfo.InvariantCulture, $"| {name} | {Bytes(f.Bytes)} | {Interval(f.BytesCi95)} | {Bytes(f.AllocatedBytes)} | {f.Files:N0} | {PerVideo(f)} | {f.Source} |\n");
        if (report.Splits.Count > 0)
        {
            md.Append("\n## Splits\n\n| split | videos | rgb | flow | rgb + flow | rgb + flow files |\n|---|---:|---:|---:|---:|---:|\n");
            foreach (var split in report.Splits)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {split.Name} | {split.Videos:N0} | {Bytes(split.Formats[FormatNames.Rgb].Bytes)} | {Bytes(split.Formats[FormatNames.Flow].Bytes)} | "
                    + $"{Bytes(split.Formats[FormatNames.RgbFlow].Bytes)} | {split.Formats[FormatNames.RgbFlow].Files:N0} |\n");
            }
        }
        md.Append("\n## Conversion time\n\n| task | flow | time | frames/s | source |\n|---|---|---:|---:|---|\n");
        foreach (var t in report.Time)
            md.Append(CultureInfo.InvariantCulture, $"| {t.Task} | {t.Algorithm ?? "–"} | {Duration(t.Seconds)} | {t.FramesPerSecond:0.#} | {t.Source} |\n");
        if (report.FreeSpace is { } fs)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## Free space on {fs.Target}\n\n{fs.Format}: needs {Bytes(fs.NeededBytes)} and {fs.NeededFiles:N0} inodes; "
                + $"free {Bytes(fs.FreeBytes)} and {(fs.FreeFiles is { } ff ? ff.ToString("N0", CultureInfo.InvariantCulture) : "unlimited")} inodes. "
                + $"{(fs.BytesFit ? "Bytes fit" : "**Bytes do not fit**")}; {(fs.FilesFit ? "inodes fit" : "**inodes do not fit**")}.\n");
        }
        if (report.Excluded.Count > 0)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## Excluded ({report.Excluded.Count})\n\n");
            foreach (var e in report.Excluded)
                md.Append(CultureInfo.InvariantCulture, $"- `{e.Path}`: {e.Reason}\n");
        }
        md.Append("\n## Where the numbers come from\n\n");
        foreach (string a in report.Assumptions)
            md.Append(CultureInfo.InvariantCulture, $"- {a}\n");
        return md.ToString();
    }

    /// <summary>Bytes in binary units (KiB, MiB, GiB, TiB), or "unknown".</summary>
    public static string Bytes(double? bytes)
    {
        if (bytes is not { } b)
            return "unknown";
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        int i = 0;
        while (Math.Abs(b) >= 1024 && i < units.Length - 1)
        {
            b /= 1024;
            i++;
        }
        return i == 0 ? b.ToString("0", CultureInfo.InvariantCulture) + " B" : b.ToString("0.##", CultureInfo.InvariantCulture) + " " + units[i];
    }

    /// <summary>A duration as h:mm:ss, or days for long ones.</summary>
    public static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Max(0, seconds));
        return t.TotalDays >= 1 ? $"{t.TotalDays.ToString("0.#", CultureInfo.InvariantCulture)} d" : t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture);
    }

    /// <summary>"[low, high]" or "–".</summary>
    public static string Interval(long[]? ci) => ci is [var low, var high] ? $"{Bytes(low)} – {Bytes(high)}" : "–";

    private static string PerVideo(FormatEstimate f) =>
        f.PerVideoMeanBytes is not { } mean ? "–" : f.PerVideoSpreadBytes is { } sd ? $"{Bytes(mean)} ± {Bytes(sd)}" : Bytes(mean);
}
