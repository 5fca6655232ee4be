using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Toolkit.Ingest.Pipeline;

namespace Toolkit.Cli.Rendering;

/// <summary>The per-video report of <c>--report FILE</c>: JSON for <c>.json</c>, else one tab-separated line per video.</summary>
internal static class Report
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void Write(string path, IReadOnlyList<VideoResult> results, ExtractSummary? summary)
    {
        string temp = path + ".tmp";
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            var doc = new
            {
                Completed = summary is not null,
                Converted = results.Count(r => r.Status == VideoStatus.Done),
                Skipped = results.Count(r => r.Status == VideoStatus.Skipped),
                Failed = results.Count(r => r.Status == VideoStatus.Failed),
                Seconds = summary?.Elapsed.TotalSeconds,
                Videos = results,
            };
            File.WriteAllText(temp, JsonSerializer.Serialize(doc, Json) + "\n");
        }
        else
        {
            var text = new StringBuilder("status\tsource\toutput\tframes\tflows\treason\n");
            foreach (var r in results)
            {
                string detail = r.Reason ?? string.Join("; ", r.Notes);
                text.Append(r.Status.ToString().ToLowerInvariant()).Append('\t').Append(Clean(r.Source)).Append('\t')
                    .Append(Clean(r.Output ?? "")).Append('\t').Append(r.Frames).Append('\t').Append(r.Flows).Append('\t')
                    .Append(Clean(detail)).Append('\n');
            }
            File.WriteAllText(temp, text.ToString());
        }
        File.Move(temp, path, overwrite: true);
    }

    private static string Clean(string s) => s.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
}
