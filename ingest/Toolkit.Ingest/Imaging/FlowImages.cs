using OpenCvSharp;
using Toolkit.Ingest.Flow;

namespace Toolkit.Ingest.Imaging;

/// <summary>
/// One flow pair as <c>toolkit extract</c> writes it: flow from one gray frame to the next, quantized with the bound,
/// and the x and y images JPEG-encoded. The extract pipeline and the storage estimator's content probe both call this,
/// so what the estimator measures is what extract writes.
/// </summary>
public static class FlowImages
{
    /// <summary>
    /// Computes and encodes the flow from <paramref name="previous"/> to <paramref name="next"/> (8-bit gray planes of
    /// <paramref name="size"/>, tightly packed). <paramref name="flowField"/> is the caller's scratch CV_32FC2 field,
    /// reused across calls. Neither input is modified.
    /// </summary>
    public static unsafe (byte[] X, byte[] Y) Encode(IOpticalFlow flow, JpegEncoder jpeg, ReadOnlySpan<byte> previous, ReadOnlySpan<byte> next,
        FrameSize size, double bound, Mat flowField)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(jpeg);
        ArgumentNullException.ThrowIfNull(size);
        int bytes = size.Width * size.Height;
        if (previous.Length < bytes || next.Length < bytes)
            throw new ArgumentException($"a {size.Width}x{size.Height} gray frame needs {bytes} bytes, got {previous.Length} and {next.Length}");
        fixed (byte* a = previous, b = next)
        {
            using var prev = Mat.FromPixelData(size.Height, size.Width, MatType.CV_8UC1, (IntPtr)a);
            using var nxt = Mat.FromPixelData(size.Height, size.Width, MatType.CV_8UC1, (IntPtr)b);
            flow.Calc(prev, nxt, flowField);
        }
        var (x, y) = FlowQuantizer.Quantize(flowField, bound);
        using (x)
        using (y)
            return (EncodeGray(jpeg, x), EncodeGray(jpeg, y));
    }

    private static unsafe byte[] EncodeGray(JpegEncoder jpeg, Mat image)
    {
        if (image.Type() != MatType.CV_8UC1)
            throw new ArgumentException($"flow images must be CV_8UC1, got {image.Type()}", nameof(image));
        int stride = checked((int)image.Step());
        var pixels = new ReadOnlySpan<byte>((void*)image.Data, checked(stride * image.Height));
        return jpeg.EncodeGray(pixels, image.Width, image.Height, stride);
    }
}
