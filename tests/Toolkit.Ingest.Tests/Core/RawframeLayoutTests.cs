using Toolkit.Core;

namespace Toolkit.Ingest.Tests.Core;

public sealed class RawframeLayoutTests
{
    [Fact]
    public void Names_AreMmaction2s_NumberedFromTheStartIndex()
    {
        Assert.Equal("img_00001.jpg", RawframeLayout.Mmaction2.RgbName(0));
        Assert.Equal("flow_x_00003.jpg", RawframeLayout.Mmaction2.FlowXName(2));
        Assert.Equal("flow_y_00003.jpg", RawframeLayout.Mmaction2.FlowYName(2));
        Assert.Equal("img_00000.jpg", new RawframeLayout(0).RgbName(0)); // denseflow
        Assert.Equal("img_123456.jpg", RawframeLayout.Mmaction2.RgbName(123455)); // more than 5 digits grows, as Python's {:05d}
        Assert.Equal(new RawframeLayout(1).FlowName('x', 0), string.Format(System.Globalization.CultureInfo.InvariantCulture, RawframeLayout.FlowTemplate, 'x', 1));
    }

    [Theory]
    [InlineData("img_00001.jpg", RawframeKind.Rgb, 1)]
    [InlineData("IMG_00042.JPEG", RawframeKind.Rgb, 42)]
    [InlineData("flow_x_00007.png", RawframeKind.FlowX, 7)]
    [InlineData("flow_y_123456.jpg", RawframeKind.FlowY, 123456)]
    [InlineData("img_.jpg", RawframeKind.None, 0)]
    [InlineData("img_0001a.jpg", RawframeKind.None, 0)]
    [InlineData("img_00001.txt", RawframeKind.None, 0)]
    [InlineData("flow_z_00001.jpg", RawframeKind.None, 0)]
    [InlineData("thumb.jpg", RawframeKind.None, 0)]
    [InlineData("img_00001.jpg.tmp", RawframeKind.None, 0)]
    public void Parse_KnowsEachKindAndItsNumber_AndNothingElse(string name, RawframeKind kind, long number)
    {
        Assert.Equal((kind, number), RawframeLayout.Parse(name));
    }

    [Fact]
    public void Parse_ReadsBackEveryNameItWrites()
    {
        var layout = new RawframeLayout(0);
        for (int i = 0; i < 200_000; i += 997)
        {
            Assert.Equal((RawframeKind.Rgb, (long)i), RawframeLayout.Parse(layout.RgbName(i)));
            Assert.Equal((RawframeKind.FlowY, (long)i), RawframeLayout.Parse(layout.FlowYName(i)));
        }
    }
}
