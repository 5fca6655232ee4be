using Toolkit.Trainers.Training.Precision;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using TorchSharp;
using TorchSharp.Modules;

namespace Toolkit.Trainers.Tests.Training.Precision;

/// <summary>
/// bfloat16 training with float32 masters: the model runs in bfloat16, the masters keep updates that bfloat16 alone
/// rounds away, and a 3-D CNN with batch norm trains in bfloat16 on the CPU (the loss falls).
/// </summary>
[Trait("Category", "Unit")]
public sealed class Bf16MasterWeightsTests
{
    private static Sequential Net()
    {
        var net = Sequential(("conv", Conv3d(3, 8, 3, padding: 1)), ("bn", BatchNorm3d(8)), ("relu", ReLU()),
            ("pool", AdaptiveAvgPool3d(1)), ("flat", Flatten()), ("fc", Linear(8, 4)));
        using var g = new Generator(7);
        using var noGrad = no_grad();
        foreach (var p in net.parameters())
        {
            using var scope = NewDisposeScope();
            p.copy_(randn(p.shape, generator: g) * 0.3);
        }
        return net;
    }

    [Fact]
    public void Constructor_CastsModelToBf16_AndKeepsFloat32MastersEqualToTheOriginal()
    {
        using var net = Net();
        var before = net.parameters().Select(p => p.detach().clone()).ToList();
        using var masters = new Bf16MasterWeights(net);
        Assert.All(net.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        var m = masters.Masters.ToList();
        Assert.Equal(before.Count, m.Count);
        for (int i = 0; i < m.Count; i++)
        {
            Assert.Equal(ScalarType.Float32, m[i].dtype);
            Assert.True(m[i].eq(before[i]).all().item<bool>(), $"master {i} differs from the float32 weight it copies");
        }
        foreach (var t in before)
            t.Dispose();
    }

    [Fact]
    public void Step_AccumulatesUpdatesBelowBf16Resolution_WhichPureBf16Loses()
    {
        // One weight of 1.0 and a gradient of 1 with lr 1e-3: 1 - 1e-3 is not a bfloat16 (its spacing below 1 is
        // 2^-8 = 0.0039), so plain bfloat16 SGD stays at 1.0 for ever, while the master moves by 1e-3 a step.
        using var lin = Linear(1, 1, hasBias: false);
        using (no_grad())
            lin.weight!.fill_(1.0);
        using var masters = new Bf16MasterWeights(lin);
        using var sgd = optim.SGD(masters.Masters, 1e-3);
        using var x = ones(1, 1, dtype: ScalarType.BFloat16);
        for (int i = 0; i < 10; i++)
        {
            using var scope = NewDisposeScope();
            lin.call(x).sum().backward();
            masters.Step(() => sgd.step());
        }
        float master = masters.Masters.Single().item<float>();
        Assert.InRange(master, 0.99f - 1e-4f, 0.99f + 1e-4f);
        // The model holds the master rounded to bfloat16: 0.98828125 (the bfloat16 nearest 0.99), not 1.
        Assert.Equal(0.98828125f, lin.weight!.to(ScalarType.Float32).item<float>());

        using var plain = Linear(1, 1, hasBias: false);
        using (no_grad())
            plain.weight!.fill_(1.0);
        plain.to(ScalarType.BFloat16);
        using var plainSgd = optim.SGD(plain.parameters(), 1e-3);
        for (int i = 0; i < 10; i++)
        {
            using var scope = NewDisposeScope();
            plainSgd.zero_grad();
            plain.call(x).sum().backward();
            plainSgd.step();
        }
        Assert.Equal(1.0f, plain.weight!.to(ScalarType.Float32).item<float>());
    }

    [Fact]
    public void Step_TrainsA3dCnnWithBatchNormInBf16_AsFloat32Does()
    {
        // The same net, data and AdamW in float32 and in bfloat16 with masters: both losses fall, and the bfloat16
        // curve follows the float32 one within bfloat16's rounding.
        List<float> Train(bool bf16)
        {
            using var net = Net();
            using var masters = bf16 ? new Bf16MasterWeights(net) : null;
            using var adamw = optim.AdamW(masters?.Masters ?? net.parameters(), 1e-2);
            using var g = new Generator(1);
            using var x = randn([8, 3, 4, 8, 8], generator: g);
            using var input = bf16 ? x.to(ScalarType.BFloat16) : x.alias();
            using var y = randint(4, [8], generator: g, dtype: ScalarType.Int64);
            var losses = new List<float>();
            for (int i = 0; i < 40; i++)
            {
                using var scope = NewDisposeScope();
                if (!bf16)
                    adamw.zero_grad();
                var logits = net.call(input);
                Assert.Equal(bf16 ? ScalarType.BFloat16 : ScalarType.Float32, logits.dtype);
                var loss = functional.cross_entropy(logits.to(ScalarType.Float32), y);
                loss.backward();
                if (masters is null)
                    adamw.step();
                else
                    masters.Step(() => adamw.step());
                losses.Add(loss.item<float>());
            }
            if (bf16)
                Assert.All(net.parameters(), p => Assert.True(p.grad is null, "Step clears the model's gradients"));
            return losses;
        }
        var fp32 = Train(bf16: false);
        var bf16 = Train(bf16: true);
        Assert.True(fp32[^1] < 0.7 * fp32[0], $"float32 loss {fp32[0]} -> {fp32[^1]}");
        Assert.True(bf16[^1] < 0.7 * bf16[0], $"bfloat16 loss {bf16[0]} -> {bf16[^1]}");
        Assert.True(Math.Abs(bf16[^1] - fp32[^1]) < 0.1, $"bfloat16 ends at {bf16[^1]}, float32 at {fp32[^1]}");
    }
}
