using Toolkit.Trainers.Training;

namespace Toolkit.Trainers.Tests.Training;

[Trait("Category", "Unit")]
public sealed class LearningRateScheduleTests
{
    // Expected values computed independently (Python, mmcv 1.x formulas: annealing_cos by epoch, linear warm-up
    // k = (1 − cur_iter / warmup_iters)(1 − ratio), lr = regular·(1 − k)).
    [Theory]
    [InlineData(0, 0, 3.000000000000002e-06)]        // warm-up start: 0.01 × lr
    [InlineData(1, 25, 0.00015108918323840522)]       // half-way through the 250-iteration warm-up
    [InlineData(2, 49, 0.0002955797692308826)]        // last warm-up iteration
    [InlineData(2, 50, 0.0002967549187089701)]        // end of warm-up (2.5 epochs): regular cosine of epoch 2
    [InlineData(15, 0, 0.0001515)]                    // middle: (lr + min) / 2
    [InlineData(29, 99, 3.8134985378113996e-06)]      // last epoch: just above 0.01 × lr
    public void AdamW30_At_MatchesMmcv(int epoch, int iteration, double expected)
    {
        var schedule = LearningRateSchedule.For(OptimizerPresets.AdamW30, 30);
        Assert.Equal(expected, schedule.At(epoch, iteration, 100), 1e-15);
        Assert.Equal("adamw-30e", schedule.Name);
    }

    [Theory]
    [InlineData(0, 0, 1.000000000000001e-06)]
    [InlineData(10, 0, 5.019223929402696e-05)]
    [InlineData(19, 9, 9.732758604906638e-05)]
    [InlineData(20, 0, 9.757729755661011e-05)]
    [InlineData(100, 0, 5.05e-05)]
    [InlineData(199, 0, 1.006106692157801e-06)]
    public void AdamW200_At_MatchesMmcv(int epoch, int iteration, double expected) =>
        Assert.Equal(expected, LearningRateSchedule.For(OptimizerPresets.AdamW200, 200).At(epoch, iteration, 10), 1e-15);

    [Theory]
    [InlineData(0, 1e-3)]
    [InlineData(19, 1e-3)]
    [InlineData(20, 1e-4)]
    [InlineData(39, 1e-4)]
    [InlineData(40, 1e-5)]
    [InlineData(49, 1e-5)]
    public void Sgd50_At_StepsAtBoundaries(int epoch, double expected)
    {
        var schedule = LearningRateSchedule.For(OptimizerPresets.Sgd50, 50);
        Assert.Equal(expected, schedule.At(epoch, 0, 7), 1e-15);
        Assert.Equal(expected, schedule.At(epoch, 6, 7), 1e-15); // constant inside an epoch, no warm-up
    }

    [Fact]
    public void Sgd50_For25Epochs_StepsAt10And20()
    {
        var schedule = LearningRateSchedule.For(OptimizerPresets.Sgd50, 25);
        Assert.Equal(1e-3, schedule.At(9, 0, 1), 1e-15);
        Assert.Equal(1e-4, schedule.At(10, 0, 1), 1e-15);
        Assert.Equal(1e-5, schedule.At(20, 0, 1), 1e-15);
    }

    [Fact]
    public void Multigrid_RelativeFunction_ReplacesCurve()
    {
        var schedule = new LearningRateSchedule(0.1, epoch => epoch < 5 ? 8.0 : 1.0);
        Assert.Equal(0.8, schedule.At(4, 0, 10), 1e-15);
        Assert.Equal(0.1, schedule.At(400, 3, 10), 1e-15);
        var warm = new LearningRateSchedule(0.1, _ => 1.0, warmupEpochs: 1);
        Assert.Equal(0.001, warm.At(0, 0, 10), 1e-15);
        Assert.Equal(0.1 * (1 - 0.5 * 0.99), warm.At(0, 5, 10), 1e-15);
    }

    [Fact]
    public void At_OutOfRange_NamesParameter()
    {
        var schedule = LearningRateSchedule.For(OptimizerPresets.AdamW30, 30);
        Assert.Equal("epoch", Assert.Throws<ArgumentOutOfRangeException>(() => schedule.At(30, 0, 10)).ParamName);
        Assert.Equal("iteration", Assert.Throws<ArgumentOutOfRangeException>(() => schedule.At(0, 10, 10)).ParamName);
        Assert.Equal("iterationsPerEpoch", Assert.Throws<ArgumentOutOfRangeException>(() => schedule.At(0, 0, 0)).ParamName);
    }
}
