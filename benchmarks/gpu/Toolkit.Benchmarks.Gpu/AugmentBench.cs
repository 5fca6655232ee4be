using System.Text.Json.Nodes;
using Toolkit.Augment.Tensors.Batch;
using Toolkit.Augment.Tensors.Clips;
using Toolkit.Loaders.Pipeline;
using static TorchSharp.torch;

namespace Toolkit.Benchmarks.Gpu;

/// <summary>
/// The batch-level work a trainer does on device tensors, each op timed on its own over a uint8 batch already on the
/// device: normalize (<see cref="LoaderBatch.Normalize"/>), mixup, CutMix (<see cref="BatchMixer"/>), flip and resize
/// (<see cref="ClipTensors"/>). Milliseconds per batch and clips per second.
/// </summary>
internal static class AugmentBench
{
    private static readonly double[] Mean = [123.675, 116.28, 103.53];
    private static readonly double[] Std = [58.395, 57.12, 57.375];

    public static void Run(Args args)
    {
        using var input = HostBatch.From(args);
        var (device, batch, frames, crop, seconds, results, g, host) = (input.Device, input.Batch, input.Frames, input.Crop, input.Seconds, input.Results, input.Generator, input.Tensor);
        using var raw = host.to(device);
        using var labels = randint(0, 400, [batch], generator: g, dtype: ScalarType.Int64).to(device);
        using var clips = LoaderBatch.Normalize(raw, Mean, Std);
        var mixup = new BatchMixer(MixOptions.Mixup(400));
        var cutmix = new BatchMixer(MixOptions.CutMix(400));
        using var mixGenerator = new Generator(1);
        int half = crop / 2;
        var ops = new (string Name, Func<Tensor> Op)[]
        {
            ("normalize", () => LoaderBatch.Normalize(raw, Mean, Std)),
            ("mixup", () => { using var r = mixup.Mix(clips, labels, mixGenerator); return r.Videos.alias(); }),
            ("cutmix", () => { using var r = cutmix.Mix(clips, labels, mixGenerator); return r.Videos.alias(); }),
            ("flip", () => ClipTensors.Flip(clips, Toolkit.Augment.ClipKind.Rgb, quantized: false)),
            ("resize_half", () => ClipTensors.Resize(clips, half, half)),
        };
        foreach (var (name, op) in ops)
        {
            var (rate, iters) = Timing.Rate(() => { using var _ = op(); }, device, warmup: 2, minIters: 3, seconds);
            results.Write(new JsonObject
            {
                ["bench"] = "augment",
                ["op"] = name,
                ["shape"] = $"{batch}x3x{frames}x{crop}x{crop}",
                ["device"] = device.ToString(),
                ["ms_per_batch"] = Math.Round(1000 / rate, 3),
                ["clips_per_s"] = Math.Round(rate * batch, 1),
                ["iters"] = iters,
            });
        }
    }
}
