using System.CommandLine;
using Spectre.Console;
using Toolkit.Cli.Rendering;
using Toolkit.Core;
using Toolkit.Ingest.Lists;

namespace Toolkit.Cli.Commands;

/// <summary><c>toolkit lists OUT</c>: mmaction2 annotation lists from an extract output (all shards merged).</summary>
public static class ListsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var extracted = new Argument<string>("EXTRACTED") { Description = "The OUT folder of toolkit extract (the manifests of all its shards are merged)." };
        var output = new Option<string?>("--out") { Description = "Folder for the lists (default: EXTRACTED/../lists)." };
        var name = new Option<string>("--name") { Description = "File-name prefix: NAME_train_list_rawframes.txt ...", DefaultValueFactory = _ => "dataset" };
        var csv = new Option<string?>("--csv") { Description = "Kinetics-style CSV (label,youtube_id,time_start,time_end,split) for labels and splits; default: class folders." };
        var val = new Option<double>("--val-fraction") { Description = "Without --csv: fraction of each class put in the val split.", DefaultValueFactory = _ => 0.2 };
        var seed = new Option<int>("--seed") { Description = "Seed of the train/val split.", DefaultValueFactory = _ => 0 };
        var command = new Command("lists", "Write mmaction2 lists: rawframes (frame_dir total_frames label), flow (flow counts = frames - 1), videos (path label), label_map.txt.")
        {
            extracted, output, name, csv, val, seed,
        };
        command.SetAction(parse =>
        {
            try
            {
                string source = parse.GetValue(extracted)!;
                var summary = ListBuilder.Build(new ListOptions
                {
                    Extracted = source,
                    Output = parse.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(source).TrimEnd('/'))!, "lists"),
                    Name = parse.GetValue(name)!,
                    KineticsCsv = parse.GetValue(csv),
                    ValFraction = parse.GetValue(val),
                    Seed = parse.GetValue(seed),
                });
                console.WriteLine($"{summary.Classes} classes; " + string.Join(", ", summary.CountsBySplit.Select(kv => $"{kv.Value} {kv.Key}")));
                foreach (string file in summary.Files)
                    console.WriteLine($"wrote {file}");
                foreach (string missing in summary.Unmatched)
                    console.WriteLine($"not in the CSV (left out): {missing}");
                if (summary.NoValClasses.Count > 0)
                {
                    var some = summary.NoValClasses.Take(5).Select(c => $"{c.Class} ({c.Videos})");
                    string fraction = parse.GetValue(val).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    string more = summary.NoValClasses.Count > 5 ? ", …" : "";
                    string noList = summary.CountsBySplit.ContainsKey("val") ? "" : "; no val list was written";
                    console.Warning($"--val-fraction {fraction} puts no video of {summary.NoValClasses.Count} of {summary.Classes} classes in val (too few videos: {string.Join(", ", some)}{more}){noList}; raise the fraction, or give those classes more videos");
                }
                foreach (string video in summary.UnlistableVideos)
                    console.WriteLine($"left out of the video lists (mmaction2 splits lines on whitespace; rename the file to list it): {video}");
                return ExitCodes.Ok;
            }
            catch (ToolkitError e)
            {
                console.Error(e.ForCli());
                return ExitCodes.CouldNotRun;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                console.Error($"cannot write the lists: {e.Message}");
                return ExitCodes.CouldNotRun;
            }
        });
        return command;
    }
}
