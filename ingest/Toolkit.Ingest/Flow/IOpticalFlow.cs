using OpenCvSharp;

namespace Toolkit.Ingest.Flow;

/// <summary>
/// A dense optical-flow algorithm. One instance is used by one thread at a time; the pipeline gives every worker its own.
/// </summary>
public interface IOpticalFlow : IDisposable
{
    /// <summary>The algorithm's name as used on the command line.</summary>
    string Name { get; }

    /// <summary>
    /// Computes the flow from <paramref name="prev"/> to <paramref name="next"/> (8-bit grayscale, same size) into
    /// <paramref name="flow"/>, which is (re)allocated as CV_32FC2 of the same size: (dx, dy) per pixel, in pixels.
    /// Neither input is modified.
    /// </summary>
    void Calc(Mat prev, Mat next, Mat flow);

    /// <summary>
    /// Computes the flow from <paramref name="previous"/> to <paramref name="next"/> (8-bit gray planes of
    /// <paramref name="size"/>, tightly packed) and writes it quantized with <paramref name="bound"/>, as
    /// <see cref="FlowQuantizer.Quantize"/> does, into the first width × height bytes of <paramref name="x"/> and
    /// <paramref name="y"/> (tightly packed). Neither input is modified.
    /// </summary>
    void CalcQuantized(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> next, FrameSize size, double bound, Span<byte> x, Span<byte> y);
}

/// <summary>Creates the flow algorithm selected by the settings.</summary>
public static class OpticalFlowFactory
{
    /// <summary>A new instance for one worker.</summary>
    public static IOpticalFlow Create(FlowAlgorithm algorithm, DisPreset preset) => algorithm switch
    {
        FlowAlgorithm.Farneback => new FarnebackFlow(),
        FlowAlgorithm.TvL1 => NativeFlow.CreateTvL1(),
        FlowAlgorithm.Dis => NativeFlow.CreateDis(preset),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown flow algorithm"),
    };
}

/// <summary>
/// Farneback through OpenCvSharp, with the parameters of OpenCV's own sample and denseflow's CPU path:
/// pyramid scale 0.5, 3 levels, window 15, 3 iterations, poly_n 5, poly_sigma 1.2.
/// </summary>
public sealed class FarnebackFlow : IOpticalFlow
{
    private readonly Mat _field = new();

    /// <inheritdoc/>
    public string Name => "farneback";

    /// <inheritdoc/>
    public void Calc(Mat prev, Mat next, Mat flow) =>
        Cv2.CalcOpticalFlowFarneback(prev, next, flow, 0.5, 3, 15, 3, 5, 1.2, OpticalFlowFlags.None);

    /// <inheritdoc/>
    public unsafe void CalcQuantized(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> next, FrameSize size, double bound, Span<byte> x, Span<byte> y)
    {
        FlowBuffers.Check(previous, next, size, x, y);
        fixed (byte* a = previous, b = next)
        {
            using var prev = Mat.FromPixelData(size.Height, size.Width, MatType.CV_8UC1, (IntPtr)a);
            using var nxt = Mat.FromPixelData(size.Height, size.Width, MatType.CV_8UC1, (IntPtr)b);
            Calc(prev, nxt, _field);
        }
        var (qx, qy) = FlowQuantizer.Quantize(_field, bound);
        using (qx)
        using (qy)
        {
            int bytes = size.Width * size.Height; // x and y may be longer: only their first width × height bytes are written
            new ReadOnlySpan<byte>((void*)qx.Data, bytes).CopyTo(x);
            new ReadOnlySpan<byte>((void*)qy.Data, bytes).CopyTo(y);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _field.Dispose();
}

/// <summary>The argument checks every <see cref="IOpticalFlow.CalcQuantized"/> shares.</summary>
internal static class FlowBuffers
{
    public static void Check(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> next, FrameSize size, Span<byte> x, Span<byte> y)
    {
        ArgumentNullException.ThrowIfNull(size);
        int bytes = checked(size.Width * size.Height);
        if (previous.Length < bytes || next.Length < bytes)
            throw new ArgumentException($"a {size.Width}x{size.Height} gray frame needs {bytes} bytes, got {previous.Length} and {next.Length}");
        if (x.Length < bytes || y.Length < bytes)
            throw new ArgumentException($"{size.Width}x{size.Height} flow images need {bytes} bytes each, got {x.Length} and {y.Length}");
    }
}

/// <summary>Turns float flow into the 8-bit images mmaction2 and denseflow use.</summary>
public static class FlowQuantizer
{
    /// <summary>
    /// Quantizes each component as <c>round(255·(v + b) / (2b))</c> after clipping to [−b, b] (zero motion → 128,
    /// round half to even as OpenCV's cvRound), into two new single-channel 8-bit images the caller owns.
    /// </summary>
    public static (Mat X, Mat Y) Quantize(Mat flow, double bound)
    {
        ArgumentNullException.ThrowIfNull(flow);
        if (flow.Type() != MatType.CV_32FC2)
            throw new ArgumentException($"flow must be CV_32FC2, got {flow.Type()}", nameof(flow));
        double alpha = 255.0 / (2 * bound);
        Mat[] parts = Cv2.Split(flow);
        try
        {
            var x = new Mat();
            var y = new Mat();
            parts[0].ConvertTo(x, MatType.CV_8UC1, alpha, 127.5);
            parts[1].ConvertTo(y, MatType.CV_8UC1, alpha, 127.5);
            return (x, y);
        }
        finally
        {
            foreach (var p in parts)
                p.Dispose();
        }
    }
}
