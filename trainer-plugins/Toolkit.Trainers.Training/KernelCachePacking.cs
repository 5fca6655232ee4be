using Toolkit.Core;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Training;

/// <summary>
/// Keeps the long-lived native objects that libtorch creates on the first pass at a new input shape (oneDNN's cached
/// convolution primitives, thousands of blocks of about 2 KiB) out of the way of the activation buffers, so that glibc's
/// heap does not fragment around them.
/// </summary>
/// <remarks>
/// <para>
/// Without it, those objects are allocated in the middle of the first step's activations; when the activations are
/// freed the objects stay, the freed space between them is split into holes that later, larger buffers do not fit,
/// and the heap grows past the live peak. Measured (issue 21, X3D-M, 4 × 3 × 8 × 112², 2 threads): the same ≈ 555 MiB
/// live peak as PyTorch, a heap of ≈ 780 MiB, a resident peak of 1.03–1.21 GiB against PyTorch's 0.86 GiB; with the
/// first step run as <see cref="Around"/> runs it, 856–866 MiB, at the same speed and with bit-identical losses.
/// </para>
/// <para>
/// How: during that first pass glibc's mmap threshold is set to 64 KiB, so every buffer of 64 KiB or more (the
/// activations, the kernels' work space) is mapped on its own and unmapped when freed, and only the small objects land
/// in the heap, packed together. Afterwards the threshold is fixed at 32 MiB and the trim threshold at 64 MiB: where
/// glibc's own sliding threshold settles in a training process (its maximum), so later steps allocate as they did.
/// Only with glibc on Linux; elsewhere (or if glibc refuses) nothing changes. Process-wide: a pass of the loaders'
/// threads during that first step maps its large buffers too, for that step only.
/// </para>
/// </remarks>
public sealed class KernelCachePacking
{
    private const int PackingThreshold = 64 << 10;

    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>Input shapes (with the mode, training or evaluation) already warmed up.</summary>
    public int Shapes => _seen.Count;

    /// <summary>
    /// Null when <paramref name="input"/>'s shape was seen before in this mode (or glibc is not there); otherwise a scope
    /// to wrap around the pass (forward, and backward when training): its kernels' objects are packed, and disposing it
    /// restores the steady thresholds.
    /// </summary>
    /// <param name="input">The batch about to go through the model.</param>
    /// <param name="training">True for a training step, false for an evaluation pass (its kernels differ).</param>
    public IDisposable? Around(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!NativeHeap.Available || !_seen.Add($"{(training ? 't' : 'e')}:{string.Join('x', input.shape)}:{input.dtype}:{input.device}"))
            return null;
        return NativeHeap.SetMmapThreshold(PackingThreshold) ? new Scope() : null;
    }

    private sealed class Scope : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed)
                return;
            _disposed = true;
            _ = NativeHeap.UseSteadyThresholds();
        }
    }
}
