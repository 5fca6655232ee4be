using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Toolkit.Cli.Rendering;
using Toolkit.Core;
using Toolkit.Ingest;
using Toolkit.Ingest.Decoding;
using Toolkit.Ingest.Discovery;
using Toolkit.Ingest.Pipeline;

namespace Toolkit.Cli.Commands;

/// <summary><c>toolkit extract SRC OUT</c>: videos to mmaction2 rawframes and optical flow.</summary>
public static class ExtractCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var source = new Argument<string>("SRC") { Description = "A folder of videos (searched recursively) or a text file with one video path per line." };
        var output = new Argument<string>("OUT") { Description = "The output folder: OUT/<class>/<video>/img_00001.jpg ... (level 2) and OUT/.toolkit/ (settings, manifests)." };
        var settingsOptions = new ExtractSettingsOptions();
        var workers = new Option<int>("--workers") { Description = "Threads that encode JPEGs and compute flow.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var decoders = new Option<int>("--decoders") { Description = "Videos decoded at the same time.", DefaultValueFactory = _ => 2 };
        var decoder = DecoderOption();
        var shard = new Option<string>("--shard") { Description = "Convert only shard I of N (I/N, 0-based), e.g. --shard $SLURM_ARRAY_TASK_ID/16.", DefaultValueFactory = _ => "0/1" };
        var resume = new Option<bool>("--resume") { Description = "Skip videos whose output is complete and up to date (default: on).", DefaultValueFactory = _ => true };
        var noResume = new Option<bool>("--no-resume") { Description = "Redo every video of the shard even if complete." };
        var force = new Option<bool>("--force") { Description = "Accept settings that differ from those stored in OUT (rewriting every video), or a non-empty OUT not written by toolkit." };
        var segments = new Option<string?>("--segments") { Description = "Extract time segments instead of whole videos: a file of lines 'path start end [label]' (seconds; paths relative to SRC). Each segment gets its own folder, <stem>_<start:06d>_<end:06d>, and only its range is decoded." };
        var report = new Option<string?>("--report") { Description = "Write a per-video report: FILE.json (JSON) or any other name (tab-separated: status, source, output, frames, flows, reason/notes)." };

        var command = new Command("extract", "Convert videos to mmaction2-compatible rawframes (img_*.jpg) and optical flow (flow_x_*.jpg, flow_y_*.jpg).")
        {
            source, output,
        };
        foreach (var option in settingsOptions.All)
            command.Options.Add(option);
        foreach (var option in new Option[] { workers, decoders, decoder, shard, resume, noResume, force, segments, report })
            command.Options.Add(option);

        command.SetAction(async (parse, cancellationToken) =>
        {
            ExtractOptions options;
            try
            {
                options = new ExtractOptions
                {
                    Source = parse.GetValue(source)!,
                    Output = parse.GetValue(output)!,
                    Settings = settingsOptions.Settings(parse),
                    Extensions = settingsOptions.Extensions(parse),
                    Workers = parse.GetValue(workers),
                    Decoders = parse.GetValue(decoders),
                    Decoder = ParseDecoder(parse.GetValue(decoder)!),
                    Segments = parse.GetValue(segments),
                    Shard = ShardSpec.Parse(parse.GetValue(shard)!),
                    Resume = parse.GetValue(resume) && !parse.GetValue(noResume),
                    Force = parse.GetValue(force),
                }.Validate();
            }
            catch (ToolkitError e)
            {
                console.Error(e.ForCli());
                return ExitCodes.CouldNotRun;
            }
            console.WarnIfNoLibav(options.Decoder);
            return await RunAsync(console, options, parse.GetValue(report), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(IAnsiConsole console, ExtractOptions options, string? reportPath, CancellationToken cancellationToken)
    {
        var progress = new ExtractProgress();
        var results = new List<VideoResult>();
        progress.VideoFinished += r => { lock (results) results.Add(r); };
        var view = new ProgressView(console, "extract");
        ExtractSummary? summary = null;
        int code;
        try
        {
            summary = await view.RunAsync(progress, () => ExtractPipeline.RunAsync(options, progress, null, cancellationToken)).ConfigureAwait(false);
            code = summary.Failed > 0 ? ExitCodes.CompletedWithFailures : ExitCodes.Ok;
        }
        catch (ToolkitError e)
        {
            console.Error(e.ForCli());
            code = ExitCodes.CouldNotRun;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.Error("interrupted: completed videos are kept and will be skipped by the next run; half-written ones were removed");
            code = ExitCodes.Cancelled;
        }

        List<VideoResult> snapshot;
        lock (results)
            snapshot = results.OrderBy(r => r.Source, StringComparer.Ordinal).ToList();
        // A run that could not start has nothing to count: "0 converted, 0 failed" would read like an empty success.
        if (summary is not null || snapshot.Count > 0)
            Summary.Print(console, snapshot, summary, options.Output);
        if (reportPath is not null)
        {
            try
            {
                Report.Write(reportPath, snapshot, summary);
                console.MarkupLine($"report: [blue]{Markup.Escape(Path.GetFullPath(reportPath))}[/]");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                console.Error($"{reportPath}: could not write the report ({e.Message})");
                code = Math.Max(code, ExitCodes.CouldNotRun);
            }
        }
        return code;
    }

    /// <summary><c>--decoder libav|ffmpeg</c>, shared by extract and estimate.</summary>
    internal static Option<string> DecoderOption() => new Option<string>("--decoder")
    {
        Description = "libav: probe and decode inside the process (default); ffmpeg: one ffprobe and one ffmpeg process per video (the fallback). Both write the same bytes.",
        DefaultValueFactory = _ => "libav",
    }.AcceptOnlyFromAmong("libav", "ffmpeg");

    /// <summary>The <see cref="VideoDecoderKind"/> of a <c>--decoder</c> value.</summary>
    internal static VideoDecoderKind ParseDecoder(string value) => value == "ffmpeg" ? VideoDecoderKind.Ffmpeg : VideoDecoderKind.Libav;

    internal static string Rate(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
