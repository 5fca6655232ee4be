using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Toolkit.Cli.Rendering;
using Toolkit.Core;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Hosting;
using Toolkit.Trainers.Hosting.Testing;

namespace Toolkit.Cli.Commands;

/// <summary><c>toolkit test</c>: a trained checkpoint measured with a multi-view protocol, as papers report it.</summary>
public static class TestCommand
{
    /// <summary>The plugin threw while loading or scoring.</summary>
    public const int PluginFailed = 3;

    /// <summary>The checkpoint is no format the plugin reads (or missing, or corrupt).</summary>
    public const int UnknownCheckpoint = 4;

    /// <summary>The checkpoint holds another architecture or variant than the config's.</summary>
    public const int WrongModel = 5;

    /// <summary>The checkpoint's classifier has another class count than the test data.</summary>
    public const int WrongClasses = 6;

    /// <summary>The model cannot take the test views (crop, clip length).</summary>
    public const int ViewDoesNotFit = 7;

    /// <summary>The test list has no video.</summary>
    public const int EmptyList = 8;

    /// <summary>No video of the list could be decoded.</summary>
    public const int NothingDecoded = 9;

    /// <summary>The exit code of a checkpoint problem (shared with <c>toolkit predict</c>).</summary>
    public static int ExitCodeOf(CheckpointProblem problem) => problem switch
    {
        CheckpointProblem.WrongModel => WrongModel,
        CheckpointProblem.WrongClasses => WrongClasses,
        CheckpointProblem.ViewDoesNotFit => ViewDoesNotFit,
        _ => UnknownCheckpoint,
    };

    /// <summary>The exit code of an error <c>test</c> and <c>predict</c> report as one line; null for any other exception.</summary>
    internal static int? ExitCodeOf(Exception error) => error switch
    {
        CheckpointException c => ExitCodeOf(c.Problem),
        NoTestVideosError n => n.AllFailed ? NothingDecoded : EmptyList,
        ToolkitError or PluginNotFoundException => ExitCodes.CouldNotRun,
        PluginFailedException => PluginFailed,
        _ => null,
    };

    /// <summary>The options <c>test</c> and <c>predict</c> share: the checkpoint, its config, and the views.</summary>
    internal sealed class ViewOptions
    {
        public Option<string?> Which { get; } = new("--which") { Description = "With a work dir: best (the highest validation top-1; the newest when none was recorded; default), latest, or an epoch number." };
        public Option<string?> Config { get; } = new("--config") { Description = "Run config (default: the one the checkpoint's work dir recorded in run.json)." };
        public Option<string?> Plugin { get; } = new("--plugin") { Description = "Trainer plugin (default: the config's \"plugin\", else video-classifier)." };
        public Option<string?> Folder { get; } = PluginsCommand.FolderOption();
        public Option<string?> Views { get; } = new("--views") { Description = "Clips × crops per video, e.g. 10x3 (Kinetics CNNs), 4x3, 1x3, 1x1; crops are 1 (centre), 3 (ThreeCrop) or 10 (TenCrop). Default: the config's test section, else its validation views." };
        public Option<int?> Segments { get; } = new("--segments") { Description = "TSN-style: this many segments over the whole video, the middle frame of each a view (clip length 1)." };
        public Option<int?> Crop { get; } = new("--crop") { Description = "Crop side (default: test.crop, else data.crop)." };
        public Option<int?> Scale { get; } = new("--scale") { Description = "Short side the frames are resized to before cropping (default: 256 × crop / 224)." };
        public Option<int?> ClipLen { get; } = new("--clip-len") { Description = "Frames per clip (default: test.clip_len, else data.clip_len)." };
        public Option<int?> FrameInterval { get; } = new("--frame-interval") { Description = "Frame interval (default: test.frame_interval, else data.frame_interval)." };
        public Option<string?> Average { get; } = new("--average") { Description = "prob: mean of the views' softmax (mmaction2's default); score: mean of their logits." };
        public Option<int?> Batch { get; } = new("--batch") { Description = "Videos whose views are decoded and scored together (default: test.batch, else data.batch)." };
        public Option<int?> ClipsPerForward { get; } = new("--clips-per-forward") { Description = "Most clips per forward pass (default: test.clips_per_forward; else all of a batch's views on a GPU, and as many as fit 8 MiB of input on a CPU)." };
        public Option<int?> Workers { get; } = new("--workers") { Description = "Decoding workers (default: data.workers)." };
        public Option<string?> Device { get; } = new("--device") { Description = "auto, cpu, cuda or cuda:N (default: the config's)." };

