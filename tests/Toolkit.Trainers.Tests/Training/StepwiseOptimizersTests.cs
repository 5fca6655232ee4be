using Toolkit.Trainers.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Tests.Training;

/// <summary>
/// The stepwise optimizers compute exactly what TorchSharp's AdamW and SGD compute (bit for bit, over several steps,
/// with parameter groups of different lr and weight decay and a parameter without a gradient), and free each
/// parameter's temporaries before the next parameter is updated.
/// </summary>
[Trait("Category", "Unit")]
public sealed class StepwiseOptimizersTests
{
    private static Sequential Net(long seed)
    {
        // Weights from a generator of its own: tests running in parallel draw from torch's global one.
        var net = Sequential(("conv", Conv3d(3, 6, 3, bias: true)), ("bn", BatchNorm3d(6)), ("flat", Flatten()), ("fc", Linear(6 * 2 * 2 * 2, 5)), ("unused", Linear(2, 2)));
        using var g = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var p in net.parameters())
        {
            using var scope = NewDisposeScope();
            p.copy_(randn(p.shape, generator: g) * 0.3);
        }
        return net;
    }

    /// <summary>Steps <paramref name="optimizer"/> 5 times on seeded batches (the unused layer gets no gradient); the parameters after.</summary>
    private static List<float[]> Train(Sequential net, optim.Optimizer optimizer)
    {
        var unused = (Module)net[4];
        using var g = new Generator(3);
        for (int i = 0; i < 5; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var x = randn([4, 3, 4, 4, 4], generator: g);
            var y = randint(5, [4], generator: g, dtype: ScalarType.Int64);
            var flat = ((Module<Tensor, Tensor>)net[2]).call(((Module<Tensor, Tensor>)net[1]).call(((Module<Tensor, Tensor>)net[0]).call(x)));
            functional.cross_entropy(((Module<Tensor, Tensor>)net[3]).call(flat), y).backward();
            optimizer.step();
        }
        Assert.All(unused.parameters(), p => Assert.True(p.grad is null));
        return [.. net.parameters().Select(p => p.data<float>().ToArray())];
    }

    private static IEnumerable<ParameterGroup> Groups(Sequential net) =>
        ParameterGroups.Split(net, (Module)net[0], backboneLrMultiplier: 0.5);

    [Fact]
    public void AdamW_MatchesTorchSharpsAdamW_BitForBit()
    {
        using var a = Net(7);
        using var b = Net(7);
        var preset = OptimizerPresets.AdamW30 with { Lr = 0.05, WeightDecay = 0.1 };
        using var stepwise = Optimizers.Create(preset, Groups(a));
        Assert.IsType<StepwiseAdamW>(stepwise);
        using var reference = new AdamW(Groups(b).Select(gr => new AdamW.ParamGroup(gr.Parameters, new AdamW.Options
        {
            LearningRate = preset.Lr * gr.LrMultiplier,
            beta1 = 0.9,
            beta2 = 0.999,
            eps = 1e-8,
            weight_decay = gr.ApplyWeightDecay ? 0.1 : 0.0,
            amsgrad = false,
            maximize = false,
        })).ToList(), lr: preset.Lr, weight_decay: 0.1);
        var mine = Train(a, stepwise);
        var theirs = Train(b, reference);
        Assert.Equal(theirs.Count, mine.Count);
        for (int i = 0; i < mine.Count; i++)
            Assert.Equal(theirs[i], mine[i]);
        using var initial = Net(7);
        Assert.NotEqual(initial.parameters().First().data<float>().ToArray(), mine[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sgd_MatchesTorchSharpsSgd_BitForBit(bool nesterov)
    {
        using var a = Net(11);
        using var b = Net(11);
        var preset = OptimizerPresets.Sgd50 with { Lr = 0.1, Nesterov = nesterov };
        using var stepwise = Optimizers.Create(preset, Groups(a));
        Assert.IsType<StepwiseSGD>(stepwise);
        using var reference = new SGD(Groups(b).Select(gr => new SGD.ParamGroup(gr.Parameters, new SGD.Options
        {
            LearningRate = preset.Lr * gr.LrMultiplier,
            momentum = preset.Momentum,
            dampening = 0.0,
            weight_decay = gr.ApplyWeightDecay ? preset.WeightDecay : 0.0,
            nesterov = nesterov,
            maximize = false,
        })).ToList(), lr: preset.Lr, momentum: preset.Momentum, weight_decay: preset.WeightDecay, nesterov: nesterov);
        var mine = Train(a, stepwise);
        var theirs = Train(b, reference);
        for (int i = 0; i < mine.Count; i++)
            Assert.Equal(theirs[i], mine[i]);
    }
}
