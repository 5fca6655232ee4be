using System.Diagnostics;
using System.Globalization;
using System.Runtime.Loader;
using System.Text.Json;
using Toolkit.Benchmarks.Trainers;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Hosting;
using Toolkit.Trainers.Models;
using Toolkit.Trainers.Models.Transformers;
using Toolkit.Trainers.VideoClassifier;
using TorchSharp;
using static TorchSharp.torch;

// Trainer benchmarks; hand-written timed loops (warm-up excluded, repeats, mean ± sample sd), not BenchmarkDotNet:
// one measurement is seconds of training, and the plugin runs need a fresh work dir and host per run.
//   arch MODEL [SECONDS] [REPEATS] [WARMUP] train (forward+backward+AdamW) and test (no-grad forward) it/s, one markdown row;
//                                           each repeat runs as many iterations as take about SECONDS (from a timed probe step)
//   boundary MODEL [ITERS] [REPEATS]        the plugin's TrainAsync called directly vs through PluginCatalog, ABAB…
//   rss MODEL [EPOCHS] [ITERS]              a long run through the host: VmRSS at chosen steps
//   rss-loader DEMO_OUTPUT [EPOCHS] [REPEAT] [PRECISE_BN_BATCHES] the same with the real loaders (LoaderTrainingData) on ./demo.sh's rawframes,
//                                           the train list repeated REPEAT times (configs/demo.json's data and trainer)
//   overhead MODEL WIDTH BATCH FRAMES CROP [STEPS] [ROUNDS]  ms per training step, bare and with each per-step extra (Overhead.cs)
//   loop memory|rawframes WIDTH DEPTH BATCH FRAMES CROP WARMUP STEPS THREADS [DISTINCT | DEMO_OUTPUT [WORKERS]]
//                                           the training loop through the host, the toolkit side of torch_train.py (Loop.cs)
//   views CHECKPOINT CONFIG [REPEATS]       toolkit test's multi-view cost against plain batches of the same clips (Views.cs)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: arch MODEL [SECONDS REPEATS WARMUP] | boundary MODEL [ITERS REPEATS] | rss MODEL [EPOCHS ITERS]");
    return 2;
}
int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
string model = args[1];
switch (args[0])
{
    case "arch":
        Bench.Architecture(model, args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 2.0, Arg(3, 5), Arg(4, 5));
        return 0;
    case "boundary":
        await Bench.BoundaryAsync(model, Arg(2, 30), Arg(3, 7)).ConfigureAwait(false);
        return 0;
    case "rss":
        await Bench.RssAsync(model, Arg(2, 5), Arg(3, 300)).ConfigureAwait(false);
        return 0;
    case "overhead":
        Overhead.Run(args[1], double.Parse(args[2], CultureInfo.InvariantCulture), Arg(3, 4), Arg(4, 8), Arg(5, 96), Arg(6, 20), Arg(7, 5));
        return 0;
    case "loop":
        await Loop.RunAsync(args).ConfigureAwait(false);
        return 0;
    case "views":
        await Views.RunAsync(args[1], args[2], Arg(3, 3)).ConfigureAwait(false);
        return 0;
    case "rss-loader":
        await Bench.RssLoaderAsync(model, Arg(2, 4), Arg(3, 100), Arg(4, 3)).ConfigureAwait(false);
        return 0;
    default:
        Console.Error.WriteLine($"unknown mode {args[0]}");
        return 2;
}

internal static class Bench
{
    public const double Width = 0.25;
    public const double Depth = 0.34;
    public const int Classes = 10;

    public static long[] InputOf(ModelEntry entry) => entry.IsImageModel ? [2, 3, 64, 64] : [2, 3, 8, 64, 64];

    public static void Architecture(string name, double seconds, int repeats, int warmup)
    {
        var entry = ModelZoo.Get(name);
        var shape = InputOf(entry);
        var options = new ModelOptions
        {
            Classes = Classes,
            Width = Width,
            Depth = Depth,
            Seed = 0,
            Transformer = new TransformerOptions { ImageSize = 64, Frames = 8 },
        };
        // FLOPs at this input (fvcore rules, batch norm in training mode, whole batch), counted before the timed model exists.
        double gflops = ModelZoo.Measure(entry, options, shape).Flops / 1e9;
        using var model = entry.Create(options);
        long parameters = model.parameters().Sum(p => p.numel());
        using var g = new Generator(0);
        using var x = randn(shape, generator: g);
        using var y = randint(Classes, [shape[0]], generator: g, dtype: ScalarType.Int64);
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-3, weight_decay: 0.05);
        long rssStart = Memory.Rss();

