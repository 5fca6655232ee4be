using System.Text.Json.Nodes;
using Toolkit.Loaders.Pipeline;
using TorchSharp;
using static TorchSharp.torch;

namespace Toolkit.Benchmarks.Gpu;

/// <summary>
/// Host-to-device copies of a uint8 batch (N × 3 × T × S × S): from pageable memory (blocking), from memory pinned
/// beforehand (non-blocking, the ceiling), and the loader's own path (<see cref="HostTransfer"/>: pin the collated
/// batch, then copy without blocking, or the pageable fallback where pinning is refused). GB/s each. Without a CUDA
/// device there is nothing to copy to: the row says so and records what pinning did here.
/// </summary>
internal static class TransferBench
{
    public static void Run(Args args)
    {
        using var input = HostBatch.From(args);
        var (device, seconds, results, host) = (input.Device, input.Seconds, input.Results, input.Tensor);
        double bytes = host.numel();
        string shape = input.Shape;
        var loaderPath = new HostTransfer(device.type == DeviceType.CUDA ? device : new Device(DeviceType.CUDA, 0), pin: true);
        if (device.type != DeviceType.CUDA)
        {
            // The collator's pinning on this machine: pinned, or refused and remembered (the pageable fallback).
            using var staged = loaderPath.Pinned(host);
            results.Write(new JsonObject
            {
                ["bench"] = "h2d",
                ["mode"] = "pin_check",
                ["shape"] = shape,
                ["device"] = device.ToString(),
                ["pinned"] = staged.is_pinned(),
                ["pin_failure"] = loaderPath.PinFailure,
                ["skipped"] = "no CUDA device: host-to-device copies need one",
            });
            return;
        }
        using var pinned = host.pin_memory();
        var modes = new (string Name, Func<Tensor> Copy)[]
        {
            ("pageable", () => host.to(device)),
            ("pinned", () => pinned.to(device, non_blocking: true)),
            ("loader", () => loaderPath.ToDevice(host)),
        };
        foreach (var (name, copy) in modes)
        {
            var (rate, iters) = Timing.Rate(() => { using var _ = copy(); }, device, warmup: 2, minIters: 5, seconds);
            results.Write(new JsonObject
            {
                ["bench"] = "h2d",
                ["mode"] = name,
                ["shape"] = shape,
                ["device"] = device.ToString(),
                ["gb_per_s"] = Math.Round(rate * bytes / 1e9, 2),
                ["batches_per_s"] = Math.Round(rate, 1),
                ["iters"] = iters,
                ["pin_failure"] = name == "loader" ? loaderPath.PinFailure : null,
            });
        }
    }
}
