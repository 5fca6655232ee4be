using Toolkit.Trainers.Models.Norms;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Training;

/// <summary>One optimizer parameter group.</summary>
/// <param name="Name">
/// <c>backbone.decay</c>, <c>backbone.no_decay</c>, <c>decay</c> or <c>no_decay</c> (the last two: everything outside the backbone).
/// </param>
/// <param name="Parameters">Its parameters, in the model's order (names in <paramref name="ParameterNames"/>).</param>
/// <param name="ParameterNames">Qualified names of <paramref name="Parameters"/> (<c>backbone.stem.conv.weight</c>).</param>
/// <param name="ApplyWeightDecay">False for norms and biases: <see cref="Optimizers.Create"/> gives them weight decay 0.</param>
/// <param name="LrMultiplier">The group's lr = schedule lr × this (the backbone multiplier, or 1).</param>
public sealed record ParameterGroup(string Name, IReadOnlyList<Parameter> Parameters, IReadOnlyList<string> ParameterNames, bool ApplyWeightDecay, double LrMultiplier);

/// <summary>Splits a model's trainable parameters into optimizer groups (weight decay or not; backbone or not).</summary>
public static class ParameterGroups
{
    /// <summary>
    /// Groups the trainable parameters (<c>requires_grad</c>; frozen ones are left out) of <paramref name="model"/>:
    /// no weight decay for every parameter of a norm module (BatchNorm1d/2d/3d, InstanceNorm, LayerNorm, GroupNorm,
    /// <see cref="SubBatchNorm3d"/>), every bias and every parameter with fewer than 2 dimensions (the timm / mmcv
    /// <c>norm_decay_mult=0, bias_decay_mult=0</c> convention); weight decay for the rest. Parameters of
    /// <paramref name="backbone"/> (a submodule of <paramref name="model"/>) form their own groups with lr ×
    /// <paramref name="backboneLrMultiplier"/>. Empty groups are omitted. Order: backbone.decay, backbone.no_decay,
    /// decay, no_decay.
    /// </summary>
    /// <param name="model">The whole model.</param>
    /// <param name="backbone">Its backbone, or null for one lr for everything.</param>
    /// <param name="backboneLrMultiplier">In (0, 1e3]; 1 when <paramref name="backbone"/> is null (e.g. 0.1 for a pretrained backbone).</param>
    /// <exception cref="ArgumentException"><paramref name="backbone"/> has parameters that are not <paramref name="model"/>'s.</exception>
    public static IReadOnlyList<ParameterGroup> Split(nn.Module model, nn.Module? backbone, double backboneLrMultiplier = 1.0)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(backboneLrMultiplier > 0 && backboneLrMultiplier <= 1e3))
            throw new ArgumentOutOfRangeException(nameof(backboneLrMultiplier), backboneLrMultiplier, "backboneLrMultiplier must be in (0, 1000].");

        var noDecay = new HashSet<IntPtr>();
        foreach (var module in new[] { model }.Concat(model.modules()).Distinct())
        {
            if (!IsNorm(module))
                continue;
            foreach (var p in module.parameters(recurse: true))
                noDecay.Add(p.Handle);
        }

        var inBackbone = new HashSet<IntPtr>();
        if (backbone is not null)
        {
            var modelParams = model.parameters().Select(p => p.Handle).ToHashSet();
            foreach (var (name, p) in backbone.named_parameters())
            {
                if (!modelParams.Contains(p.Handle))
                    throw new ArgumentException($"The backbone's parameter '{name}' is not a parameter of the model: pass the model's own backbone submodule.", nameof(backbone));
                inBackbone.Add(p.Handle);
            }
        }

        var buckets = new (string Name, bool Decay, double Lr, List<Parameter> Ps, List<string> Names)[]
        {
            ("backbone.decay", true, backboneLrMultiplier, [], []),
            ("backbone.no_decay", false, backboneLrMultiplier, [], []),
            ("decay", true, 1.0, [], []),
            ("no_decay", false, 1.0, [], []),
        };
        var seen = new HashSet<IntPtr>();
        foreach (var (name, p) in model.named_parameters())
        {
            if (!p.requires_grad || !seen.Add(p.Handle))
                continue;
            bool decay = !(noDecay.Contains(p.Handle) || p.dim() < 2 || name == "bias" || name.EndsWith(".bias", StringComparison.Ordinal));
            int index = (inBackbone.Contains(p.Handle) ? 0 : 2) + (decay ? 0 : 1);
            buckets[index].Ps.Add(p);
            buckets[index].Names.Add(name);
        }

        return [.. buckets.Where(b => b.Ps.Count > 0).Select(b => new ParameterGroup(b.Name, b.Ps, b.Names, b.Decay, b.Lr))];
    }

    /// <summary>True for the norm modules whose parameters get no weight decay.</summary>
    internal static bool IsNorm(nn.Module module) =>
        module is NormBase or LayerNorm or GroupNorm or SubBatchNorm3d;
}
