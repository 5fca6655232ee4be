using OpenCvSharp;
using Toolkit.Ingest.Flow;

namespace Toolkit.Ingest.Tests.Flow;

[Trait("Category", "Unit")]
public class FlowQuantizerTests
{
    [Theory]
    [InlineData(0f, 20, 128)]     // zero motion: 127.5 rounds half to even
    [InlineData(20f, 20, 255)]    // +bound
    [InlineData(-20f, 20, 0)]     // -bound
    [InlineData(35f, 20, 255)]    // beyond +bound: clipped
    [InlineData(-1000f, 20, 0)]   // beyond -bound: clipped
    [InlineData(1f, 20, 134)]     // round(255·21/40) = round(133.875)
    [InlineData(-1f, 20, 121)]    // round(255·19/40) = round(121.125)
    [InlineData(-4f, 20, 102)]    // round(255·16/40)
    [InlineData(5f, 10, 191)]     // another bound: round(255·15/20) = round(191.25)
    [InlineData(10f, 10, 255)]
    public void Quantize_Value_MapsToRound255TimesVPlusBOver2B(float value, double bound, byte expected)
    {
        using var flow = Field(1, 1, (value, value));

        var (x, y) = FlowQuantizer.Quantize(flow, bound);
        using (x)
        using (y)
        {
            Assert.Equal(expected, x.At<byte>(0, 0));
            Assert.Equal(expected, y.At<byte>(0, 0));
        }
    }

    [Fact]
    public void Quantize_DifferentComponents_XFromFirstChannelYFromSecond()
    {
        using var flow = Field(2, 3, (1f, -1f));

        var (x, y) = FlowQuantizer.Quantize(flow, 20);
        using (x)
        using (y)
        {
            Assert.Equal(MatType.CV_8UC1, x.Type());
            Assert.Equal(MatType.CV_8UC1, y.Type());
            Assert.Equal(new Size(3, 2), x.Size());
            Assert.Equal(new Size(3, 2), y.Size());
            using var otherX = Ne(x, 134);
            using var otherY = Ne(y, 121);
            Assert.Equal(0, Cv2.CountNonZero(otherX));
            Assert.Equal(0, Cv2.CountNonZero(otherY));
        }
    }

    [Fact]
    public void Quantize_Input_IsLeftUntouched()
    {
        using var flow = Field(4, 4, (3.25f, -7.5f));
        using var before = flow.Clone();

        var (x, y) = FlowQuantizer.Quantize(flow, 20);
        x.Dispose();
        y.Dispose();

        using var diff = new Mat();
        Cv2.Absdiff(flow, before, diff);
        Assert.Equal(0.0, Cv2.Norm(diff, NormTypes.INF));
    }

    [Fact]
    public void Quantize_NotTwoChannelFloat_ThrowsArgumentException()
    {
        using var gray = new Mat(2, 2, MatType.CV_8UC1, Scalar.All(0));

        var error = Assert.Throws<ArgumentException>(() => FlowQuantizer.Quantize(gray, 20));

        Assert.Equal("flow", error.ParamName);
    }

    private static Mat Field(int rows, int cols, (float X, float Y) value) =>
        new(rows, cols, MatType.CV_32FC2, new Scalar(value.X, value.Y));

    private static Mat Ne(Mat image, byte value)
    {
        var mask = new Mat();
        Cv2.Compare(image, Scalar.All(value), mask, CmpTypes.NE);
        return mask;
    }
}