        void TrainStep()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(x), y);
            loss.backward();
            optimizer.step();
            _ = loss.item<float>();
        }

        void TestStep()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            _ = model.call(x).sum().item<float>();
        }

        (List<double> Rates, int Iters) Time(Action step)
        {
            for (int i = 0; i < warmup; i++)
                step();
            var probe = Stopwatch.StartNew();
            step();
            int iters = Math.Clamp((int)Math.Ceiling(seconds / probe.Elapsed.TotalSeconds), 3, 1000);
            var rates = new List<double>();
            for (int r = 0; r < repeats; r++)
            {
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < iters; i++)
                    step();
                rates.Add(iters / clock.Elapsed.TotalSeconds);
            }
            return (rates, iters);
        }

        model.train();
        var train = Time(TrainStep);
        long rssAfterTrain = Memory.Rss();
        model.eval();
        var test = Time(TestStep);
        Console.WriteLine($"| {entry.Name} | {string.Join('×', shape)} | {parameters / 1e6:F3}M | {gflops:F3} | {Stats.Format(train.Rates)} | {Stats.Format(test.Rates)} | {repeats} × {train.Iters} / {repeats} × {test.Iters} | {Memory.Mib(Memory.Peak())} | {Memory.Mib(rssStart)} → {Memory.Mib(rssAfterTrain)} → {Memory.Mib(Memory.Rss())} |");
    }

    private static JsonElement OptionsFor(string name) => JsonDocument.Parse(
        $$"""{"model": "{{name}}", "width": {{Width.ToString(CultureInfo.InvariantCulture)}}, "depth": {{Depth.ToString(CultureInfo.InvariantCulture)}}, "linear_scaling": false, "warmup_epochs": 0, "keep_checkpoints": 1}""").RootElement.Clone();

    private static (ITrainerPlugin Direct, ITrainerPlugin Hosted, PluginCatalog Catalog) Plugins()
    {
        var catalog = PluginCatalog.Load(Path.Combine(AppContext.BaseDirectory, "plugins"));
        var hosted = catalog.Get(VideoClassifierPlugin.PluginName).Instance;
        ITrainerPlugin direct = new VideoClassifierPlugin();
        var hostedContext = AssemblyLoadContext.GetLoadContext(hosted.GetType().Assembly);
        var directContext = AssemblyLoadContext.GetLoadContext(direct.GetType().Assembly);
        if (hostedContext is null || hostedContext == AssemblyLoadContext.Default || hosted.GetType() == typeof(VideoClassifierPlugin))
            throw new InvalidOperationException($"the hosted plugin is not the plugin-context copy (context {hostedContext?.Name ?? "null"})");
        if (directContext != AssemblyLoadContext.Default)
            throw new InvalidOperationException($"the direct plugin is not in the default context ({directContext?.Name})");
        // The contract and TorchSharp are shared, so a session crosses the boundary as the same types.
        if (AssemblyLoadContext.GetLoadContext(typeof(ITrainerPlugin).Assembly) != AssemblyLoadContext.Default)
            throw new InvalidOperationException("the contract is not shared from the default context");
        Console.WriteLine($"direct:  {direct.GetType().Assembly.Location} (context: {directContext.Name})");
        Console.WriteLine($"hosted:  {hosted.GetType().Assembly.Location} (context: {hostedContext.Name}, {hostedContext.GetType().Name})");
        return (direct, hosted, catalog);
    }

    private static Task<(double Wall, double Step, long Steps, BenchReporter Reporter)> RunAsync(ITrainerPlugin plugin, string name, InMemoryData data, int epochs, ISet<long>? rssAt = null) =>
        RunAsync(plugin, OptionsFor(name), data, epochs, rssAt);

    private static async Task<(double Wall, double Step, long Steps, BenchReporter Reporter)> RunAsync(ITrainerPlugin plugin, JsonElement options, ITrainingData data, int epochs, ISet<long>? rssAt)
    {
        string dir = Path.Combine(Path.GetTempPath(), "toolkit-bench-trainers-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var reporter = new BenchReporter(rssAt);
            var session = new TrainingSession(options, dir, CPU, data, new FixedSchedule(epochs), reporter) { Resume = false, Seed = 0 };
            var clock = Stopwatch.StartNew();
            await plugin.TrainAsync(session, CancellationToken.None).ConfigureAwait(false);
            return (clock.Elapsed.TotalSeconds, reporter.StepSeconds, reporter.Steps, reporter);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public static async Task BoundaryAsync(string name, int iters, int repeats)
    {
        var (direct, hosted, catalog) = Plugins();
        using var _ = catalog;
        using var data = new InMemoryData(InputOf(ModelZoo.Get(name)), Classes, iters, distinct: 4, valBatches: 0, seed: 1);
        // One untimed run of each first (JIT, libtorch kernels, page faults), then A B A B ….
        await RunAsync(direct, name, data, 1).ConfigureAwait(false);
        await RunAsync(hosted, name, data, 1).ConfigureAwait(false);
        var wall = new Dictionary<string, List<double>> { ["direct"] = [], ["hosted"] = [] };
        var step = new Dictionary<string, List<double>> { ["direct"] = [], ["hosted"] = [] };
        var pairs = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            var a = await RunAsync(direct, name, data, 1).ConfigureAwait(false);
            var b = await RunAsync(hosted, name, data, 1).ConfigureAwait(false);
            if (a.Steps != iters || b.Steps != iters)
                throw new InvalidOperationException($"expected {iters} steps, got {a.Steps} and {b.Steps}");
            wall["direct"].Add(a.Wall);
            wall["hosted"].Add(b.Wall);
            step["direct"].Add(iters / a.Step);
            step["hosted"].Add(iters / b.Step);
            pairs.Add(b.Wall / a.Wall);
            Console.WriteLine($"run {r + 1}: direct {a.Wall:F3} s, hosted {b.Wall:F3} s, hosted/direct {b.Wall / a.Wall:F4}");
        }
        var (dw, _) = Stats.Of(wall["direct"]);
        var (hw, _) = Stats.Of(wall["hosted"]);
        Console.WriteLine();
        Console.WriteLine($"{name}, width {Width}, depth {Depth}, input {string.Join('×', InputOf(ModelZoo.Get(name)))}, {iters} iterations + checkpoint per run, {repeats} runs each, interleaved");
        Console.WriteLine();
        Console.WriteLine("| | TrainAsync wall (s) | it/s (wall) | it/s (plugin's step time) |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var k in new[] { "direct", "hosted" })
            Console.WriteLine($"| {k} | {Stats.Format(wall[k], "F3")} | {Stats.Format(wall[k].Select(w => iters / w).ToList())} | {Stats.Format(step[k])} |");
        var (pm, ps) = Stats.Of(pairs);
        Console.WriteLine($"| hosted / direct | **{hw / dw:F4}** (ratio of means) | pairwise {pm:F4} ± {ps:F4}, range {pairs.Min():F4}–{pairs.Max():F4} | |");
    }

    public static async Task RssLoaderAsync(string demoOutput, int epochs, int repeat, int preciseBn)
    {
        var (_, hosted, catalog) = Plugins();
        using var _ = catalog;
        string root = Path.GetFullPath(demoOutput);
        string lists = Path.Combine(root, "lists");
        string one = Path.Combine(lists, "dataset_train_list_rawframes.txt");
        string dir = Path.Combine(Path.GetTempPath(), "toolkit-bench-trainers-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string list = Path.Combine(dir, "train.txt");
            File.WriteAllLines(list, Enumerable.Repeat(File.ReadAllLines(one).Where(l => l.Length > 0), repeat).SelectMany(l => l));
            string config = Path.Combine(dir, "config.json");
            File.WriteAllText(config, $$"""
            {
              "plugin": "video-classifier", "seed": 0, "device": "cpu", "epochs": {{epochs}},
              "data": {
                "kind": "rawframes", "root": {{JsonSerializer.Serialize(Path.Combine(root, "rawframes"))}}, "train": {{JsonSerializer.Serialize(list)}},
                "val": {{JsonSerializer.Serialize(one)}}, "label_map": {{JsonSerializer.Serialize(Path.Combine(lists, "label_map.txt"))}},
                "clip_len": 8, "frame_interval": 4, "crop": 64, "batch": 2, "recipe": "rrc", "val_recipe": "center", "val_clips": 2,
                "workers": 2, "label_smoothing": 0.1
              },
              "trainer": {"model": "x3d-m", "width": 0.25, "depth": 0.34, "dropout": 0.2, "optimizer": "adamw-30e", "lr": 0.01,
                          "warmup_epochs": 1, "linear_scaling": false, "checkpoint_every": 1, "keep_checkpoints": 2, "precise_bn_batches": {{preciseBn}}}
            }
            """);
            var run = TrainingConfig.Load(config);
            await using var data = LoaderTrainingData.Create(run, CPU);
            long total = 0;
            for (int e = 0; e < epochs; e++)
                total += data.IterationsIn(e);
            var at = new SortedSet<long> { 1, 10, 50, 100, 250, 500, 1000, total };
            for (long s = 100; s <= total; s += 100)
                at.Add(s);
            long before = Memory.Rss();
            var clock = Stopwatch.StartNew();
            var result = await RunAsync(hosted, run.Trainer, data, epochs, at).ConfigureAwait(false);
            Console.WriteLine($"x3d-m (configs/demo.json's trainer and data) through the host on the real loaders: {run.Data.Train} = the demo list × {repeat} ({data.TrainSamples} clips), {epochs} epochs = {result.Steps} steps, validation {data.ValidationSamples} videos × 2 clips, precise BN over {preciseBn} batches and a checkpoint every epoch; {clock.Elapsed.TotalSeconds:F1} s, {result.Steps / result.Step:F2} it/s (step time)");
            PrintRss(result.Reporter, before);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void PrintRss(BenchReporter reporter, long before)
    {
        Console.WriteLine($"RSS before the run {Memory.Mib(before)} MiB, peak (VmHWM) {Memory.Mib(Memory.Peak())} MiB");
        Console.WriteLine();
        Console.WriteLine("| step | " + string.Join(" | ", reporter.Rss.Select(r => r.Step)) + " |");
        Console.WriteLine("|---|" + string.Concat(reporter.Rss.Select(_ => "---|")));
        Console.WriteLine("| RSS (MiB) | " + string.Join(" | ", reporter.Rss.Select(r => Memory.Mib(r.RssBytes))) + " |");
        var r100 = reporter.Rss.First(r => r.Step == 100).RssBytes;
        var rEnd = reporter.Rss[^1].RssBytes;
        Console.WriteLine();
        Console.WriteLine($"growth from step 100 to step {reporter.Rss[^1].Step}: {Memory.Mib(rEnd - r100)} MiB ({(rEnd - r100) / (double)(reporter.Rss[^1].Step - 100) / 1024:F2} KiB/step)");
    }

    public static async Task RssAsync(string name, int epochs, int iters)
    {
        var (_, hosted, catalog) = Plugins();
        using var _ = catalog;
        using var data = new InMemoryData(InputOf(ModelZoo.Get(name)), Classes, iters, distinct: 4, valBatches: 2, seed: 1);
        long total = (long)epochs * iters;
        var at = new SortedSet<long> { 1, 10, 50, 100, 250, 500, 1000, total };
        for (long s = 100; s <= total; s += 100)
            at.Add(s);
        long before = Memory.Rss();
        var clock = Stopwatch.StartNew();
        var run = await RunAsync(hosted, name, data, epochs, at).ConfigureAwait(false);
        Console.WriteLine($"{name} through the host: {epochs} epochs × {iters} iterations = {run.Steps} steps (validation {data.ValidationSamples} samples and a checkpoint every epoch), {clock.Elapsed.TotalSeconds:F1} s, {run.Steps / run.Step:F2} it/s (step time)");
        PrintRss(run.Reporter, before);
    }
}
