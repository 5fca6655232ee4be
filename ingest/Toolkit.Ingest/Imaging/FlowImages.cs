using System.Buffers;
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
    /// <paramref name="size"/>, tightly packed). Neither input is modified.
    /// </summary>
    public static (byte[] X, byte[] Y) Encode(IOpticalFlow flow, JpegEncoder jpeg, ReadOnlySpan<byte> previous, ReadOnlySpan<byte> next,
        FrameSize size, double bound)
    {
        ArgumentNullException.ThrowIfNull(flow);
        ArgumentNullException.ThrowIfNull(jpeg);
        ArgumentNullException.ThrowIfNull(size);
        int bytes = checked(size.Width * size.Height);
        byte[] x = ArrayPool<byte>.Shared.Rent(bytes);
        byte[] y = ArrayPool<byte>.Shared.Rent(bytes);
        try
        {
            flow.CalcQuantized(previous, next, size, bound, x.AsSpan(0, bytes), y.AsSpan(0, bytes));
            return (jpeg.EncodeGray(x.AsSpan(0, bytes), size.Width, size.Height, size.Width),
                    jpeg.EncodeGray(y.AsSpan(0, bytes), size.Width, size.Height, size.Width));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(x);
            ArrayPool<byte>.Shared.Return(y);
        }
    }
}
