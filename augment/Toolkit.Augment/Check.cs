using System.Globalization;
using Toolkit.Core;

namespace Toolkit.Augment;

/// <summary>Option validation: every error names the transform, the parameter and the allowed range.</summary>
internal static class Check
{
    public static void Range(string transform, string parameter, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
            throw new ToolkitError($"{transform}.{parameter}", $"must be in [{F(min)}, {F(max)}], got {F(value)}");
    }

    public static void Ordered(string transform, string low, double lowValue, string high, double highValue)
    {
        if (lowValue > highValue)
            throw new ToolkitError($"{transform}.{low}", $"must not exceed {high} ({F(lowValue)} > {F(highValue)})");
    }

    public static void Size(string transform, string parameter, int value)
    {
        if (value < 1)
            throw new ToolkitError($"{transform}.{parameter}", $"must be at least 1, got {value}");
    }

    /// <summary>A crop that cannot fit the frame it is asked of.</summary>
    public static void Fits(string transform, int cropW, int cropH, ClipInfo info)
    {
        if (cropW > info.Width || cropH > info.Height)
            throw new ToolkitError(transform, $"a {cropW}x{cropH} crop does not fit a {info.Width}x{info.Height} frame",
                "resize first (e.g. Resize(-1, 256)) or crop smaller");
    }

    public static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
