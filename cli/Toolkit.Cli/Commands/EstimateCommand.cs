using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Toolkit.Cli.Rendering;
using Toolkit.Core;
using Toolkit.Estimator;
using Toolkit.Estimator.Measurement;
using Toolkit.Estimator.Presets;
using Toolkit.Estimator.Reporting;
using Toolkit.Ingest;
using Toolkit.Ingest.Decoding;
using Toolkit.Ingest.Discovery;

namespace Toolkit.Cli.Commands;

/// <summary><c>toolkit estimate NAME|PATH</c>: bytes, files and conversion time before extracting.</summary>
public static class EstimateCommand
{
    /// <summary>What one estimate run needs.</summary>
    /// <param name="Input">Preset name, folder or list file.</param>
    /// <param name="Settings">Extract settings the plan is for.</param>
    /// <param name="Extensions">Extensions to take, or null for any.</param>
    /// <param name="Sample">--sample (0: model-only).</param>
    /// <param name="Seed">--seed.</param>
    /// <param name="Workers">--workers.</param>
    /// <param name="Decoders">--decoders.</param>
    /// <param name="Target">--target, or null.</param>
    /// <param name="Json">"-" (--json: standard output), a file (--json-out FILE), or null.</param>
    /// <param name="Markdown">--markdown FILE, or null.</param>
    /// <param name="Html">--html FILE (self-contained page with charts), or null.</param>
    /// <param name="BlockSize">--block-size, or null: the target's block size with --target, else 4096.</param>
    /// <param name="ProbePairs">--probe-pairs: frame pairs of every video encoded by measured mode's content probe.</param>
    /// <param name="Decoder">--decoder: probing and the sample's extraction in process (libav) or with ffmpeg processes.</param>
    public sealed record EstimateOptions(string Input, ExtractSettings Settings, IReadOnlyCollection<string>? Extensions, int Sample, int Seed,
        int Workers, int Decoders, string? Target, string? Json, string? Markdown, string? Html = null, int? BlockSize = null,
        int ProbePairs = ContentProbe.DefaultPairs, VideoDecoderKind Decoder = VideoDecoderKind.Libav);

    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var input = new Argument<string>("INPUT") { Description = $"A preset ({string.Join(", ", DatasetPresets.All.Select(p => p.Name))}), a folder of videos or a list file." };
        var sample = new Option<int>("--sample") { Description = "Measured mode: really extract this many randomly chosen videos (2 or more, or all) and extrapolate with a 95% interval." };
        var seed = new Option<int>("--seed") { Description = "Seed of the random sample.", DefaultValueFactory = _ => 0 };
        var settingsOptions = new ExtractSettingsOptions();
        var workers = new Option<int>("--workers") { Description = "Threads of the sample extraction.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var decoders = new Option<int>("--decoders") { Description = "Videos decoded (and probed) at once.", DefaultValueFactory = _ => 2 };
        var decoder = ExtractCommand.DecoderOption();
        var target = new Option<string?>("--target") { Description = "Compare the plan with the free bytes and inodes of this folder's file system." };
        var json = new Option<bool>("--json") { Description = "Print the estimate as JSON on standard output and nothing else there (schema in docs/estimate.md)." };
        var jsonOut = new Option<string?>("--json-out") { Description = "Write the estimate as JSON to FILE (schema in docs/estimate.md)." };
        var markdown = new Option<string?>("--markdown") { Description = "Write the estimate as Markdown to FILE." };
        var html = new Option<string?>("--html") { Description = "Write the estimate as one self-contained HTML page with charts to FILE." };
        var probePairs = new Option<int>("--probe-pairs")
        {
            Description = "Measured mode: pairs of frames of every video encoded during the survey to predict its bytes (the sample corrects the prediction).",
            DefaultValueFactory = _ => ContentProbe.DefaultPairs,
        };
        var blockSize = new Option<int?>("--block-size") { Description = "File-system block size for the on-disk (allocated) bytes (default: the --target's, else 4096)." };

        var command = new Command("estimate", "Plan a conversion: bytes, files (inodes) and time of RGB rawframes and flow, from dataset statistics or a measured sample.")
        {
            input, sample, seed,
        };
        foreach (var option in settingsOptions.All)
            command.Options.Add(option);
        foreach (var option in new Option[] { workers, decoders, decoder, target, json, jsonOut, markdown, html, blockSize, probePairs })
            command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            EstimateOptions options;
            try
            {
                options = new EstimateOptions(parse.GetValue(input)!, settingsOptions.Settings(parse), settingsOptions.Extensions(parse),
                    parse.GetValue(sample), parse.GetValue(seed), parse.GetValue(workers), parse.GetValue(decoders),
                    parse.GetValue(target), ReportFile("--json-out", JsonDestination(parse.GetValue(json), parse.GetValue(jsonOut))), ReportFile("--markdown", parse.GetValue(markdown)), ReportFile("--html", parse.GetValue(html)), parse.GetValue(blockSize), parse.GetValue(probePairs),
                    ExtractCommand.ParseDecoder(parse.GetValue(decoder)!));
                if (options.BlockSize is { } b && (b < 512 || b > 1 << 24 || (b & (b - 1)) != 0))
                    throw new ToolkitError("--block-size", $"{b} is not a file-system block size", "Use a power of two from 512 to 16777216 (4096 on ext4 and XFS: `stat -f DIR` shows it)");
            }
            catch (ToolkitError e)
            {
                console.Error(e.ForCli());
                return ExitCodes.CouldNotRun;
            }
            console.WarnIfNoLibav(options.Decoder);
            return await RunAsync(console, options, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Runs the estimate and renders it; returns an exit code.</summary>
    public static async Task<int> RunAsync(IAnsiConsole console, EstimateOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(options);
        EstimateReport report;
        try
        {
            // Read the target's file system first: a missing --target fails before minutes of measuring, not after.
            int targetBlock = options.Target is { } t ? FreeSpace.QueryWithBlockSize(t).BlockSize : Allocation.DefaultBlockSize;
            int block = options.BlockSize ?? targetBlock;
            bool isPath = Directory.Exists(options.Input) || File.Exists(options.Input);
            if (!isPath)
            {
                var dataset = DatasetPresets.Get(options.Input);
                if (options.Sample != 0)
                    throw new ToolkitError("--sample", $"measured mode needs videos, but {dataset.Name} is a preset", "Pass a folder or list of your copy of the dataset to sample it");
                report = ModelEstimator.Estimate(dataset, options.Settings);
            }
            else if (options.Sample == 0)
            {
                var progress = new SurveyProgress();
                var survey = await SurveyView.RunAsync(console, progress, quiet: options.Json == "-",
                    () => VideoSurvey.RunAsync(options.Input, options.Settings, options.Extensions, options.Decoders, cancellationToken, decoder: options.Decoder, progress: progress)).ConfigureAwait(false);
                report = ModelEstimator.Estimate(options.Input, survey, options.Settings);
            }
            else
            {
                var progress = new SurveyProgress();
                report = await SurveyView.RunAsync(console, progress, quiet: options.Json == "-", () => MeasuredEstimator.RunAsync(new MeasureOptions
                {
                    Source = options.Input,
                    Settings = options.Settings,
                    Extensions = options.Extensions,
                    Sample = options.Sample,
                    Seed = options.Seed,
                    Workers = options.Workers,
                    Decoders = options.Decoders,
                    BlockSize = block,
                    ProbePairs = options.ProbePairs,
                    Decoder = options.Decoder,
                    Progress = progress,
                }, null, cancellationToken)).ConfigureAwait(false);
            }
            report = Allocation.Complete(report, block);
            if (options.Target is { } dir)
                report = report with { FreeSpace = FreeSpace.Check(report, dir) };
        }
        catch (ToolkitError e)
        {
            console.Error(e.ForCli());
            return ExitCodes.CouldNotRun;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.Error("interrupted: the sample output was removed");
            return ExitCodes.Cancelled;
        }

        int code = ExitCodes.Ok;
        if (options.Json != "-")
            Render(console, report);
        try
        {
            if (options.Json == "-")
                Console.Out.Write(EstimateWriters.ToJson(report));
            else if (options.Json is { } jsonPath)
                Write(console, jsonPath, EstimateWriters.ToJson(report), quiet: false);
            if (options.Markdown is { } mdPath)
                Write(console, mdPath, EstimateWriters.ToMarkdown(report), quiet: options.Json == "-");
            if (options.Html is { } htmlPath)
                Write(console, htmlPath, HtmlReport.ToHtml(report), quiet: options.Json == "-");
        }
        catch (ToolkitError e)
        {
            console.Error(e.Message);
            code = ExitCodes.CouldNotRun;
        }
        if (report.FreeSpace is { BytesFit: false } or { FilesFit: false })
            code = Math.Max(code, ExitCodes.CompletedWithFailures);
        return code;
    }

    private static void Write(IAnsiConsole console, string path, string text, bool quiet)
    {
        try
        {
            File.WriteAllText(path, text);
        }
        catch (Exception e) when (WriteFailure.Is(e))
        {
            throw WriteFailure.Of(e, path);
        }
        if (quiet)
            Console.Error.WriteLine($"report: {Path.GetFullPath(path)}"); // standard output holds the JSON only
        else
            console.MarkupLine($"report: [blue]{Markup.Escape(Path.GetFullPath(path))}[/]");
    }

    /// <summary>A report file that could never be written (a folder, or in a folder that does not exist) fails before the estimate runs.</summary>
    private static string? ReportFile(string option, string? file)
    {
        if (file is null || file == "-")
            return file;
        if (Directory.Exists(file))
            throw new ToolkitError(option, $"{file} is a folder", "give a file name, e.g. plan.json, plan.md or plan.html");
        string? folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (folder is not null && !Directory.Exists(folder))
            throw new ToolkitError(option, $"the folder of {file} does not exist", "create it first, or write the report elsewhere");
        return file;
    }

    private static string? JsonDestination(bool toStandardOutput, string? file)
    {
        if (toStandardOutput && file is not null)
            throw new ToolkitError("--json and --json-out", "both given", "use --json to print the JSON or --json-out FILE to write it, not both");
        if (file == "-")
            throw new ToolkitError("--json-out", "'-' is not a file", "use --json for standard output");
        return toStandardOutput ? "-" : file;
    }

    private static void Render(IAnsiConsole console, EstimateReport report)
    {
        var s = report.Settings;
        console.MarkupLine($"[bold]{Markup.Escape(report.Input)}[/]: {report.Videos.ToString("N0", CultureInfo.InvariantCulture)} videos, {report.Mode} estimate "
            + $"({s.Task.ToString().ToLowerInvariant()}, {(s.Size is { } size ? $"size {size}" : $"short side {s.ShortSide}")}, quality {s.JpegQuality}, flow {s.Flow.ToString().ToLowerInvariant()})");
        var table = new Table().AddColumns("format", "bytes", "95% interval", $"on disk ({report.BlockSize} B blocks)", "files", "per video", "source");
        foreach (var (name, f) in report.Formats)
        {
            string perVideo = f.PerVideoMeanBytes is { } m ? EstimateWriters.Bytes(m) + (f.PerVideoSpreadBytes is { } sd ? " ± " + EstimateWriters.Bytes(sd) : "") : "–";
            table.AddRow(name, EstimateWriters.Bytes(f.Bytes), EstimateWriters.Interval(f.BytesCi95), EstimateWriters.Bytes(f.AllocatedBytes),
                f.Files.ToString("N0", CultureInfo.InvariantCulture), perVideo, f.Source);
        }
        console.Write(table);
        if (report.Splits.Count > 0)
        {
            var splits = new Table().AddColumns("split", "videos", "rgb", "flow", "rgb + flow", "files (rgb + flow)");
            foreach (var split in report.Splits)
            {
                splits.AddRow(split.Name, split.Videos.ToString("N0", CultureInfo.InvariantCulture), EstimateWriters.Bytes(split.Formats[FormatNames.Rgb].Bytes),
                    EstimateWriters.Bytes(split.Formats[FormatNames.Flow].Bytes), EstimateWriters.Bytes(split.Formats[FormatNames.RgbFlow].Bytes),
                    split.Formats[FormatNames.RgbFlow].Files.ToString("N0", CultureInfo.InvariantCulture));
            }
            console.Write(splits);
        }
        var time = new Table().AddColumns("task", "flow", "time", "frames/s", "source");
        foreach (var t in report.Time)
            time.AddRow(t.Task, t.Algorithm ?? "–", EstimateWriters.Duration(t.Seconds), t.FramesPerSecond.ToString("0.#", CultureInfo.InvariantCulture), t.Source);
        console.Write(time);
        if (report.Sample is { } sample)
            console.MarkupLine($"sample: {sample.Used} video(s) extracted in {sample.Seconds.ToString("0.#", CultureInfo.InvariantCulture)} s (seed {sample.Seed}), then deleted");
        foreach (var e in report.Excluded)
            console.MarkupLine($"[yellow]excluded:[/] {Markup.Escape(e.Path)}: {Markup.Escape(e.Reason)}");
        if (report.FreeSpace is { } fs)
        {
            string free = $"free on {Markup.Escape(fs.Target)}: {EstimateWriters.Bytes(fs.FreeBytes)}, {(fs.FreeFiles is { } ff ? ff.ToString("N0", CultureInfo.InvariantCulture) : "unlimited")} inodes";
            console.MarkupLine(fs.BytesFit && fs.FilesFit ? $"[green]fits:[/] {free}"
                : $"[red]does not fit:[/] {fs.Format} needs {EstimateWriters.Bytes(fs.NeededBytes)} and {fs.NeededFiles.ToString("N0", CultureInfo.InvariantCulture)} inodes"
                  + $"{(fs.BytesFit ? "" : " (bytes short)")}{(fs.FilesFit ? "" : " (inodes short)")}; {free}");
        }
        foreach (string a in report.Assumptions)
            console.MarkupLine($"[grey]{Markup.Escape(a)}[/]");
    }
}