        public IEnumerable<Option> All => [Which, Config, Plugin, Folder, Views, Segments, Crop, Scale, ClipLen, FrameInterval, Average, Batch, ClipsPerForward, Workers, Device];

        /// <summary>The target with the command line's device, and the protocol with its overrides; ToolkitError for a bad value.</summary>
        public (TestTarget Target, TestProtocol Protocol) Resolve(ParseResult parse, string checkpoint)
        {
            var target = TestTarget.Resolve(checkpoint, parse.GetValue(Which), parse.GetValue(Config));
            var config = target.Config;
            if (parse.GetValue(Device) is { } device)
                target = target with { Config = (config with { Device = device }).Validated("--device") };
            var test = config.Test;
            if (parse.GetValue(Views) is { } views)
            {
                var (clips, crops) = ParseViews(views);
                test = test with { Clips = clips, Crops = crops, Segments = 0 };
            }
            if (parse.GetValue(Segments) is { } segments)
                test = test with { Segments = segments, Clips = 0, ClipLen = 0 };
            if (parse.GetValue(Crop) is { } crop)
                test = test with { Crop = crop };
            if (parse.GetValue(Scale) is { } scale)
                test = test with { Scale = scale };
            if (parse.GetValue(ClipLen) is { } clipLen)
                test = test with { ClipLen = clipLen };
            if (parse.GetValue(FrameInterval) is { } interval)
                test = test with { FrameInterval = interval };
            if (parse.GetValue(Average) is { } average)
                test = test with { Average = average };
            if (parse.GetValue(Batch) is { } batch)
                test = test with { Batch = batch };
            if (parse.GetValue(ClipsPerForward) is { } perForward)
                test = test with { ClipsPerForward = perForward };
            return (target, test.Resolve(config.Data, "command line"));
        }

        public LoadedPlugin Load(PluginCatalog catalog, ParseResult parse, TestTarget target) =>
            catalog.Get(parse.GetValue(Plugin) ?? target.Config.Plugin ?? "video-classifier");

