using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Models.Flops;

/// <summary>FLOPs of one forward pass, by operator kind (<c>conv</c>, <c>linear</c>, <c>matmul</c>, <c>batch_norm</c>, <c>layer_norm</c>, …).</summary>
/// <param name="ByOperator">FLOPs per operator kind.</param>
public sealed record FlopCount(IReadOnlyDictionary<string, long> ByOperator)
{
    /// <summary>All FLOPs.</summary>
    public long Total => ByOperator.Values.Sum();

    /// <summary><see cref="Total"/> in GFLOPs (10⁹).</summary>
    public double GFlops => Total / 1e9;
}

/// <summary>
/// Counts FLOPs the way fvcore's <c>FlopCountAnalysis</c> does, so figures compare with published tables: one
/// multiply-add is one FLOP; a convolution is N·prod(weight shape)·prod(output spatial) (bias ignored); a linear layer is
/// prod(input)·out; a matmul is prod(first shape)·last dim of the second; batch norm is 5 per element in training mode
/// (4 without affine) and 2 in eval mode (1 without affine); layer and group norm 5 per element; 2-D adaptive average
/// pooling 1 per input element; activations, other pooling, residual adds, softmax and element-wise gating 0.
/// </summary>
/// <remarks>
/// Modules are counted through forward hooks on the standard TorchSharp layers, so a model must call its children with
/// <c>call(x)</c> (not <c>forward(x)</c>). Functional matrix products in attention are counted when they go through
/// <see cref="CountedOps"/>. The counter is thread-static: only the thread running <see cref="Measure"/> is counted.
/// </remarks>
public sealed class FlopCounter
{
    [ThreadStatic]
    private static FlopCounter? _active;

    private readonly Dictionary<string, long> _byOperator = new(StringComparer.Ordinal);

    private FlopCounter()
    {
    }

    /// <summary>The counter of the current thread's <see cref="Measure"/>, or null.</summary>
    internal static FlopCounter? Active => _active;

    /// <summary>Adds <paramref name="flops"/> under <paramref name="op"/> (for modules that compute with functional calls).</summary>
    public static void Record(string op, long flops)
    {
        var counter = _active;
        if (counter is null)
            return;
        counter._byOperator[op] = counter._byOperator.GetValueOrDefault(op) + flops;
    }

    /// <summary>
    /// Runs <paramref name="model"/> once on <paramref name="input"/> without gradients, in the model's current mode
    /// (call <c>train()</c> or <c>eval()</c> first), and returns what it computed. The input is not disposed.
    /// </summary>
    public static FlopCount Measure(Module<Tensor, Tensor> model, Tensor input)
    {
        var (count, output) = MeasureWithOutput(model, input);
        output.Dispose();
        return count;
    }

    /// <summary>
    /// As <see cref="Measure"/>, and returns the model's output too (the caller owns it), so a model split into parts
    /// (backbone, head) is counted part by part with one forward pass each.
    /// </summary>
    public static (FlopCount Count, Tensor Output) MeasureWithOutput(Module<Tensor, Tensor> model, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        if (_active is not null)
            throw new InvalidOperationException("FlopCounter.Measure is already running on this thread.");
        var counter = new FlopCounter();
        Tensor output;
        var removers = new List<HookableModule<Func<Module<Tensor, Tensor>, Tensor, Tensor>, Func<Module<Tensor, Tensor>, Tensor, Tensor, Tensor>>.HookRemover>();
        try
        {
            foreach (var module in model.modules().Prepend(model))
            {
                if (module is Module<Tensor, Tensor> layer && Rule(layer) is { } rule)
                    removers.Add(layer.register_forward_hook((m, x, y) => { rule(m, x, y); return y; }));
            }
            _active = counter;
            using var scope = NewDisposeScope();
            using (no_grad())
                output = model.call(input).MoveToOuterDisposeScope();
        }
        finally
        {
            _active = null;
            foreach (var r in removers)
                r.remove();
        }
        return (new FlopCount(new Dictionary<string, long>(counter._byOperator, StringComparer.Ordinal)), output);
    }

    /// <summary>Parameters of <paramref name="module"/> (all of them, trainable or not; buffers excluded).</summary>
    public static long Parameters(Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        long n = 0;
        foreach (var p in module.parameters())
            n += p.numel();
        return n;
    }

    private static Action<Module<Tensor, Tensor>, Tensor, Tensor>? Rule(Module<Tensor, Tensor> layer) => layer switch
    {
        TorchSharp.Modules.Conv1d or TorchSharp.Modules.Conv2d or TorchSharp.Modules.Conv3d => (m, _, y) => Record("conv", Convolution(m, y)),
        Linear l => (_, x, _) => Record("linear", x.numel() * l.out_features),
        TorchSharp.Modules.BatchNorm1d or TorchSharp.Modules.BatchNorm2d or TorchSharp.Modules.BatchNorm3d => (m, x, _) => Record("batch_norm", x.numel() * BatchNormPerElement(m)),
        LayerNorm ln => (_, x, _) => Record("layer_norm", x.numel() * (ln.weight is null ? 4 : 5)),
        GroupNorm gn => (_, x, _) => Record("group_norm", x.numel() * (gn.weight is null ? 4 : 5)),
        TorchSharp.Modules.AdaptiveAvgPool2d => (_, x, _) => Record("adaptive_avg_pool2d", x.numel()),
        _ => null,
    };

    private static long Convolution(Module m, Tensor output)
    {
        var weight = m.get_parameter("weight") ?? throw new InvalidOperationException($"{m.GetName()} has no weight.");
        long w = 1;
        foreach (var d in weight.shape)
            w *= d;
        long spatial = 1;
        for (int i = 2; i < output.shape.Length; i++)
            spatial *= output.shape[i];
        return output.shape[0] * w * spatial;
    }

    private static long BatchNormPerElement(Module m)
    {
        bool affine = m.get_parameter("weight") is not null;
        return m.training ? (affine ? 5 : 4) : (affine ? 2 : 1);
    }
}

/// <summary>Functional operators that report their FLOPs to an active <see cref="FlopCounter"/>.</summary>
public static class CountedOps
{
    /// <summary><c>a @ b</c>, counted as prod(a.shape)·b.shape[-1] (fvcore's matmul rule).</summary>
    public static Tensor Matmul(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (FlopCounter.Active is not null)
            FlopCounter.Record("matmul", a.numel() * b.shape[^1]);
        return matmul(a, b);
    }
}
