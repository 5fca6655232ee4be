using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Hosting;
using static TorchSharp.torch;

namespace Toolkit.Benchmarks.Trainers;

/// <summary>
/// <c>loop memory|rawframes WIDTH DEPTH BATCH FRAMES CROP WARMUP STEPS THREADS [DISTINCT | DEMO_OUTPUT [WORKERS]]</c>:
/// the video-classifier's training loop as a user runs it (the plugin through the host, one epoch, x3d-m, 4 classes,
/// adamw-30e at lr 0.01, no dropout, no validation, its checkpoint after the last step), the toolkit side of
/// <c>torch_train.py</c> (issue 21). <b>memory</b>: DISTINCT fixed random batches cycled (no data loading);
/// <b>rawframes</b>: the real loaders on ./demo.sh's rawframes with configs/demo.json's pipeline (SampleFrames every 4th
/// frame, RandomRescale, RandomCrop), the train list repeated to hold WARMUP + STEPS batches. A timestamp as each step is
/// reported; it/s = STEPS / (time of step WARMUP + STEPS − time of step WARMUP); VmHWM read at that step. One JSON line.
/// </summary>
internal static class Loop
{
    private const int Classes = 4;

    public static async Task RunAsync(string[] args)
    {
        string mode = args[1];
        double width = double.Parse(args[2], CultureInfo.InvariantCulture), depth = double.Parse(args[3], CultureInfo.InvariantCulture);
        int[] n = args[4..10].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray();
        int batch = n[0], frames = n[1], crop = n[2], warmup = n[3], steps = n[4], threads = n[5];
        set_num_threads(threads);
        int total = warmup + steps;
        long rssStart = Memory.Rss();
        var options = JsonDocument.Parse(string.Create(CultureInfo.InvariantCulture,
            $$"""{"model": "x3d-m", "width": {{width}}, "depth": {{depth}}, "dropout": 0, "optimizer": "adamw-30e", "lr": 0.01, "linear_scaling": false, "warmup_epochs": 1, "keep_checkpoints": 1}""")).RootElement;
        string dir = Path.Combine(Path.GetTempPath(), "toolkit-bench-loop-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        using var catalog = PluginCatalog.Load(Path.Combine(AppContext.BaseDirectory, "plugins"));
        var plugin = catalog.Get("video-classifier").Instance;
        var reporter = new LoopReporter(warmup + steps);
        try
        {
            if (mode == "memory")
            {
                int distinct = args.Length > 10 ? int.Parse(args[10], CultureInfo.InvariantCulture) : 4;
                using var data = new InMemoryData([batch, 3, frames, crop, crop], Classes, total, distinct, valBatches: 0, seed: 1);
                await TrainAsync(plugin, options, dir, data, reporter).ConfigureAwait(false);
            }
            else if (mode == "rawframes")
            {
                int workers = args.Length > 11 ? int.Parse(args[11], CultureInfo.InvariantCulture) : 2;
                var config = RawframesConfig(Path.GetFullPath(args[10]), dir, batch, frames, crop, total, workers);
                await using var data = LoaderTrainingData.Create(TrainingConfig.Load(config), CPU);
                await TrainAsync(plugin, options, dir, data, reporter).ConfigureAwait(false);
            }
            else
            {
                throw new ArgumentException($"unknown loop mode {mode} (memory or rawframes)");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        if (reporter.Stamps.Count < total)
            throw new InvalidOperationException($"the run reported {reporter.Stamps.Count} steps, fewer than {total}");
        double seconds = Stopwatch.GetElapsedTime(reporter.Stamps[warmup - 1], reporter.Stamps[total - 1]).TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["side"] = "toolkit",
            ["mode"] = mode,
            ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "?",
            ["threads"] = get_num_threads(),
            ["steps"] = steps,
            ["warmup"] = warmup,
            ["it_per_s"] = steps / seconds,
            ["rss_start_mib"] = Memory.InMib(rssStart),
            ["peak_rss_mib"] = Memory.InMib(reporter.PeakAtLastStep),
            ["first_loss"] = reporter.Losses[0],
            ["last_loss"] = reporter.Losses[total - 1],
        }));
    }

    private static async Task TrainAsync(ITrainerPlugin plugin, JsonElement options, string dir, ITrainingData data, LoopReporter reporter)
    {
        var session = new TrainingSession(options, dir, CPU, data, new FixedSchedule(1), reporter) { Resume = false, Seed = 0 };
        await plugin.TrainAsync(session, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>A training config for the loaders: configs/demo.json's data section at this shape, the list repeated.</summary>
    private static string RawframesConfig(string demoOutput, string dir, int batch, int frames, int crop, int total, int workers)
    {
        string lists = Path.Combine(demoOutput, "lists");
        var one = File.ReadAllLines(Path.Combine(lists, "dataset_train_list_rawframes.txt")).Where(l => l.Length > 0).ToList();
        int repeat = (int)Math.Ceiling(total * (double)batch / one.Count);
        string list = Path.Combine(dir, "train.txt");
        File.WriteAllLines(list, Enumerable.Repeat(one, repeat).SelectMany(l => l));
        string config = Path.Combine(dir, "config.json");
        File.WriteAllText(config, string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "plugin": "video-classifier", "seed": 0, "device": "cpu", "epochs": 1,
              "data": {
                "kind": "rawframes", "root": {{JsonSerializer.Serialize(Path.Combine(demoOutput, "rawframes"))}}, "train": {{JsonSerializer.Serialize(list)}},
                "label_map": {{JsonSerializer.Serialize(Path.Combine(lists, "label_map.txt"))}},
                "clip_len": {{frames}}, "frame_interval": 4, "crop": {{crop}}, "batch": {{batch}}, "recipe": "rescale", "workers": {{workers}}
              },
              "trainer": {"model": "x3d-m"}
            }
            """));
        return config;
    }

    /// <summary>A timestamp and the loss of every step; the process's VmHWM at step <paramref name="lastStep"/>.</summary>
    private sealed class LoopReporter(int lastStep) : ITrainingReporter
    {
        public List<long> Stamps { get; } = [];

        public List<double> Losses { get; } = [];

        public long PeakAtLastStep { get; private set; }

        public void Iteration(IterationMetrics metrics)
        {
            Stamps.Add(Stopwatch.GetTimestamp());
            Losses.Add(metrics.Loss);
            if (Stamps.Count == lastStep)
                PeakAtLastStep = Memory.Peak();
        }

        public void Epoch(EpochMetrics metrics)
        {
        }

        public void Checkpoint(CheckpointInfo checkpoint)
        {
        }

        public void Message(string text)
        {
        }
    }
}
