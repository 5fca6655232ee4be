using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Toolkit.Cli.Rendering;
using Toolkit.Core;
using Toolkit.Loaders.Benchmarks;
using Toolkit.Loaders.Datasets;

namespace Toolkit.Cli.Commands;

/// <summary><c>toolkit bench loader</c>: measure what the on-the-fly loader sustains.</summary>
public static class BenchCommand
{
    /// <summary>Builds the command with its <c>loader</c> subcommand.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var bench = new Command("bench", "Measure toolkit components on your data and cores.");
        bench.Subcommands.Add(Loader(console));
        return bench;
    }

    private static Command Loader(IAnsiConsole console)
    {
        var list = new Option<string>("--list") { Description = "Rawframe list (frame_dir total_frames label), as toolkit lists writes.", Required = true };
        var root = new Option<string>("--root") { Description = "Folder the list's frame_dir paths are relative to.", Required = true };
        var recipe = new Option<string>("--recipe") { Description = "Augmentation recipe: rrc, rescale, center, three (scaled to --crop), or any recipe at crop 224.", DefaultValueFactory = _ => "rrc" };
        var clipLen = new Option<int>("--clip-len") { Description = "Frames per clip (T).", DefaultValueFactory = _ => 8 };
        var crop = new Option<int>("--crop") { Description = "Crop side (S).", DefaultValueFactory = _ => 224 };
        var batch = new Option<int>("--batch") { Description = "Clips per batch.", DefaultValueFactory = _ => 8 };
        var batches = new Option<int>("--batches") { Description = "Batches to time (after the warm-up).", DefaultValueFactory = _ => 50 };
        var warmup = new Option<int>("--warmup") { Description = "Batches run before timing.", DefaultValueFactory = _ => 5 };
        var workers = new Option<int>("--workers") { Description = "Loader workers.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var start = new Option<int>("--start-index") { Description = "First frame number: 1 (mmaction2, toolkit extract) or 0 (denseflow).", DefaultValueFactory = _ => 1 };
        var asBytes = new Option<bool>("--uint8") { Description = "uint8 batches (normalize on the device) instead of normalized float32." };
        var seed = new Option<long>("--seed") { Description = "Run seed.", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: clips_per_s, batches_per_s, peak_rss_mb (and seconds, batches, clips)." };
        var videos = new Option<string?>("--videos") { Description = "The list is a video list (path label) decoded on the fly with this reader: libav (the toolkit's decoder) or opencv (VideoCapture)." }.AcceptOnlyFromAmong("libav", "opencv");
        var jpeg = new Option<string>("--jpeg") { Description = "JPEG decoder of rawframes: turbojpeg (libjpeg-turbo's API, default) or opencv (imdecode).", DefaultValueFactory = _ => "turbojpeg" }.AcceptOnlyFromAmong("turbojpeg", "opencv");
        var fullScale = new Option<bool>("--full-scale") { Description = "Decode every frame at full size, even when the recipe first halves it (reduced-scale decoding off)." };
        var covering = new Option<bool>("--covering-scale") { Description = "Decode at the smallest of 1/8, 1/4, 1/2 that covers the recipe's first short side, not only an exact half (LoaderOptions.CoveringScaleDecoding)." };
        var wholeFrames = new Option<bool>("--whole-frames") { Description = "Decode whole frames, even when the recipe's first step is a crop (cropped decoding off)." };
        var command = new Command("loader", "Clips/s, batches/s and peak RSS of the loader (read, decode, augment, collate) on a rawframe list.")
        {
            list, root, recipe, clipLen, crop, batch, batches, warmup, workers, start, asBytes, seed, json, videos, jpeg, fullScale, covering, wholeFrames,
        };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var result = await LoaderBench.RunAsync(new LoaderBenchOptions
                {
                    List = parse.GetValue(list)!,
                    Root = parse.GetValue(root)!,
                    Recipe = parse.GetValue(recipe)!,
                    ClipLength = parse.GetValue(clipLen),
                    Crop = parse.GetValue(crop),
                    Batch = parse.GetValue(batch),
                    Batches = parse.GetValue(batches),
                    Warmup = parse.GetValue(warmup),
                    Workers = parse.GetValue(workers),
                    StartIndex = parse.GetValue(start),
                    Byte = parse.GetValue(asBytes),
                    Seed = parse.GetValue(seed),
                    Decoding = parse.GetValue(jpeg) == "opencv" ? FrameDecoding.OpenCv : FrameDecoding.TurboJpeg,
                    ReducedScaleDecoding = !parse.GetValue(fullScale),
                    CroppedDecoding = !parse.GetValue(wholeFrames),
                    CoveringScaleDecoding = parse.GetValue(covering),
                    Videos = parse.GetValue(videos) switch { "libav" => VideoBackend.Libav, "opencv" => VideoBackend.OpenCv, _ => null },
                }, ct).ConfigureAwait(false);
                if (parse.GetValue(json))
                {
                    console.Profile.Out.Writer.WriteLine(result.ToJson());
                }
                else
                {
                    console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{result.ClipsPerSecond:F1} clips/s, {result.BatchesPerSecond:F2} batches/s over {result.Batches} batches ({result.Seconds:F1} s); peak RSS {result.PeakRssMb:F0} MiB"));
                }
                return ExitCodes.Ok;
            }
            catch (ToolkitError e)
            {
                console.Error(e.ForCli());
                return ExitCodes.CouldNotRun;
            }
            catch (OperationCanceledException)
            {
                return ExitCodes.Cancelled;
            }
        });
        return command;
    }
}
