using System.Diagnostics;
using System.Text.Json.Nodes;
using Toolkit.Core;
using Toolkit.Trainers.Models;
using Toolkit.Trainers.Models.Transformers;
using Toolkit.Trainers.Training.Precision;
using TorchSharp;
using static TorchSharp.torch;

namespace Toolkit.Benchmarks.Gpu;

/// <summary>
/// Train (forward, backward, AdamW) and test (no-grad forward) iterations per second of one zoo model at one batch
/// shape, in float32 or bfloat16 (float32 master weights, <see cref="Bf16MasterWeights"/>), contiguous or
/// channels-last; peak memory of each phase. Test runs first: the sampler's high-water mark (NVML's device memory
/// never drops while libtorch's caching allocator holds it) is then exact for both phases, as training needs more.
/// Run one model, precision and batch per process so each starts from an empty device.
/// </summary>
internal static class ModelBench
{
    public static void Run(Args args)
    {
        var device = DeviceChoice.Resolve(args.Text("device", "cpu"));
        string name = args.Text("model", "x3d-m");
        int batch = args.Int("batch", 1), frames = args.Int("frames", 16), crop = args.Int("crop", 224);
        string precision = args.Text("precision", "fp32");
        string layout = args.Text("layout", "contiguous");
        double seconds = args.Real("seconds", 2), width = args.Real("width", 1);
        int warmup = args.Int("warmup", 3), minIters = args.Int("min-iters", 3), classes = args.Int("classes", 400);
        var results = new Results(args.Optional("out"));
        args.CheckAllRead();
        if (precision is not ("fp32" or "bf16"))
            throw new ToolkitError($"--precision {precision}", "is not fp32 or bf16");
        if (layout is not ("contiguous" or "channels_last"))
            throw new ToolkitError($"--layout {layout}", "is not contiguous or channels_last");
        var entry = ModelZoo.Get(name);
        if (entry.IsImageModel)
            throw new ToolkitError($"--model {name}", "is an image model; this benchmark times video models (N x 3 x T x H x W)");

        var options = new ModelOptions
        {
            Classes = classes,
            Width = width,
            Seed = 0,
            Transformer = new TransformerOptions { ImageSize = crop, Frames = frames },
        };
        using var sampler = MemorySampler.Start(device.type == DeviceType.CUDA ? Math.Max(0, device.index) : null);
        using var model = entry.Create(options);
        long parameters = model.parameters().Sum(p => p.numel());
        model.to(device);
        bool bf16 = precision == "bf16";
        using var masters = bf16 ? new Bf16MasterWeights(model) : null;
        using var optimizer = optim.AdamW(masters?.Masters ?? model.parameters(), lr: 1e-4, weight_decay: 0.05);
        using var g = new Generator(0);
        using var host = randn([batch, 3, frames, crop, crop], generator: g);
        using var onDevice = host.to(bf16 ? ScalarType.BFloat16 : ScalarType.Float32, device);
        using var x = layout == "channels_last" ? MemoryLayout.ChannelsLast3d(onDevice) : onDevice.alias();
        using var y = randint(classes, [batch], generator: g, dtype: ScalarType.Int64).to(device);

        void TestStep()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            _ = model.call(x).to(ScalarType.Float32).sum().item<float>();
        }

        void TrainStep()
        {
            using var scope = NewDisposeScope();
            if (masters is null)
                optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.call(x).to(ScalarType.Float32), y);
            loss.backward();
            if (masters is null)
                optimizer.step();
            else
                masters.Step(() => optimizer.step());
            _ = loss.item<float>();
        }

        foreach (var (phase, step) in new (string, Action)[] { ("test", TestStep), ("train", TrainStep) })
        {
            if (phase == "test")
                model.eval();
            else
                model.train();
            var (rate, iters) = Timing.Rate(step, device, warmup, minIters, seconds);
            results.Write(new JsonObject
            {
                ["bench"] = "model",
                ["framework"] = "torchsharp",
                ["model"] = entry.Name,
                ["phase"] = phase,
                ["precision"] = precision,
                ["layout"] = layout,
                ["batch"] = batch,
                ["shape"] = $"{batch}x3x{frames}x{crop}x{crop}",
                ["device"] = device.ToString(),
                ["params"] = parameters,
                ["it_per_s"] = Math.Round(rate, 3),
                ["clips_per_s"] = Math.Round(rate * batch, 2),
                ["iters"] = iters,
                ["peak_mib"] = Math.Round(sampler.Peak / 1048576.0, 1),
                ["memory_source"] = sampler.Source,
            });
        }
    }
}

/// <summary>Warm-up, then as many iterations as fill <c>seconds</c> (at least <c>minIters</c>), timed between device synchronizations.</summary>
internal static class Timing
{
    public static (double Rate, int Iters) Rate(Action step, Device device, int warmup, int minIters, double seconds)
    {
        for (int i = 0; i < warmup; i++)
            step();
        DeviceChoice.Synchronize(device);
        var clock = Stopwatch.StartNew();
        int iters = 0;
        while (iters < minIters || clock.Elapsed.TotalSeconds < seconds)
        {
            step();
            iters++;
        }
        DeviceChoice.Synchronize(device);
        return (iters / clock.Elapsed.TotalSeconds, iters);
    }
}
