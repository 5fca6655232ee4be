using Toolkit.Core;

namespace Toolkit.Ingest.Tests;

[Trait("Category", "Unit")]
public class ExtractSettingsTests
{
    [Theory]
    [InlineData(320, 240, 341, 256)]   // landscape: 320·256/240 = 341.3
    [InlineData(240, 320, 256, 341)]   // portrait
    [InlineData(1920, 1080, 455, 256)] // 1920·256/1080 = 455.1
    [InlineData(720, 528, 349, 256)]   // Megamind: 720·256/528 = 349.1
    [InlineData(256, 256, 256, 256)]   // square, already there
    [InlineData(160, 120, 341, 256)]   // small sources are enlarged by default (mmaction2's OpenCV path)
    public void TargetSize_ShortSide256_ScalesShortSideKeepingAspect(int width, int height, int expectedWidth, int expectedHeight)
    {
        var size = new ExtractSettings { ShortSide = 256 }.TargetSize(width, height);

        Assert.Equal(new FrameSize(expectedWidth, expectedHeight), size);
    }

    [Theory]
    [InlineData(160, 120)]
    [InlineData(120, 160)]
    public void TargetSize_NoUpscaleAndSmallerSource_KeepsSourceSize(int width, int height)
    {
        var size = new ExtractSettings { ShortSide = 256, NoUpscale = true }.TargetSize(width, height);

        Assert.Equal(new FrameSize(width, height), size);
    }

    [Fact]
    public void TargetSize_NoUpscaleAndLargerSource_StillShrinks()
    {
        var size = new ExtractSettings { ShortSide = 256, NoUpscale = true }.TargetSize(640, 480);

        Assert.Equal(new FrameSize(341, 256), size);
    }

    [Theory]
    [InlineData(100, 50)]
    [InlineData(1920, 1080)]
    public void TargetSize_ExactSize_IgnoresShortSideAndNoUpscale(int width, int height)
    {
        var settings = new ExtractSettings { ShortSide = 256, NoUpscale = true, Size = FrameSize.Parse("340x256") };

        Assert.Equal(new FrameSize(340, 256), settings.TargetSize(width, height));
    }

    [Theory]
    [InlineData(320, 240)]
    [InlineData(17, 4096)]
    public void TargetSize_ShortSideZero_KeepsSourceSize(int width, int height)
    {
        Assert.Equal(new FrameSize(width, height), new ExtractSettings { ShortSide = 0 }.TargetSize(width, height));
    }

    [Theory]
    [InlineData("340x256", 340, 256)]
    [InlineData("2X2", 2, 2)]
    [InlineData("16384x16384", 16384, 16384)]
    public void FrameSizeParse_WidthXHeight_ReturnsSize(string text, int width, int height)
    {
        Assert.Equal(new FrameSize(width, height), FrameSize.Parse(text));
    }

    [Theory]
    [InlineData("340")]
    [InlineData("340x")]
    [InlineData("x256")]
    [InlineData("1x256")]
    [InlineData("340x16385")]
    [InlineData("-340x256")]
    [InlineData("340x256x3")]
    [InlineData(" 340x256")]
    [InlineData("340*256")]
    public void FrameSizeParse_Malformed_ThrowsToolkitErrorNamingSize(string text)
    {
        var error = Assert.Throws<ToolkitError>(() => FrameSize.Parse(text));

        Assert.Equal("ExtractSettings.Size", error.Subject);
        Assert.Contains($"'{text}'", error.Message);
        Assert.Contains("WIDTHxHEIGHT", error.Message);
    }

    [Theory]
    [InlineData("ExtractSettings.ShortSide", "-1")]
    [InlineData("ExtractSettings.ShortSide", "1")]
    [InlineData("ExtractSettings.ShortSide", "16385")]
    [InlineData("ExtractSettings.JpegQuality", "0")]
    [InlineData("ExtractSettings.JpegQuality", "101")]
    [InlineData("ExtractSettings.StartIndex", "2")]
    [InlineData("ExtractSettings.StartIndex", "-1")]
    [InlineData("ExtractSettings.Fps", "0")]
    [InlineData("ExtractSettings.Fps", "NaN")]
    [InlineData("ExtractSettings.Fps", "1000.5")]
    [InlineData("ExtractSettings.FlowBound", "0")]
    [InlineData("ExtractSettings.FlowBound", "-20")]
    [InlineData("ExtractSettings.FlowBound", "NaN")]
    [InlineData("ExtractSettings.Level", "3")]
    [InlineData("ExtractSettings.Level", "0")]
    public void Validate_OutOfRange_ThrowsToolkitErrorNamingOptionAndValue(string option, string value)
    {
        var settings = With(option, value);

        var error = Assert.Throws<ToolkitError>(() => settings.Validate());

        Assert.Equal(option, error.Subject);
        Assert.StartsWith($"{option}: {value} ", error.Message);
        Assert.NotNull(error.Hint);
    }

    private static ExtractSettings With(string option, string value)
    {
        double number = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        var defaults = new ExtractSettings();
        return option switch
        {
            "ExtractSettings.ShortSide" => defaults with { ShortSide = (int)number },
            "ExtractSettings.JpegQuality" => defaults with { JpegQuality = (int)number },
            "ExtractSettings.StartIndex" => defaults with { StartIndex = (int)number },
            "ExtractSettings.Fps" => defaults with { Fps = number },
            "ExtractSettings.FlowBound" => defaults with { FlowBound = number },
            "ExtractSettings.Level" => defaults with { Level = (int)number },
            _ => throw new ArgumentOutOfRangeException(nameof(option), option, "no such option"),
        };
    }

    [Fact]
    public void Validate_DefaultsAndEdges_ReturnsSameSettings()
    {
        var settings = new ExtractSettings { ShortSide = 0, JpegQuality = 1, StartIndex = 0, Fps = 1000, FlowBound = 1000, Level = 1 };

        Assert.Same(settings, settings.Validate());
        var defaults = new ExtractSettings();
        Assert.Same(defaults, defaults.Validate());
    }

    [Theory]
    [InlineData(1, 0, "img_00001.jpg", "flow_x_00001.jpg", "flow_y_00001.jpg")]
    [InlineData(1, 99998, "img_99999.jpg", "flow_x_99999.jpg", "flow_y_99999.jpg")]
    [InlineData(0, 0, "img_00000.jpg", "flow_x_00000.jpg", "flow_y_00000.jpg")]
    [InlineData(0, 41, "img_00041.jpg", "flow_x_00041.jpg", "flow_y_00041.jpg")]
    public void FileNames_StartIndex_OffsetsThePosition(int startIndex, int position, string rgb, string flowX, string flowY)
    {
        var settings = new ExtractSettings { StartIndex = startIndex };

        Assert.Equal(rgb, settings.RgbName(position));
        Assert.Equal(flowX, settings.FlowXName(position));
        Assert.Equal(flowY, settings.FlowYName(position));
    }
}
