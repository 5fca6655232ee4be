using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ScottPlot;
using Spectre.Console;
using Toolkit.Charts;
using Toolkit.Cli.Rendering;
using Toolkit.Core;
using Toolkit.Estimator.Reporting;
using Toolkit.Loaders.Multigrid;

namespace Toolkit.Cli.Commands;

/// <summary><c>toolkit schedule</c>: the multigrid schedule of a training config, as a table, JSON and a PNG plot.</summary>
public static class ScheduleCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var frames = new Option<int>("--frames") { Description = "T0: frames per clip of the base shape.", DefaultValueFactory = _ => 8 };
        var crop = new Option<int>("--crop") { Description = "S0: crop side of the base shape.", DefaultValueFactory = _ => 224 };
        var batch = new Option<int>("--batch") { Description = "B0: base batch size over all GPUs.", DefaultValueFactory = _ => 64 };
        var gpus = new Option<int>("--gpus") { Description = "GPUs the batch is split over (for the per-GPU batch and the BatchNorm choice).", DefaultValueFactory = _ => 1 };
        var steps = new Option<string>("--steps") { Description = "Learning-rate step epochs, starting with 0, e.g. 0,94,154,196.", Required = true };
        var maxEpoch = new Option<int>("--max-epoch") { Description = "Epochs of the base schedule.", Required = true };
        var gamma = new Option<double>("--gamma") { Description = "Learning-rate factor per step.", DefaultValueFactory = _ => 0.1 };
        var longCycle = new Option<bool>("--long-cycle") { Description = "Use the long cycle (clip shape changes per epoch range)." };
        var shortCycle = new Option<bool>("--short-cycle") { Description = "Use the short cycle (crop and batch change per iteration)." };
        var epochFactor = new Option<double>("--epoch-factor") { Description = "Total epochs relative to the base schedule.", DefaultValueFactory = _ => 1.5 };
        var longFactors = new Option<string?>("--long-factors") { Description = "Long-cycle t:s factors, coarse to fine (default 0.25:0.7071…,0.5:0.7071…,0.5:1,1:1)." };
        var shortFactors = new Option<string?>("--short-factors") { Description = "The two short-cycle crop factors (default 0.5,0.7071…)." };
        var bnBase = new Option<int>("--bn-base-size") { Description = "Clips per GPU one BatchNorm normalizes over.", DefaultValueFactory = _ => 8 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (max_epoch, steps, lrs, schedule) and nothing else." };
        var png = new Option<string?>("--png") { Description = "Draw the schedule (relative LR, batch, frames and crop over epochs) to this PNG file." };
        var command = new Command("schedule", "Print the multigrid training schedule (Wu et al. 2020, as SlowFast computes it) for a config.")
        {
            frames, crop, batch, gpus, steps, maxEpoch, gamma, longCycle, shortCycle, epochFactor, longFactors, shortFactors, bnBase, json, png,
        };
        command.SetAction(parse =>
        {
            MultigridSchedule schedule;
            try
            {
                var options = new MultigridOptions
                {
                    Frames = parse.GetValue(frames),
                    Crop = parse.GetValue(crop),
                    Batch = parse.GetValue(batch),
                    Gpus = parse.GetValue(gpus),
                    Steps = ParseInts("--steps", parse.GetValue(steps)!),
                    MaxEpoch = parse.GetValue(maxEpoch),
                    Gamma = parse.GetValue(gamma),
                    LongCycle = parse.GetValue(longCycle),
                    ShortCycle = parse.GetValue(shortCycle),
                    EpochFactor = parse.GetValue(epochFactor),
                    LongCycleFactors = parse.GetValue(longFactors) is { } lf ? ParseLongFactors(lf) : MultigridOptions.DefaultLongCycleFactors,
                    ShortCycleFactors = parse.GetValue(shortFactors) is { } sf ? ParseDoubles("--short-factors", sf) : MultigridOptions.DefaultShortCycleFactors,
                    BnBaseSize = parse.GetValue(bnBase),
                };
                schedule = MultigridSchedule.Create(options);
            }
            catch (ToolkitError e)
            {
                console.Error(e.ForCli());
                return ExitCodes.CouldNotRun;
            }
            if (parse.GetValue(json))
                Console.Out.WriteLine(ToJson(schedule));
            else
                Render(console, schedule);
            if (parse.GetValue(png) is { } file)
            {
                try
                {
                    File.WriteAllBytes(file, Plot(schedule));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    console.Error($"{file}: cannot write the plot ({e.Message})");
                    return ExitCodes.CouldNotRun;
                }
                if (!parse.GetValue(json))
                    console.WriteLine($"wrote {Path.GetFullPath(file)}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// The machine-readable schedule: <c>max_epoch</c>, <c>steps</c>, <c>lrs</c> (relative to the base LR, SlowFast's
    /// <c>SOLVER.LRS</c>) and, with the long cycle, <c>schedule</c>: one entry per stage with <c>step</c>, <c>batch</c>
    /// (multiplier of the base batch), <c>frames</c>, <c>crop</c> and <c>end_epoch</c>.
    /// </summary>
    public static string ToJson(MultigridSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var document = new Dictionary<string, object>
        {
            ["max_epoch"] = schedule.MaxEpoch,
            ["steps"] = schedule.Steps,
            ["lrs"] = schedule.RelativeLearningRates,
            ["schedule"] = schedule.Stages.Select(s => new Dictionary<string, int>
            {
                ["step"] = s.Step, ["batch"] = s.BatchMultiplier, ["frames"] = s.Frames, ["crop"] = s.Crop, ["end_epoch"] = s.EndEpoch,
            }).ToList(),
        };
        return JsonSerializer.Serialize(document);
    }

    private static void Render(IAnsiConsole console, MultigridSchedule schedule)
    {
        var o = schedule.Options;
        console.WriteLine($"multigrid schedule: base {o.Frames}x{o.Crop}², batch {o.Batch} on {o.Gpus} GPU(s), steps {string.Join(',', o.Steps)}, "
            + $"max epoch {o.MaxEpoch} → {schedule.MaxEpoch}; long cycle {(o.LongCycle ? "on" : "off")}, short cycle {(o.ShortCycle ? "on" : "off")}");
        if (schedule.Stages.Count > 0)
        {
            var table = new Table().AddColumns("stage", "step", "epochs", "batch (x base)", "per GPU", "frames", "crop", "BatchNorm", "short-cycle batches", "relative LR");
            int start = 0;
            for (int i = 0; i < schedule.Stages.Count; i++)
            {
                var s = schedule.Stages[i];
                var bn = schedule.BatchNorm(start);
                string norm = bn.Kind switch { BatchNormKind.SubBatchNorm => $"sub, {bn.Splits} splits", BatchNormKind.SyncBatchNorm => $"sync over {bn.SyncDevices}", _ => "plain" };
                string shortCycle = o.ShortCycle ? string.Join(" / ", Enumerable.Range(0, 3).Select(k => $"{schedule.Shape(start, k).Batch}@{schedule.Shape(start, k).Crop}")) : "–";
                table.AddRow(i.ToString(CultureInfo.InvariantCulture), s.Step.ToString(CultureInfo.InvariantCulture), $"{start}–{s.EndEpoch}",
                    $"{s.BatchMultiplier * o.Batch} (x{s.BatchMultiplier})", schedule.PerGpuBatch(start).ToString(CultureInfo.InvariantCulture),
                    s.Frames.ToString(CultureInfo.InvariantCulture), s.Crop.ToString(CultureInfo.InvariantCulture), norm, shortCycle,
                    schedule.RelativeLearningRate(start).ToString("0.####", CultureInfo.InvariantCulture));
                start = s.EndEpoch;
            }
            console.Write(table);
        }
        var steps = new Table().AddColumns("from epoch", "relative LR");
        for (int i = 0; i < schedule.Steps.Count; i++)
            steps.AddRow(schedule.Steps[i].ToString(CultureInfo.InvariantCulture), schedule.RelativeLearningRates[i].ToString("0.######", CultureInfo.InvariantCulture));
        console.Write(steps);
    }

    /// <summary>Four stacked step plots over epochs: relative LR (log scale), batch over all GPUs, frames, crop.</summary>
    internal static byte[] Plot(MultigridSchedule schedule)
    {
        ChartFonts.Ensure();
        const int width = 900, height = 260;
        double[] epochs = Enumerable.Range(0, schedule.MaxEpoch + 1).Select(e => (double)e).ToArray();
        int last = Math.Max(0, schedule.MaxEpoch - 1);
        (string Title, string Unit, Func<int, double> Value, bool Log)[] panels =
        [
            ("Learning rate relative to the base LR", "log10(LR / base LR)", e => schedule.RelativeLearningRate(e), true),
            ("Batch over all GPUs (long cycle; the short cycle multiplies it per iteration)", "clips", e => schedule.EpochBatch(e), false),
            ("Frames per clip", "T", e => schedule.LongCycleShape(e).Frames, false),
            ("Crop side (long cycle)", "pixels", e => schedule.LongCycleShape(e).Crop, false),
        ];
        var plots = new List<Plot>();
        try
        {
            for (int i = 0; i < panels.Length; i++)
            {
                var (title, unit, value, log) = panels[i];
                var plot = new Plot();
                plots.Add(plot);
                double[] ys = epochs.Select(e => value(Math.Min((int)e, last))).Select(v => log ? Math.Log10(v) : v).ToArray();
                var line = plot.Add.ScatterLine(epochs, ys);
                line.ConnectStyle = ConnectStyle.StepHorizontal;
                line.LineWidth = 2;
                plot.Title(title);
                plot.YLabel(unit);
                if (i == panels.Length - 1)
                    plot.XLabel("epoch");
            }
            return StackedCharts.Png(plots, width, height);
        }
        finally
        {
            foreach (var plot in plots)
                plot.Dispose();
        }
    }

    private static int[] ParseInts(string option, string text) =>
        [.. Split(option, text).Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
            : throw new ToolkitError(option, $"'{p}' is not a whole number", "Give comma-separated epochs, e.g. 0,94,154,196"))];

    private static double[] ParseDoubles(string option, string text) =>
        [.. Split(option, text).Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
            : throw new ToolkitError(option, $"'{p}' is not a number", "Give comma-separated numbers, e.g. 0.5,0.7071067811865476"))];

    private static LongCycleFactor[] ParseLongFactors(string text) =>
        [.. Split("--long-factors", text).Select(p =>
        {
            string[] ts = p.Split(':');
            if (ts.Length != 2 || !double.TryParse(ts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double t)
                || !double.TryParse(ts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double s))
                throw new ToolkitError("--long-factors", $"'{p}' is not t:s", "Give comma-separated t:s pairs, e.g. 0.25:0.7071,0.5:0.7071,0.5:1,1:1");
            return new LongCycleFactor(t, s);
        })];

    private static string[] Split(string option, string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 0 ? parts : throw new ToolkitError(option, "is empty", "Give a comma-separated list");
    }
}
