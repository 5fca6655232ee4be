using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace Toolkit.Benchmarks.Gpu;

/// <summary>
/// What this process bound to: the libtorch files actually mapped (from <c>/proc/self/maps</c>: the kit's point is
/// that they come from the machine's PyTorch), TorchSharp's version, CUDA and cuDNN, the GPU, and a tensor computed on
/// each device in float32 and bfloat16. Fails (exit 1) when the computation is wrong.
/// </summary>
internal static class EnvReport
{
    public static int Run(Args args)
    {
        // --device cuda fails here, in one line, where CUDA is absent: the self-check of a GPU run.
        var device = DeviceChoice.Resolve(args.Text("device", "cpu"));
        var results = new Results(args.Optional("out"));
        args.CheckAllRead();
        using var a = arange(1, 7, ScalarType.Float32).view(2, 3);
        float cpuSum = a.matmul(a.t()).sum().item<float>();
        bool cudaAvailable = cuda.is_available();
        var row = new JsonObject
        {
            ["bench"] = "env",
            ["device"] = device.ToString(),
            ["torchsharp"] = typeof(torch).Assembly.GetName().Version?.ToString(),
            ["libtorch_version_built_for"] = __version__,
            ["libraries"] = new JsonArray([.. MappedLibraries().Select(p => (JsonNode?)JsonValue.Create(p))]),
            ["cpu_check"] = cpuSum,
            ["cuda_available"] = cudaAvailable,
            ["cuda_devices"] = cudaAvailable ? cuda.device_count() : 0,
            ["cudnn_available"] = cudaAvailable && cuda.is_cudnn_available(),
        };
        float expected = 14 + 32 + 32 + 77; // [[1,2,3],[4,5,6]] times its transpose, summed
        bool ok = cpuSum == expected;
        if (cudaAvailable)
        {
            using var onGpu = a.to(CUDA);
            float gpuSum = onGpu.matmul(onGpu.t()).sum().item<float>();
            using var bf = onGpu.to(ScalarType.BFloat16);
            float bfSum = bf.matmul(bf.t()).to(ScalarType.Float32).sum().item<float>();
            row["cuda_check"] = gpuSum;
            row["cuda_bf16_check"] = bfSum;
            ok &= gpuSum == expected && bfSum == expected;
            if (Nvml.TryDevice(0, out var handle))
            {
                row["gpu"] = Nvml.Name(handle);
                row["gpu_memory_mib"] = Nvml.Total(handle) / 1048576;
            }
        }
        row["ok"] = ok;
        results.Write(row);
        return ok ? 0 : 1;
    }

    private static IEnumerable<string> MappedLibraries()
    {
        string[] wanted = ["libtorch", "libc10", "libLibTorchSharp", "libcudnn", "libcudart", "libgomp"];
        if (!File.Exists("/proc/self/maps"))
            return [];
        return File.ReadLines("/proc/self/maps")
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && wanted.Any(w => Path.GetFileName(f[5]).StartsWith(w, StringComparison.Ordinal)))
            .Select(f => f[5]).Distinct().Order();
    }
}
