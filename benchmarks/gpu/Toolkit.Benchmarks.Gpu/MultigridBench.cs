using System.Diagnostics;
using System.Text.Json.Nodes;
using Toolkit.Loaders.Multigrid;
using Toolkit.Trainers.Models;
using Toolkit.Trainers.Models.Transformers;
using TorchSharp;
using static TorchSharp.torch;

namespace Toolkit.Benchmarks.Gpu;

/// <summary>
/// Training iterations of a small model over the shapes of a multigrid schedule (long and short cycle,
/// <see cref="MultigridSchedule"/>): the distinct (batch, frames, crop) of its epochs, visited in schedule order,
/// <c>iters</c> iterations in all; samples per second for each shape. Each shape's first iteration (new kernels,
/// cuDNN autotuning, allocator growth) is reported apart from the steady ones. Plain BatchNorm3d: the sub-batch
/// norm's split changes do not enter the timing.
/// </summary>
internal static class MultigridBench
{
    public static void Run(Args args)
    {
        var device = DeviceChoice.Resolve(args.Text("device", "cpu"));
        string name = args.Text("model", "x3d-m");
        double width = args.Real("width", 0.5);
        int batch = args.Int("batch", 8), frames = args.Int("frames", 16), crop = args.Int("crop", 224), iters = args.Int("iters", 300);
        var results = new Results(args.Optional("out"));
        args.CheckAllRead();
        var schedule = MultigridSchedule.Create(new MultigridOptions
        {
            Frames = frames, Crop = crop, Batch = batch, LongCycle = true, ShortCycle = true, Steps = [0, 8, 12], MaxEpoch = 16,
        });
        var shapes = new List<(int Batch, int Frames, int Crop)>();
        for (int epoch = 0; epoch < schedule.MaxEpoch; epoch++)
        {
            for (int it = 0; it < 3; it++)
            {
                var s = schedule.Shape(epoch, it);
                if (!shapes.Contains((s.Batch, s.Frames, s.Crop)))
                    shapes.Add((s.Batch, s.Frames, s.Crop));
            }
        }
        var entry = ModelZoo.Get(name);
        using var model = entry.Create(new ModelOptions { Classes = 400, Width = width, Seed = 0, Transformer = new TransformerOptions { ImageSize = crop, Frames = frames } });
        model.to(device);
        model.train();
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-4);
        using var g = new Generator(0);
        int perShape = Math.Max(2, iters / shapes.Count);
        foreach (var (b, t, s) in shapes)
        {
            using var x = randn([b, 3, t, s, s], generator: g).to(device);
            using var y = randint(400, [b], generator: g, dtype: ScalarType.Int64).to(device);
            void Step()
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(model.call(x), y);
                loss.backward();
                optimizer.step();
                _ = loss.item<float>();
            }
            var first = Stopwatch.StartNew();
            Step();
            DeviceChoice.Synchronize(device);
            double firstSeconds = first.Elapsed.TotalSeconds;
            var clock = Stopwatch.StartNew();
            for (int i = 1; i < perShape; i++)
                Step();
            DeviceChoice.Synchronize(device);
            double rate = (perShape - 1) / clock.Elapsed.TotalSeconds;
            results.Write(new JsonObject
            {
                ["bench"] = "multigrid",
                ["model"] = entry.Name,
                ["width"] = width,
                ["shape"] = $"{b}x3x{t}x{s}x{s}",
                ["device"] = device.ToString(),
                ["iters"] = perShape,
                ["first_iter_s"] = Math.Round(firstSeconds, 3),
                ["it_per_s"] = Math.Round(rate, 3),
                ["samples_per_s"] = Math.Round(rate * b, 2),
            });
        }
    }
}
