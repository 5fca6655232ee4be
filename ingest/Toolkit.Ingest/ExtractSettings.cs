using System.Globalization;
using System.Text.Json.Serialization;
using Toolkit.Core;

namespace Toolkit.Ingest;

/// <summary>What to extract from each video.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExtractTask>))]
public enum ExtractTask
{
    /// <summary>RGB rawframes only (<c>img_*.jpg</c>).</summary>
    Rgb,
    /// <summary>Optical flow only (<c>flow_x_*.jpg</c>, <c>flow_y_*.jpg</c>).</summary>
    Flow,
    /// <summary>Both, from one decode.</summary>
    Both,
}

/// <summary>The optical-flow algorithm.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FlowAlgorithm>))]
public enum FlowAlgorithm
{
    /// <summary>Dual TV-L1 (OpenCV contrib optflow, default parameters): the accuracy reference used by denseflow.</summary>
    TvL1,
    /// <summary>Gunnar Farneback's polynomial expansion (OpenCV video module).</summary>
    Farneback,
    /// <summary>Dense Inverse Search (OpenCV video module): by far the fastest on CPU.</summary>
    Dis,
}

/// <summary>DIS speed/quality preset (cv::DISOpticalFlow::PRESET_*).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DisPreset>))]
public enum DisPreset
{
    /// <summary>Fastest, least accurate.</summary>
    Ultrafast,
    /// <summary>The default.</summary>
    Fast,
    /// <summary>Slowest, most accurate.</summary>
    Medium,
}

/// <summary>An exact output size in pixels.</summary>
public sealed record FrameSize(int Width, int Height)
{
    /// <summary>Parses <c>WxH</c>, e.g. <c>340x256</c>.</summary>
    public static FrameSize Parse(string text)
    {
        var parts = text.Split('x', 'X');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int w)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int h)
            && w is >= 2 and <= 16384 && h is >= 2 and <= 16384)
        {
            return new FrameSize(w, h);
        }
        throw new ToolkitError("ExtractSettings.Size", $"'{text}' is not a size", "Write it as WIDTHxHEIGHT with each side 2..16384, e.g. 340x256");
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Width}x{Height}";
}

/// <summary>
/// Everything that decides the bytes written for a video. Stored in the output folder; a later run with different
/// settings on the same output is refused unless forced, so one output folder never mixes two conventions.
/// </summary>
public sealed record ExtractSettings
{
    /// <summary>Version of the on-disk layout; bumped when the same settings would write different bytes.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>RGB, flow or both.</summary>
    public ExtractTask Task { get; init; } = ExtractTask.Rgb;

    /// <summary>Flow algorithm (used when <see cref="Task"/> includes flow).</summary>
    public FlowAlgorithm Flow { get; init; } = FlowAlgorithm.TvL1;

    /// <summary>DIS preset (used when <see cref="Flow"/> is DIS).</summary>
    public DisPreset DisPreset { get; init; } = DisPreset.Fast;

    /// <summary>Target short side in pixels, keeping the aspect ratio; 0 keeps the source size. Ignored when <see cref="Size"/> is set.</summary>
    public int ShortSide { get; init; } = 256;

    /// <summary>Exact output size, overriding <see cref="ShortSide"/>.</summary>
    public FrameSize? Size { get; init; }

    /// <summary>Never enlarge a video whose frames are smaller than the target (denseflow's behaviour); mmaction2's OpenCV path does enlarge.</summary>
    public bool NoUpscale { get; init; }

    /// <summary>Resample to this frame rate before extraction; null keeps every decoded frame.</summary>
    public double? Fps { get; init; }

    /// <summary>JPEG quality 1..100 for RGB and flow images.</summary>
    public int JpegQuality { get; init; } = 95;

    /// <summary>Index of the first file: 1 for mmaction2 (<c>img_00001.jpg</c>), 0 for denseflow (<c>img_00000.jpg</c>).</summary>
    public int StartIndex { get; init; } = 1;

