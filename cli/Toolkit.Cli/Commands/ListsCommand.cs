using System.CommandLine;
using Spectre.Console;
using Toolkit.Cli.Rendering;
using Toolkit.Core;
using Toolkit.Ingest.Lists;
using Toolkit.Ingest.Lists.Official;

namespace Toolkit.Cli.Commands;

/// <summary>
/// <c>toolkit lists OUT</c>: mmaction2 annotation lists from an extract output (all shards merged), labelled by class
/// folders, a Kinetics-style CSV, or (<c>--dataset</c>) a dataset's official annotation files.
/// </summary>
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
        var seed = new Option<int>("--seed") { Description = "Seed of the train/val split, or of --shuffle.", DefaultValueFactory = _ => 0 };
        var dataset = new Option<string?>("--dataset") { Description = "Label with the dataset's official annotation files (as mmaction2's build_file_list.py): " + string.Join(", ", OfficialNames.All) + "." }
            .AcceptOnlyFromAmong([.. OfficialNames.All]);
        var annotations = new Option<string?>("--annotations") { Description = "With --dataset: the folder of its official annotation files." };
        var split = new Option<string>("--split") { Description = "With --dataset ucf101|hmdb51: the official split to write, 1, 2, 3 or all.", DefaultValueFactory = _ => "all" }
            .AcceptOnlyFromAmong("1", "2", "3", "all");
        var format = new Option<string>("--format") { Description = "With --dataset: rawframes (frame_dir total_frames label) or videos (path label).", DefaultValueFactory = _ => "rawframes" }
            .AcceptOnlyFromAmong("rawframes", "videos");
        var level = new Option<int?>("--level") { Description = "With --dataset: 1 (video ids) or 2 (class/video ids); default: the level EXTRACTED was extracted at." };
        var shuffle = new Option<bool>("--shuffle") { Description = "With --dataset: shuffle each list's lines (deterministic in --seed)." };
        var subset = new Option<string>("--subset") { Description = "With --dataset: the subset to write, train, val, test or all.", DefaultValueFactory = _ => "all" }
            .AcceptOnlyFromAmong("train", "val", "test", "all");
        var command = new Command("lists", "Write mmaction2 lists: rawframes (frame_dir total_frames label), flow (flow counts = frames - 1), videos (path label), label_map.txt.")
        {
            extracted, output, name, csv, val, seed, dataset, annotations, split, format, level, shuffle, subset,
        };
        command.SetAction(parse =>
        {
            try
            {
                string source = parse.GetValue(extracted)!;
                string outFolder = parse.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(source).TrimEnd('/'))!, "lists");
                if (parse.GetValue(dataset) is { } official)
                {
                    foreach (var other in new Option[] { name, csv, val })
                    {
                        if (parse.GetResult(other) is { Implicit: false })
                            throw new ToolkitError(other.Name, "does not go with --dataset", "The official annotation files give the names, labels and splits: leave it out");
                    }
                    var options = new OfficialListOptions
                    {
                        Extracted = source,
                        Output = outFolder,
                        Dataset = OfficialNames.Parse(official),
                        Annotations = parse.GetValue(annotations) ?? throw new ToolkitError("--annotations", "is needed with --dataset", "Pass the folder of the dataset's official annotation files"),
                        Split = parse.GetValue(split) is "all" ? null : int.Parse(parse.GetValue(split)!, System.Globalization.CultureInfo.InvariantCulture),
                        Format = parse.GetValue(format) == "videos" ? ListFormat.Videos : ListFormat.Rawframes,
                        Level = parse.GetValue(level),
                        Subset = Enum.Parse<Subset>(parse.GetValue(subset)!, ignoreCase: true),
                        Shuffle = parse.GetValue(shuffle),
                        Seed = parse.GetValue(seed),
                    };
                    Render(console, OfficialListBuilder.Build(options));
                    return ExitCodes.Ok;
                }
                foreach (var other in new Option[] { annotations, split, format, level, shuffle, subset })
                {
                    if (parse.GetResult(other) is { Implicit: false })
                        throw new ToolkitError(other.Name, "goes with --dataset only", "Pass --dataset and --annotations to read a dataset's official annotation files");
                }
                var summary = ListBuilder.Build(new ListOptions
                {
                    Extracted = source,
                    Output = outFolder,
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

    private const int Shown = 10;

    private static void Render(IAnsiConsole console, OfficialListSummary summary)
    {
        console.WriteLine($"{summary.Classes} classes");
        foreach (var list in summary.Lists)
            console.WriteLine($"{list.Name}: {list.Listed} listed" + (list.Missing.Count > 0 ? $", {list.Missing.Count} missing on disk" : ""));
        foreach (string file in summary.Files)
            console.WriteLine($"wrote {file}");
        var missing = summary.Lists.SelectMany(l => l.Missing.Select(m => $"{m} ({l.Name})")).ToList();
        foreach (string video in missing.Take(Shown))
            console.WriteLine($"missing on disk (no line written): {video}");
        if (missing.Count > Shown)
            console.WriteLine($"missing on disk: {missing.Count - Shown} more");
        foreach (string video in summary.NotAnnotated.Take(Shown))
            console.WriteLine($"on disk but not annotated (left out): {video}");
        if (summary.NotAnnotated.Count > Shown)
            console.WriteLine($"on disk but not annotated: {summary.NotAnnotated.Count - Shown} more");
        foreach (string video in summary.UnlistableVideos)
            console.WriteLine($"left out of the video lists (mmaction2 splits lines on whitespace; rename the file to list it): {video}");
        console.WriteLine(summary.Account);
    }
}
