using Toolkit.Trainers.Models.Norms;
using Toolkit.Trainers.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Tests.Training;

[Trait("Category", "Unit")]
public sealed class ParameterGroupsTests
{
    internal sealed class Net : Module<Tensor, Tensor>
    {
        public readonly Sequential backbone = Sequential(
            ("conv", Conv3d(3, 4, 3, bias: true)),
            ("bn", BatchNorm3d(4)),
            ("sub", new SubBatchNorm3d(4, 2)));
        public readonly LayerNorm norm = LayerNorm(4);
        public readonly Linear fc = Linear(4, 5);

        public Net() : base(nameof(Net)) => RegisterComponents();

        public override Tensor forward(Tensor input) => fc.call(norm.call(backbone.call(input).mean([2, 3, 4])));
    }

    [Fact]
    public void Split_NormsAndBiases_HaveNoWeightDecay_BackboneGetsMultiplier()
    {
        using var net = new Net();
        var groups = ParameterGroups.Split(net, net.backbone, 0.1);
        var byName = groups.ToDictionary(g => g.Name);
        Assert.Equal(["backbone.decay", "backbone.no_decay", "decay", "no_decay"], groups.Select(g => g.Name));
        Assert.Equal(["backbone.conv.weight"], byName["backbone.decay"].ParameterNames);
        Assert.Equal(["backbone.conv.bias", "backbone.bn.weight", "backbone.bn.bias", "backbone.sub.weight", "backbone.sub.bias"],
            byName["backbone.no_decay"].ParameterNames);
        Assert.Equal(["fc.weight"], byName["decay"].ParameterNames);
        Assert.Equal(["norm.weight", "norm.bias", "fc.bias"], byName["no_decay"].ParameterNames);
        Assert.Equal([true, false, true, false], groups.Select(g => g.ApplyWeightDecay));
        Assert.Equal([0.1, 0.1, 1.0, 1.0], groups.Select(g => g.LrMultiplier));
        Assert.Equal(net.parameters().Count(), groups.Sum(g => g.Parameters.Count));
    }

    [Fact]
    public void Split_NoBackbone_TwoGroups_FrozenLeftOut()
    {
        using var net = new Net();
        net.fc.weight!.requires_grad = false;
        var groups = ParameterGroups.Split(net, null);
        Assert.Equal(["decay", "no_decay"], groups.Select(g => g.Name));
        Assert.Equal(["backbone.conv.weight"], groups[0].ParameterNames);
        Assert.DoesNotContain("fc.weight", groups.SelectMany(g => g.ParameterNames));
    }

    [Fact]
    public void Split_ForeignBackbone_Throws()
    {
        using var net = new Net();
        using var other = Linear(2, 2);
        Assert.Equal("backbone", Assert.Throws<ArgumentException>(() => ParameterGroups.Split(net, other, 0.1)).ParamName);
        Assert.Equal("backboneLrMultiplier", Assert.Throws<ArgumentOutOfRangeException>(() => ParameterGroups.Split(net, null, 0)).ParamName);
    }

    [Fact]
    public void Create_AdamW_PerGroupLrAndDecay_SetLearningRateKeepsMultipliers()
    {
        using var net = new Net();
        var groups = ParameterGroups.Split(net, net.backbone, 0.1);
        using var optimizer = Optimizers.Create(OptimizerPresets.AdamW30, groups);
        var adamGroups = optimizer.ParamGroups.Cast<AdamW.ParamGroup>().ToList();
        Assert.Equal([0.01, 0.0, 0.01, 0.0], adamGroups.Select(g => g.Options.weight_decay!.Value));
        Assert.Equal((0.9, 0.999), adamGroups[0].Betas);
        Assert.Equal(3e-5, adamGroups[0].LearningRate, 15);
        Assert.Equal(3e-4, adamGroups[2].LearningRate, 15);

        Optimizers.SetLearningRate(optimizer, 2e-3);
        Assert.Equal([2e-4, 2e-4, 2e-3, 2e-3], Optimizers.LearningRates(optimizer).Select(v => Math.Round(v, 15)));
    }

    [Fact]
    public void Create_Sgd_MomentumNesterovDecay()
    {
        using var net = new Net();
        var preset = OptimizerPresets.Sgd50 with { Nesterov = true };
        using var optimizer = Optimizers.Create(preset, ParameterGroups.Split(net, null));
        var sgdGroups = optimizer.ParamGroups.Cast<SGD.ParamGroup>().ToList();
        Assert.All(sgdGroups, g => Assert.Equal(0.9, g.Options.momentum!.Value));
        Assert.All(sgdGroups, g => Assert.True(g.Options.nesterov!.Value));
        Assert.Equal([1e-4, 0.0], sgdGroups.Select(g => g.Options.weight_decay!.Value));
        Assert.Equal([1e-3, 1e-3], Optimizers.LearningRates(optimizer));
    }

    [Fact]
    public void AdamW_Step_DecouplesWeightDecay()
    {
        // One parameter, zero gradient: Adam's update is 0, so only the decoupled decay p·(1 − lr·wd) acts.
        using var lin = Linear(3, 1, hasBias: false);
        using (no_grad())
            lin.weight!.fill_(2.0);
        var groups = ParameterGroups.Split(lin, null);
        using var optimizer = Optimizers.Create(OptimizerPresets.AdamW30 with { Lr = 0.1, WeightDecay = 0.5 }, groups);
        lin.weight!.grad = zeros(1, 3);
        optimizer.step();
        Assert.Equal(2.0 * (1 - 0.1 * 0.5), lin.weight!.data<float>()[0], 5);
    }

    [Fact]
    public void SetLearningRate_ForeignOptimizer_Throws()
    {
        using var lin = Linear(2, 2);
        using var optimizer = optim.SGD(lin.parameters(), 0.1);
        Assert.Equal("optimizer", Assert.Throws<ArgumentException>(() => Optimizers.SetLearningRate(optimizer, 0.1)).ParamName);
    }

    [Fact]
    public void SetLearningRate_GroupAddedLater_Throws()
    {
        using var lin = Linear(2, 2);
        using var extra = Linear(2, 2);
        using var optimizer = Optimizers.Create(OptimizerPresets.Sgd50, ParameterGroups.Split(lin, null));
        optimizer.add_param_group(new SGD.ParamGroup(extra.parameters(), new SGD.Options { LearningRate = 0.1 }));
        Assert.Throws<InvalidOperationException>(() => Optimizers.SetLearningRate(optimizer, 0.1));
    }
}