        private static (int Clips, string Crops) ParseViews(string views)
        {
            var parts = views.ToLowerInvariant().Split('x', '×');
            if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int clips) && clips >= 1
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int crops) && crops is 1 or 3 or 10)
            {
                return (clips, crops switch { 3 => "three", 10 => "ten", _ => "center" });
            }
            throw new ToolkitError("--views", $"'{views}' is not CLIPSxCROPS", "write e.g. 10x3: 1 or more clips, and 1, 3 or 10 crops");
        }
    }

    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A training work dir (its best checkpoint; see --which), a checkpoint folder (epoch_NNNN), a weights folder, or a .pth / .safetensors file (then --config).", Required = true };
        var list = new Option<string?>("--list") { Description = "Test list (default: the config's test.list, else data.val)." };
        var output = new Option<string?>("--out") { Description = "Results folder (default: WORK_DIR/test/<checkpoint>); replaced as a whole when the test completes." };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON on standard output (nothing else there)." };
        var views = new ViewOptions();
        var command = new Command("test", "Measure a trained checkpoint on a test list with multi-view testing (clips × crops, score averaging): top-1, top-5, mean class accuracy, per-class CSV, confusion matrix, predictions.")
        {
            checkpoint, list, output, json,
        };
        foreach (var option in views.All)
            command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            bool asJson = parse.GetValue(json);
            try
            {
                var (target, protocol) = views.Resolve(parse, parse.GetValue(checkpoint)!);
                string outDir = parse.GetValue(output) ?? target.DefaultOutput
                    ?? throw new ToolkitError("--out", "is needed: the checkpoint is not in a training work dir", "pass --out FOLDER for the results");
                using var catalog = PluginCatalog.Load(PluginCatalog.ResolveFolder(parse.GetValue(views.Folder)));
                var plugin = views.Load(catalog, parse, target);
                var progress = new TestView(console, asJson);
                var summary = await progress.RunAsync(p => TestRun.RunAsync(plugin, new TestRunOptions
                {
                    Target = target,
                    Protocol = protocol,
                    List = parse.GetValue(list),
                    Output = outDir,
                    Workers = parse.GetValue(views.Workers),
                    OnStart = progress.Start,
                    Progress = p,
                }, ct)).ConfigureAwait(false);
                if (asJson)
                {
                    console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(summary, TestRun.Json));
                }
                else
                {
                    console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"test: top-1 {100 * summary.Top1:F2}%{(summary.Top5 is { } t5 ? $", top-5 {100 * t5:F2}%" : "")}, mean class accuracy {100 * summary.MeanClassAccuracy:F2}% over {summary.Evaluated} videos{(summary.Failed.Count > 0 ? $" ({summary.Failed.Count} failed to decode and are left out: {outDir}/failures.tsv)" : "")}; {summary.ViewsPerSecond:F1} views/s ({summary.Seconds:F1} s)"));
                    console.WriteLine($"test: results in {summary.Output}: predictions.tsv, per_class.csv, confusion.png, confusion.csv, summary.json");
                }
                foreach (var failure in summary.Failed.Take(asJson ? 0 : 10))
                    console.Warning($"{failure.Video}: {failure.Reason}");
                return summary.Failed.Count > 0 ? ExitCodes.CompletedWithFailures : ExitCodes.Ok;
            }
            catch (Exception e) when (ExitCodeOf(e) is { } code)
            {
                console.Error(e.ForCli());
                return code;
            }
            catch (OperationCanceledException)
            {
                console.Error("test: cancelled; no results were written (an earlier result folder is unchanged)");
                return ExitCodes.Cancelled;
            }
        });
        return command;
    }

    /// <summary>A live bar (videos, views/s, ETA) on a terminal; a line every 10 s otherwise; silent with --json.</summary>
    private sealed class TestView(IAnsiConsole console, bool quiet)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TestProgress _last = new(0, 0, 0);
        private int _views = 1;

        public void Start(TestStart start)
        {
            _views = start.Protocol.ViewsPerVideo;
            _last = new TestProgress(0, start.Videos, 0);
            _clock.Restart();
            if (quiet)
                return;
            console.WriteLine($"test: {start.Model}");
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"test: {start.Videos} videos of {start.List}; {start.Protocol} = {start.Protocol.ViewsPerVideo} views per video, {start.Protocol.Batch} videos at a time in forward passes of up to {start.Protocol.ClipsPerForwardOn(start.DeviceType)} clips; on {start.Device}"));
        }

        public async Task<T> RunAsync<T>(Func<IProgress<TestProgress>, Task<T>> run)
        {
            var reporter = new Progress(this);
            if (quiet || !console.IsLive())
            {
                var work = run(reporter);
                while (await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false) != work)
                {
                    if (!quiet && _last.Total > 0)
                        console.WriteLine($"[test] {Line()}");
                }
                return await work.ConfigureAwait(false);
            }
            T result = default!;
            await console.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var bar = ctx.AddTask("test", autoStart: true, maxValue: 1);
                    var work = run(reporter);
                    while (true)
                    {
                        bool finished = await Task.WhenAny(work, Task.Delay(250)).ConfigureAwait(false) == work;
                        var last = _last;
                        bar.MaxValue = Math.Max(1, last.Total);
                        bar.Value = last.Done;
                        bar.Description = Markup.Escape(last.Total > 0 ? Line() : "loading the checkpoint");
                        if (finished)
                        {
                            result = await work.ConfigureAwait(false);
                            return;
                        }
                    }
                }).ConfigureAwait(false);
            return result;
        }

        private string Line()
        {
            var p = _last;
            double seconds = _clock.Elapsed.TotalSeconds;
            string eta = p.Done > 0 && p.Total > p.Done ? TimeSpan.FromSeconds(seconds / p.Done * (p.Total - p.Done)).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "?";
            return string.Create(CultureInfo.InvariantCulture, $"videos {p.Done}/{p.Total} ({p.Failed} failed), {(p.Done - p.Failed) * _views / Math.Max(seconds, 1e-3):F1} views/s, ETA {eta}");
        }

        private sealed class Progress(TestView view) : IProgress<TestProgress>
        {
            public void Report(TestProgress value) => view._last = value;
        }
    }
}
