using static TorchSharp.torch;

namespace Toolkit.Trainers.Training.Precision;

/// <summary>
/// Channels-last 3-D layout (N × T × H × W × C in memory, still indexed N × C × T × H × W), PyTorch's
/// <c>torch.channels_last_3d</c>. TorchSharp 0.107 has no memory formats at all (its <c>memory_format</c> enum is not
/// passed to libtorch anywhere), so the strides are made by hand: permute to N × T × H × W × C, make that contiguous,
/// permute back. libtorch's convolutions pick their layout from the input's strides (cuDNN and oneDNN both), and their
/// outputs, and the batch norms and activations after them, keep it, so converting the batch once converts the network.
/// Where it helps: 3-D convolutions with bfloat16 or float16 on tensor cores (NVIDIA's NDHWC kernels); on the CPU and
/// for transformers it does not (BENCHMARKS.md, "GPU" has the figures when a device was lent).
/// </summary>
public static class MemoryLayout
{
    /// <summary>A channels-last copy of <paramref name="clips"/> (N × C × T × H × W); the input is not changed.</summary>
    public static Tensor ChannelsLast3d(Tensor clips)
    {
        ArgumentNullException.ThrowIfNull(clips);
        if (clips.dim() != 5)
            throw new ArgumentException($"expects N x C x T x H x W, got shape [{string.Join(", ", clips.shape)}]", nameof(clips));
        using var ndhwc = clips.permute(0, 2, 3, 4, 1);
        using var dense = ndhwc.contiguous();
        return dense.permute(0, 4, 1, 2, 3);
    }

    /// <summary>True when <paramref name="clips"/> (5-D) is laid out channels-last: channel stride 1, the others N × T × H × W × C.</summary>
    public static bool IsChannelsLast3d(Tensor clips)
    {
        ArgumentNullException.ThrowIfNull(clips);
        if (clips.dim() != 5)
            return false;
        var s = clips.shape;
        var st = clips.stride();
        long c = s[1], t = s[2], h = s[3], w = s[4];
        // Dimensions of size 1 may carry any stride (libtorch's own rule), so only the others are compared.
        bool Is(int dim, long expected) => s[dim] == 1 || st[dim] == expected;
        return Is(1, 1) && Is(4, c) && Is(3, c * w) && Is(2, c * w * h) && Is(0, c * w * h * t);
    }
}
