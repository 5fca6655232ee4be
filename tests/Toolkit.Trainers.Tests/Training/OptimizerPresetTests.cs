using Toolkit.Trainers.Training;

namespace Toolkit.Trainers.Tests.Training;

[Trait("Category", "Unit")]
public sealed class OptimizerPresetTests
{
    [Fact]
    public void Get_KnownNames_MatchSpecTable()
    {
        var a = OptimizerPresets.Get("adamw-30e");
        Assert.Equal((OptimizerKind.AdamW, 3e-4, 0.01, ScheduleKind.Cosine, 2.5, 40.0, 30, 64),
            (a.Optimizer, a.Lr, a.WeightDecay, a.Schedule, a.WarmupEpochs, a.ClipMaxNorm!.Value, a.Epochs, a.ReferenceBatch!.Value));
        Assert.Equal(0.01, a.WarmupStartFactor);
        Assert.Equal(0.01, a.MinLrFactor);
        Assert.Equal(0.1, a.PretrainedBackboneLrMultiplier);

        var s = OptimizerPresets.Get("SGD-50E");
        Assert.Equal((OptimizerKind.Sgd, 1e-3, 0.9, 1e-4, ScheduleKind.MultiStep, 40.0, 50), (s.Optimizer, s.Lr, s.Momentum, s.WeightDecay, s.Schedule, s.ClipMaxNorm!.Value, s.Epochs));
        Assert.Equal([20, 40], s.Steps);
        Assert.Equal(0.1, s.Gamma);
        Assert.Null(s.ReferenceBatch);
        Assert.Equal(0, s.WarmupEpochs);

        var b = OptimizerPresets.Get("adamw-200e");
        Assert.Equal((OptimizerKind.AdamW, 1e-4, 0.05, ScheduleKind.Cosine, 20.0, 1.0, 200, 32),
            (b.Optimizer, b.Lr, b.WeightDecay, b.Schedule, b.WarmupEpochs, b.ClipMaxNorm!.Value, b.Epochs, b.ReferenceBatch!.Value));

        Assert.Equal(["adamw-30e", "sgd-50e", "adamw-200e"], OptimizerPresets.All.Select(p => p.Name));
        foreach (var p in OptimizerPresets.All)
            Assert.Same(p, p.Validated());
    }

    [Fact]
    public void Get_UnknownName_ListsKnownNames()
    {
        var e = Assert.Throws<ArgumentException>(() => OptimizerPresets.Get("adam-1e"));
        Assert.Equal("name", e.ParamName);
        Assert.Contains("adamw-30e, sgd-50e, adamw-200e", e.Message);
    }

    [Fact]
    public void Scaled_LinearScalingRule()
    {
        var a = OptimizerPresets.AdamW30.Scaled(128);
        Assert.Equal(6e-4, a.Lr, 15);
        Assert.Equal(128, a.ReferenceBatch);
        Assert.Equal(a.Lr, a.Scaled(128).Lr);
        Assert.Equal(1.5e-4, OptimizerPresets.AdamW30.Scaled(32).Lr, 15);
        Assert.Equal(1e-4 / 4, OptimizerPresets.AdamW200.Scaled(8).Lr, 15);
        Assert.Same(OptimizerPresets.Sgd50, OptimizerPresets.Sgd50.Scaled(256)); // no reference batch: no-op
        Assert.Equal("batch", Assert.Throws<ArgumentOutOfRangeException>(() => OptimizerPresets.AdamW30.Scaled(0)).ParamName);
    }

    [Fact]
    public void With_OverridesAndValidates()
    {
        var large = OptimizerPresets.AdamW30 with { WeightDecay = 0.05, ClipMaxNorm = 1.0 };
        Assert.Equal(0.05, large.WeightDecay);
        Assert.Equal(0.01, OptimizerPresets.AdamW30.WeightDecay);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => (OptimizerPresets.AdamW30 with { Lr = -1 }).Validated());
        Assert.Equal("Lr", e.ParamName);
        Assert.Contains("> 0", e.Message);
        Assert.Equal("Steps", Assert.Throws<ArgumentOutOfRangeException>(() => (OptimizerPresets.Sgd50 with { Steps = [40, 20] }).Validated()).ParamName);
    }
}
