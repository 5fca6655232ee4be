using Toolkit.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Toolkit.Benchmarks.Gpu;

/// <summary>The device a benchmark runs on: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>; CUDA asked for but absent is one line.</summary>
internal static class DeviceChoice
{
    public static Device Resolve(string name)
    {
        if (name == "cpu")
            return CPU;
        if (name != "cuda" && !name.StartsWith("cuda:", StringComparison.Ordinal))
            throw new ToolkitError($"--device {name}", "is not cpu, cuda or cuda:N");
        if (!cuda.is_available())
            throw new ToolkitError($"--device {name}", "CUDA is not available: this libtorch has no CUDA, or no NVIDIA driver and device were found",
                "run the kit against a CUDA PyTorch (docs/gpu.md), or use --device cpu");
        return new Device(name);
    }

    /// <summary>Waits for the device's queued work (a no-op on the CPU), so a clock read after it measures the work.</summary>
    public static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA)
            cuda.synchronize(device);
    }
}
