using System.Globalization;

namespace Toolkit.Core;

/// <summary>What a rawframe file is: an RGB frame, or one component of an optical flow frame.</summary>
public enum RawframeKind
{
    /// <summary>Not a rawframe file.</summary>
    None,

    /// <summary><c>img_NNNNN.jpg</c>.</summary>
    Rgb,

    /// <summary><c>flow_x_NNNNN.jpg</c>.</summary>
    FlowX,

    /// <summary><c>flow_y_NNNNN.jpg</c>.</summary>
    FlowY,
}

/// <summary>
/// The rawframe folder layout mmaction2's <c>RawframeDataset</c> reads and <c>toolkit extract</c> writes, in one place:
/// <c>img_00001.jpg</c> for RGB frame 1, <c>flow_x_00001.jpg</c> / <c>flow_y_00001.jpg</c> for the flow from frames 1
/// and 2, numbered from <see cref="StartIndex"/> (1 for mmaction2, 0 for denseflow).
/// </summary>
/// <param name="StartIndex">Number of the first file.</param>
public sealed record RawframeLayout(int StartIndex = 1)
{
    /// <summary>mmaction2's layout (numbered from 1).</summary>
    public static RawframeLayout Mmaction2 { get; } = new(1);

    /// <summary>Prefix of RGB frames.</summary>
    public const string RgbPrefix = "img_";

    /// <summary>Prefix of both flow components.</summary>
    public const string FlowPrefix = "flow_";

    /// <summary>RGB names as a .NET composite format (argument 0: the file number), mmaction2's <c>img_{:05}.jpg</c>.</summary>
    public const string RgbTemplate = "img_{0:D5}.jpg";

    /// <summary>Flow names as a .NET composite format (argument 0: <c>x</c> or <c>y</c>, argument 1: the file number).</summary>
    public const string FlowTemplate = "flow_{0}_{1:D5}.jpg";

    /// <summary>File name of RGB frame <paramref name="frame"/> (0-based position in the video).</summary>
    public string RgbName(int frame) => string.Format(CultureInfo.InvariantCulture, RgbTemplate, frame + StartIndex);

    /// <summary>File name of the x component of flow <paramref name="flow"/> (0-based; from frames flow and flow+1).</summary>
    public string FlowXName(int flow) => FlowName('x', flow);

    /// <summary>File name of the y component of flow <paramref name="flow"/>.</summary>
    public string FlowYName(int flow) => FlowName('y', flow);

    /// <summary>File name of component <paramref name="axis"/> (<c>x</c> or <c>y</c>) of flow <paramref name="flow"/>.</summary>
    public string FlowName(char axis, int flow) => string.Format(CultureInfo.InvariantCulture, FlowTemplate, axis, flow + StartIndex);

    /// <summary>
    /// What <paramref name="fileName"/> is, and its number: <c>img_</c>, <c>flow_x_</c> or <c>flow_y_</c>, digits, and
    /// <c>.jpg</c>, <c>.jpeg</c> or <c>.png</c> (any case; other tools write those too). None for anything else.
    /// </summary>
    public static (RawframeKind Kind, long Number) Parse(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var (kind, prefix) = fileName.StartsWith("img_", StringComparison.OrdinalIgnoreCase) ? (RawframeKind.Rgb, 4)
            : fileName.StartsWith("flow_x_", StringComparison.OrdinalIgnoreCase) ? (RawframeKind.FlowX, 7)
            : fileName.StartsWith("flow_y_", StringComparison.OrdinalIgnoreCase) ? (RawframeKind.FlowY, 7)
            : (RawframeKind.None, 0);
        if (kind == RawframeKind.None)
            return (RawframeKind.None, 0);
        int dot = fileName.LastIndexOf('.');
        if (dot <= prefix || !IsImage(fileName[(dot + 1)..]))
            return (RawframeKind.None, 0);
        var digits = fileName.AsSpan(prefix, dot - prefix);
        foreach (char c in digits)
        {
            if (c is < '0' or > '9')
                return (RawframeKind.None, 0);
        }
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long number) ? (kind, number) : (RawframeKind.None, 0);
    }

    private static bool IsImage(string extension) =>
        extension.Equals("jpg", StringComparison.OrdinalIgnoreCase) || extension.Equals("jpeg", StringComparison.OrdinalIgnoreCase)
        || extension.Equals("png", StringComparison.OrdinalIgnoreCase);
}
