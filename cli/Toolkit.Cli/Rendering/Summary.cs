using System.Globalization;
using Spectre.Console;
using Toolkit.Ingest.Pipeline;

namespace Toolkit.Cli.Rendering;

/// <summary>The end-of-run summary: counts, throughput, every failure with its reason, every repair note.</summary>
internal static class Summary
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
        foreach (var r in results.Where(r => r.Status == VideoStatus.Done && r.Notes.Count > 0))
        {
            console.WriteLine($"repaired: {r.Source}:");
            foreach (string note in r.Notes)
                console.WriteLine($"    {note}");
        }
        foreach (var r in failed)
            console.WriteLine($"FAILED: {r.Source}: {r.Reason}");
        if (summary is not null)
            console.WriteLine($"output: {Path.GetFullPath(output)} (manifest {summary.ManifestPath})");
    }
}
