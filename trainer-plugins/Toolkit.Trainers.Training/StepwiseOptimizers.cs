using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Training;

/// <summary>
/// TorchSharp's <see cref="AdamW"/> with each parameter's temporaries freed as soon as that parameter is updated.
/// TorchSharp's own step keeps every temporary of every parameter (the gradient handles, <c>√v / √(1 − β₂ᵗ) + ε</c>)
/// in one dispose scope until the whole step ends, as PyTorch does not: freed then, in one burst, they leave glibc's
/// heap fragmented, and a training process's resident memory settles hundreds of MiB above its live tensors (issue 21:
/// X3D-M at 4 × 8 × 112², the same ≈ 555 MiB live peak as PyTorch, ≈ 1.1 GiB resident against PyTorch's ≈ 0.87).
/// The arithmetic is TorchSharp's, operation for operation (decoupled decay, then the moments, then
/// <c>addcdiv_</c>), so results are bit-identical (tested); state, options and checkpoints are AdamW's own.
/// </summary>
public sealed class StepwiseAdamW : AdamW
{
    /// <summary>AdamW over <paramref name="groups"/>, with the defaults TorchSharp's AdamW takes.</summary>
    public StepwiseAdamW(IEnumerable<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay)
        : base(groups, lr, beta1, beta2, eps, weightDecay)
    {
    }

    /// <inheritdoc/>
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, eps = options.eps!.Value;
        double weightDecay = options.weight_decay!.Value, lr = options.LearningRate!.Value;
        if (options.amsgrad == true || options.maximize == true)
            throw new NotSupportedException("StepwiseAdamW implements AdamW without amsgrad and maximize (the presets use neither).");
        Stepwise.EachWithGradient(group.Parameters, (parameter, grad) =>
        {
            var state = (State)_state[parameter.Handle];
            state.step += 1;
            parameter.mul_(1 - lr * weightDecay);
            double biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            double biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            state.exp_avg.mul_(beta1).add_(grad, alpha: 1 - beta1);
            state.exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);
            var denominator = state.exp_avg_sq.sqrt().div_(Math.Sqrt(biasCorrection2)).add_(eps);
            parameter.addcdiv_(state.exp_avg, denominator, value: -(lr / biasCorrection1));
        });
    }, closure);
}

/// <summary>
/// TorchSharp's <see cref="SGD"/> (momentum, dampening, Nesterov, L2 weight decay added to the gradient) with each
/// parameter's temporaries freed as soon as that parameter is updated, for the reason <see cref="StepwiseAdamW"/>
/// gives; TorchSharp's arithmetic operation for operation, bit-identical results (tested), SGD's own state.
/// </summary>
public sealed class StepwiseSGD : SGD
{
    /// <summary>SGD over <paramref name="groups"/>, with the defaults TorchSharp's SGD takes.</summary>
    public StepwiseSGD(IEnumerable<ParamGroup> groups, double lr, double momentum, double weightDecay, bool nesterov)
        : base(groups, lr, momentum, 0.0, weightDecay, nesterov)
    {
    }

    /// <inheritdoc/>
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = group.Options;
        double momentum = options.momentum!.Value, dampening = options.dampening!.Value;
        double weightDecay = options.weight_decay!.Value, lr = options.LearningRate!.Value;
        bool nesterov = options.nesterov!.Value;
        if (options.maximize == true)
            throw new NotSupportedException("StepwiseSGD implements SGD without maximize (the presets do not use it).");
        Stepwise.EachWithGradient(group.Parameters, (parameter, grad) =>
        {
            if (weightDecay != 0)
                grad = grad.add(parameter, alpha: weightDecay);
            if (momentum != 0)
            {
                var state = (State)_state[parameter.Handle];
                if (state.momentum_buffer is null)
                {
                    state.momentum_buffer = grad.clone().detach().DetachFromDisposeScope();
                }
                else
                {
                    state.momentum_buffer.mul_(momentum).add_(grad, alpha: 1 - dampening);
                }
                grad = nesterov ? grad.add(state.momentum_buffer, alpha: momentum) : state.momentum_buffer;
            }
            parameter.add_(grad, alpha: -lr);
        });
    }, closure);
}

/// <summary>The per-parameter loop both stepwise optimizers share.</summary>
internal static class Stepwise
{
    /// <summary>
    /// Calls <paramref name="update"/> for every parameter that has a gradient, each in a dispose scope of its own, so
    /// that parameter's temporaries are freed before the next one is updated.
    /// </summary>
    public static void EachWithGradient(IEnumerable<Parameter> parameters, Action<Parameter, Tensor> update)
    {
        foreach (var parameter in parameters)
        {
            using var scope = NewDisposeScope();
            if (parameter.grad is { } grad)
                update(parameter, grad);
        }
    }
}
