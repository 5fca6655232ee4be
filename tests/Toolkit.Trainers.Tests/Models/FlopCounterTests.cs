using Toolkit.Trainers.Models.Flops;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Toolkit.Trainers.Tests.Models;

[Trait("Category", "Unit")]
public sealed class FlopCounterTests
{
    private sealed class Tiny : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> _conv = Conv3d(3, 8, (3, 3, 3), stride: (1, 2, 2), padding: (1, 1, 1), bias: false);
        private readonly Module<Tensor, Tensor> _bn = BatchNorm3d(8);
        private readonly Module<Tensor, Tensor> _fc = Linear(8, 5);

        public Tiny() : base(nameof(Tiny)) => RegisterComponents();

        public override Tensor forward(Tensor input)
        {
            var y = _bn.call(_conv.call(input)).mean([2, 3, 4]);
            return _fc.call(y) + CountedOps.Matmul(y, ones(8, 5));
        }
    }

    [Fact]
    public void Measure_ConvBatchNormLinearMatmul_CountsAsFvcore()
    {
        using var model = new Tiny();
        using var x = zeros(new long[] { 2, 3, 4, 8, 8 });
        // conv: N · (8·3·3·3·3) weight · (4·4·4) output spatial
        long conv = 2L * (8 * 3 * 27) * (4 * 4 * 4);
        long bnElements = 2L * 8 * 4 * 4 * 4;
        model.train();
        var train = FlopCounter.Measure(model, x);
        Assert.Equal(conv, train.ByOperator["conv"]);
        Assert.Equal(bnElements * 5, train.ByOperator["batch_norm"]);
        Assert.Equal(2L * 8 * 5, train.ByOperator["linear"]);
        Assert.Equal(2L * 8 * 5, train.ByOperator["matmul"]);
        model.eval();
        var eval = FlopCounter.Measure(model, x);
        Assert.Equal(bnElements * 2, eval.ByOperator["batch_norm"]);
        Assert.Equal(train.Total - bnElements * 3, eval.Total);
        Assert.Equal(8L * 3 * 27 + 8 * 2 + 8 * 5 + 5, FlopCounter.Parameters(model));
    }

    [Fact]
    public void Record_OutsideMeasure_IsIgnored()
    {
        FlopCounter.Record("conv", 123); // no active counter: nothing to throw, nothing recorded
        using var model = new Tiny();
        using var x = zeros(new long[] { 1, 3, 4, 8, 8 });
        Assert.DoesNotContain("other", FlopCounter.Measure(model, x).ByOperator.Keys);
    }
}
