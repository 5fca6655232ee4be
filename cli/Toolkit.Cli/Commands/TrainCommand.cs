using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Toolkit.Cli.Rendering;
using Toolkit.Core;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Hosting;

namespace Toolkit.Cli.Commands;

/// <summary><c>toolkit train</c>: one training run through a trainer plugin loaded at run time.</summary>
public static class TrainCommand
{
    /// <summary>Exit code of a plugin that threw while training (the last checkpoint is intact).</summary>
    public const int PluginFailed = 3;

    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var config = new Option<string>("--config") { Description = "Run config (JSON; see configs/demo.json and docs/train.md).", Required = true };
        var workDir = new Option<string>("--work-dir") { Description = "Output folder: checkpoints/, metrics/ (CSV, JSON, PNG plot), config.json.", Required = true };
        var plugin = new Option<string?>("--plugin") { Description = "Trainer plugin (default: the config's \"plugin\", else video-classifier)." };
        var folder = PluginsCommand.FolderOption();
        var device = new Option<string?>("--device") { Description = "Override the config's device: auto, cpu, cuda, cuda:N." };
        var noResume = new Option<bool>("--no-resume") { Description = "Start afresh even when the work dir has checkpoints: an earlier run's files are moved to WORK_DIR/previous/<time>/ first." };
        var resumeFrom = new Option<string?>("--resume-from") { Description = "Resume from this checkpoint of the work dir (an epoch number, epoch_NNNN or its path) instead of the newest; later ones are moved to WORK_DIR/previous/<time>/." };
        var command = new Command("train", "Train a model through a trainer plugin on rawframes or videos, with checkpoints and metrics; resumes from the last checkpoint.")
        {
            config, workDir, plugin, folder, device, noResume, resumeFrom,
        };
        command.SetAction(async (parse, ct) =>
        {
            TrainingConfig cfg;
            try
            {
                cfg = TrainingConfig.Load(parse.GetValue(config)!);
                if (parse.GetValue(device) is { } d)
                    cfg = (cfg with { Device = d }).Validated("--device");
                if (parse.GetValue(noResume) && parse.GetValue(resumeFrom) is not null)
                    throw new ToolkitError("--resume-from", "cannot be combined with --no-resume", "pass one: --no-resume starts afresh, --resume-from N resumes from epoch N");
            }
            catch (ToolkitError e)
            {
                console.Error(e.ForCli());
                return ExitCodes.CouldNotRun;
            }
            string name = parse.GetValue(plugin) ?? cfg.Plugin ?? "video-classifier";
            using var catalog = PluginCatalog.Load(PluginCatalog.ResolveFolder(parse.GetValue(folder)));
            LoadedPlugin loaded;
            try
            {
                loaded = catalog.Get(name);
            }
            catch (PluginNotFoundException e)
            {
                console.Error(e.ForCli());
                return ExitCodes.CouldNotRun;
            }
            string dir = Path.GetFullPath(parse.GetValue(workDir)!);
            var view = new TrainView(console);
            try
            {
                var (outcome, metrics) = await view.RunAsync(() => TrainingRun.RunAsync(loaded, new TrainingRunOptions
                {
                    Config = cfg,
                    WorkDir = dir,
                    Resume = !parse.GetValue(noResume),
                    ResumeFrom = parse.GetValue(resumeFrom),
                    Display = view,
                    OnStart = view.Start,
                }, ct)).ConfigureAwait(false);
                var last = outcome.Last;
                string summary = last is null
                    ? $"nothing to train: {outcome.EpochsCompleted} epochs already done"
                    : string.Create(CultureInfo.InvariantCulture,
                        $"trained {outcome.EpochsCompleted} epochs: last train loss {last.TrainLoss:F4}, top-1 {100 * last.TrainTop1:F1}%{(last.ValidationTop1 is { } v ? $", validation top-1 {100 * v:F1}%" : "")}{(last.ValidationTop5 is { } v5 ? $" top-5 {100 * v5:F1}%" : "")}, {last.IterationsPerSecond:F2} it/s");
                console.WriteLine($"train: {summary}");
                console.WriteLine($"train: metrics in {metrics.Folder} (plot: {metrics.PlotPath}), checkpoint {outcome.LastCheckpoint ?? "none"}");
                return ExitCodes.Ok;
            }
            catch (ToolkitError e)
            {
                console.Error(e.ForCli());
                return ExitCodes.CouldNotRun;
            }
            catch (PluginFailedException e)
            {
                console.Error(e.ForCli());
                return PluginFailed;
            }
            catch (OperationCanceledException)
            {
                console.Error($"train: cancelled; the last complete checkpoint in {dir} is intact, run the same command to resume");
                return ExitCodes.Cancelled;
            }
        });
        return command;
    }

    /// <summary>Live bar (epoch, iteration, loss, LR, it/s) on a terminal; a line per epoch and every 10 s otherwise.</summary>
    private sealed class TrainView(IAnsiConsole console) : ITrainingReporter
    {
        private readonly Lock _gate = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int[] _perEpoch = [];
        private long _total;
        private IterationMetrics? _last;
        private long _seen;
        private TimeSpan _lastLine;

        public void Start(ITrainingData data, ITrainingSchedule schedule)
        {
            _perEpoch = Enumerable.Range(0, schedule.Epochs).Select(data.IterationsIn).ToArray();
            _total = _perEpoch.Sum(x => (long)x);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"train: {data.TrainSamples} training videos, {data.ValidationSamples} validation videos, {data.Classes} classes; {schedule.Kind} schedule, {schedule.Epochs} epochs, {_total} iterations"));
        }

        public async Task<T> RunAsync<T>(Func<Task<T>> run)
        {
            if (!console.IsLive())
            {
                var work = run();
                while (await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false) != work)
                {
                    if (Line() is { } line && _clock.Elapsed - _lastLine > TimeSpan.FromSeconds(9))
                        console.WriteLine($"[train] {line}");
                }
                return await work.ConfigureAwait(false);
            }
            T result = default!;
            await console.Progress().AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var bar = ctx.AddTask("train", autoStart: true, maxValue: 1);
                    var work = run();
                    while (true)
                    {
                        bool finished = await Task.WhenAny(work, Task.Delay(250)).ConfigureAwait(false) == work;
                        bar.MaxValue = Math.Max(1, _total);
                        bar.Value = Math.Min(Interlocked.Read(ref _seen), bar.MaxValue);
                        bar.Description = Markup.Escape(Line() ?? "starting");
                        if (finished)
                        {
                            result = await work.ConfigureAwait(false);
                            return;
                        }
                    }
                }).ConfigureAwait(false);
            return result;
        }

        private string? Line()
        {
            IterationMetrics? m;
            lock (_gate)
                m = _last;
            if (m is null)
                return null;
            int its = m.Epoch < _perEpoch.Length ? _perEpoch[m.Epoch] : 0;
            return string.Create(CultureInfo.InvariantCulture,
                $"epoch {m.Epoch + 1}/{_perEpoch.Length} it {m.Iteration + 1}/{its} loss {m.Loss:F4} lr {m.LearningRate:G3} {1 / Math.Max(m.Seconds + m.DataSeconds, 1e-9):F2} it/s");
        }

        public void Iteration(IterationMetrics metrics)
        {
            lock (_gate)
                _last = metrics;
            Interlocked.Exchange(ref _seen, PriorIterations(metrics.Epoch) + metrics.Iteration + 1);
        }

        private long PriorIterations(int epoch) => _perEpoch.Take(epoch).Sum(x => (long)x);

        public void Epoch(EpochMetrics metrics)
        {
            _lastLine = _clock.Elapsed;
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[train] epoch {metrics.Epoch + 1}/{_perEpoch.Length}: loss {metrics.TrainLoss:F4}, top-1 {100 * metrics.TrainTop1:F1}%{(metrics.ValidationTop1 is { } v ? $", val loss {metrics.ValidationLoss:F4} top-1 {100 * v:F1}%" : "")}{(metrics.ValidationTop5 is { } v5 ? $" top-5 {100 * v5:F1}%" : "")}, lr {metrics.LearningRate:G3}, {metrics.IterationsPerSecond:F2} it/s, {metrics.Seconds:F1} s, peak {metrics.PeakMemoryBytes / 1048576.0:F0} MiB"));
        }

        public void Checkpoint(CheckpointInfo checkpoint) => console.WriteLine($"[train] checkpoint {checkpoint.Path}");

        public void Message(string text) => console.WriteLine($"[train] {text}");
    }
}
