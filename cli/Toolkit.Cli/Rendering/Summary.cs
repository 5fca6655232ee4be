using System.Globalization;
using Spectre.Console;
using Toolkit.Ingest.Pipeline;

namespace Toolkit.Cli.Rendering;

/// <summary>The end-of-run summary: counts, throughput, the repairs (capped), every failure with its reason.</summary>
internal static partial class Summary
{
    public static void Print(IAnsiConsole console, IReadOnlyList<VideoResult> results, ExtractSummary? summary, string output)
    {
        int done = results.Count(r => r.Status == VideoStatus.Done);
        int skipped = results.Count(r => r.Status == VideoStatus.Skipped);
        var failed = results.Where(r => r.Status == VideoStatus.Failed).ToList();
        string rate = "";
        if (summary is not null)
        {
            double seconds = Math.Max(summary.Elapsed.TotalSeconds, 1e-3);
            long frames = results.Where(r => r.Status == VideoStatus.Done).Sum(r => (long)r.Frames);
            rate = string.Create(CultureInfo.InvariantCulture,
                $" in {seconds:0.0} s: {summary.FramesWritten} RGB and {summary.FlowsWritten} flow frames, {summary.BytesWritten / 1e6:0.0} MB, {frames / seconds:0} frames/s, peak RSS {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:0} MB");
        }
        // Without a summary the run stopped early (disk full, permission denied, interrupted): say so on the count line.
        string when = summary is null ? "before the run stopped: " : "";
        console.WriteLine($"{when}{done} converted, {skipped} skipped (already complete), {failed.Count} failed{rate}");
        Repairs(console, [.. results.Where(r => r.Status == VideoStatus.Done && r.Notes.Count > 0)], summary?.ManifestPath);
        foreach (var r in failed)
            console.WriteLine($"FAILED: {r.Source}: {r.Reason}");
        if (summary is not null)
            console.WriteLine($"output: {Path.GetFullPath(output)} (manifest {summary.ManifestPath})");
    }

    /// <summary>Most videos listed in full; at most this many notes each.</summary>
    public const int ListedRepairs = 5, NotesPerVideo = 3, CommonReasons = 5;

    /// <summary>
    /// The videos converted with decoder repairs, capped so that the FAILED lines below stay on screen: a few listed
    /// with their first notes, or beyond that the most common reasons with how many videos had them. Every note of
    /// every video is in the manifest (and the --report file).
    /// </summary>
    private static void Repairs(IAnsiConsole console, IReadOnlyList<VideoResult> repaired, string? manifest)
    {
        string where = manifest is null ? "the manifest" : $"the manifest {manifest}";
        if (repaired.Count <= ListedRepairs)
        {
            foreach (var r in repaired)
            {
                console.WriteLine($"repaired: {r.Source}:");
                foreach (string note in r.Notes.Take(NotesPerVideo))
                    console.WriteLine($"    {note}");
                if (r.Notes.Count > NotesPerVideo)
                    console.WriteLine($"    … {r.Notes.Count - NotesPerVideo} more note(s) in {where}");
            }
            return;
        }
        console.WriteLine($"repaired: {repaired.Count} videos were converted with decoder repairs; the most common reasons (videos):");
        var reasons = repaired
            .SelectMany(r => r.Notes.Select(Reason).Distinct().Select(reason => (reason, r.Source)))
            .GroupBy(x => x.reason, StringComparer.Ordinal)
            .Select(g => (Reason: g.Key, Videos: g.Count()))
            .OrderByDescending(g => g.Videos).ThenBy(g => g.Reason, StringComparer.Ordinal)
            .ToList();
        foreach (var (reason, videos) in reasons.Take(CommonReasons))
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {videos,6}  {reason}"));
        if (reasons.Count > CommonReasons)
            console.WriteLine($"    … {reasons.Count - CommonReasons} other reason(s)");
        console.WriteLine($"repaired: each video's notes are in {where} (and the --report file)");
    }

    /// <summary>A note without what varies from video to video (addresses, numbers), so equal causes group together.</summary>
    internal static string Reason(string note) => Number().Replace(Address().Replace(note, "…"), "N");

    [System.Text.RegularExpressions.GeneratedRegex(@"0x[0-9a-fA-F]+")]
    private static partial System.Text.RegularExpressions.Regex Address();

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\w.])-?\d+(\.\d+)?\b")] // "MB 3 4", not "h264"
    private static partial System.Text.RegularExpressions.Regex Number();
}