    /// <summary>Flow values are clipped to [-bound, bound] pixels before quantization to 0..255.</summary>
    public double FlowBound { get; init; } = 20;

    /// <summary>Output folder depth: 1 = <c>OUT/stem</c>, 2 = <c>OUT/class/stem</c> as in mmaction2's build_rawframes.</summary>
    public int Level { get; init; } = 2;

    /// <summary>True when RGB frames are written.</summary>
    [JsonIgnore]
    public bool WritesRgb => Task is ExtractTask.Rgb or ExtractTask.Both;

    /// <summary>True when flow frames are written.</summary>
    [JsonIgnore]
    public bool WritesFlow => Task is ExtractTask.Flow or ExtractTask.Both;

    /// <summary>Checks every value and throws a <see cref="ToolkitError"/> naming the option and the allowed range.</summary>
    public ExtractSettings Validate()
    {
        if (ShortSide is < 0 or > 16384)
            throw new ToolkitError("ExtractSettings.ShortSide", $"{ShortSide} is out of range", "Use 0 (keep the source size) or 2..16384");
        if (ShortSide == 1)
            throw new ToolkitError("ExtractSettings.ShortSide", "1 is too small", "Use 0 (keep the source size) or 2..16384");
        if (JpegQuality is < 1 or > 100)
            throw new ToolkitError("ExtractSettings.JpegQuality", $"{JpegQuality} is out of range", "Use 1..100 (95 is OpenCV's and mmaction2's default)");
        if (StartIndex is not (0 or 1))
            throw new ToolkitError("ExtractSettings.StartIndex", $"{StartIndex} is not allowed", "Use 1 (mmaction2) or 0 (denseflow)");
        if (Fps is { } fps && (double.IsNaN(fps) || fps <= 0 || fps > 1000))
            throw new ToolkitError("ExtractSettings.Fps", $"{fps.ToString(CultureInfo.InvariantCulture)} is out of range", "Use a frame rate in (0, 1000], or leave it out to keep every decoded frame");
        if (double.IsNaN(FlowBound) || FlowBound <= 0 || FlowBound > 1000)
            throw new ToolkitError("ExtractSettings.FlowBound", $"{FlowBound.ToString(CultureInfo.InvariantCulture)} is out of range", "Use a bound in (0, 1000] pixels (20 is denseflow's and mmaction2's)");
        if (Level is not (1 or 2))
            throw new ToolkitError("ExtractSettings.Level", $"{Level} is not allowed", "Use 1 (OUT/stem) or 2 (OUT/class/stem)");
        return this;
    }

    /// <summary>The output size for a source of the given displayed size.</summary>
    public FrameSize TargetSize(int sourceWidth, int sourceHeight)
    {
        if (Size is { } exact)
            return exact;
        int shortSide = Math.Min(sourceWidth, sourceHeight);
        if (ShortSide == 0 || shortSide == ShortSide || (NoUpscale && shortSide < ShortSide))
            return new FrameSize(sourceWidth, sourceHeight);
        double scale = (double)ShortSide / shortSide;
        return sourceWidth <= sourceHeight
            ? new FrameSize(ShortSide, Math.Max(2, (int)Math.Round(sourceHeight * scale, MidpointRounding.AwayFromZero)))
            : new FrameSize(Math.Max(2, (int)Math.Round(sourceWidth * scale, MidpointRounding.AwayFromZero)), ShortSide);
    }

    /// <summary>The file names these settings write (<see cref="RawframeLayout"/> from <see cref="StartIndex"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public RawframeLayout Layout => new(StartIndex);

    /// <summary>File name of RGB frame <paramref name="frame"/> (0-based position in the video).</summary>
    public string RgbName(int frame) => Layout.RgbName(frame);

    /// <summary>File name of the x component of flow <paramref name="flow"/> (0-based; computed from frames flow and flow+1).</summary>
    public string FlowXName(int flow) => Layout.FlowXName(flow);

    /// <summary>File name of the y component of flow <paramref name="flow"/>.</summary>
    public string FlowYName(int flow) => Layout.FlowYName(flow);
}
