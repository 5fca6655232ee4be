using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace Toolkit.Trainers.Training.Precision;

/// <summary>
/// bfloat16 training with float32 master weights, the mixed precision TorchSharp 0.107 allows: it has no autocast
/// (no <c>torch.autocast</c>, no per-op casting policy), so the model itself is cast to bfloat16 and this class keeps a
/// float32 copy of every floating-point parameter for the optimizer.
/// </summary>
/// <remarks>
/// The step: the caller runs forward and backward on the bfloat16 model; <see cref="Step"/> copies each bfloat16
/// gradient into its float32 master (scaled by nothing: bfloat16 has float32's exponent range, so no loss scaling is
/// needed), lets the optimizer step the masters, then rounds the masters back into the model. Updates smaller than
/// bfloat16's resolution (8 bits of mantissa) so accumulate in the masters instead of vanishing, which is what keeps a
/// long run with a small learning rate training. Buffers (batch-norm running statistics) stay bfloat16 in the model;
/// <see cref="Step"/> never touches them.
/// This differs from PyTorch's <c>torch.autocast(dtype=torch.bfloat16)</c>, which keeps the weights float32 and casts
/// per operation (convolutions and matmuls in bfloat16, reductions and norms in float32): the same arithmetic speed on
/// tensor cores, half the weight memory, and norms computed in bfloat16 here.
/// The caller owns the model and the optimizer; the masters belong to this object (<see cref="Dispose"/>).
/// </remarks>
public sealed class Bf16MasterWeights : IDisposable
{
    private readonly (Parameter Model, Parameter Master)[] _pairs;

    /// <summary>Casts <paramref name="model"/>'s floating-point parameters to bfloat16 and keeps float32 masters of them.</summary>
    /// <param name="model">The model; its parameters are replaced in place by bfloat16 ones.</param>
    public Bf16MasterWeights(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var pairs = new List<(Parameter, Parameter)>();
        using (no_grad())
        {
            foreach (var p in model.parameters())
            {
                if (!p.is_floating_point())
                    continue;
                var master = new Parameter(p.detach().to(ScalarType.Float32, copy: true), p.requires_grad);
                pairs.Add((p, master));
            }
            model.to(ScalarType.BFloat16);
        }
        // Module.to(dtype) replaces the parameters: pair the masters with the new bfloat16 ones, in the same order.
        var cast = model.parameters().Where(p => p.is_floating_point()).ToArray();
        if (cast.Length != pairs.Count)
            throw new InvalidOperationException($"the model has {cast.Length} floating-point parameters after the cast, {pairs.Count} before");
        _pairs = [.. cast.Select((p, i) => (p, pairs[i].Item2))];
    }

    /// <summary>The float32 master parameters: give these (not the model's) to the optimizer.</summary>
    public IEnumerable<Parameter> Masters => _pairs.Select(p => p.Master);

    /// <summary>
    /// Copies the model's bfloat16 gradients into the masters (float32), runs <paramref name="optimizerStep"/> (which
    /// updates the masters), rounds the masters back into the model and clears the model's gradients.
    /// </summary>
    /// <param name="optimizerStep">The optimizer's step over <see cref="Masters"/> (e.g. <c>() =&gt; optimizer.step()</c>).</param>
    public void Step(Action optimizerStep)
    {
        ArgumentNullException.ThrowIfNull(optimizerStep);
        using (no_grad())
        {
            foreach (var (model, master) in _pairs)
            {
                using var scope = NewDisposeScope();
                var g = model.grad;
                if (g is null)
                {
                    master.grad = null;
                    continue;
                }
                // The master holds the gradient natively; the wrappers made here go with the scope.
                if (master.grad is { } mg)
                    mg.copy_(g);
                else
                    master.grad = g.to(ScalarType.Float32);
            }
        }
        optimizerStep();
        using (no_grad())
        {
            foreach (var (model, master) in _pairs)
            {
                model.copy_(master);
                model.grad = null;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, master) in _pairs)
            master.Dispose();
    }
}
