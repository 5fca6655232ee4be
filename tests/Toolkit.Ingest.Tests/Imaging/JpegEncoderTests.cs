using OpenCvSharp;
using Toolkit.Ingest.Decoding;
using Toolkit.Ingest.Imaging;

namespace Toolkit.Ingest.Tests.Imaging;

public sealed class JpegEncoderTests
{
    /// <summary>
    /// Builds a full-range (JFIF) YCbCr 4:2:0 frame from an even-sized BGR image with OpenCV: BGR2YCrCb uses the JPEG
    /// equations, chroma is averaged over 2×2 blocks. (OpenCV's BGR2YUV_I420 is limited range, so it is not the reference.)
    /// </summary>
    private static byte[] Yuv420Of(Mat bgr)
    {
        using var ycrcb = new Mat();
        Cv2.CvtColor(bgr, ycrcb, ColorConversionCodes.BGR2YCrCb);
        Mat[] planes = Cv2.Split(ycrcb);
        try
        {
            using var cr = new Mat();
            using var cb = new Mat();
            var half = new Size(bgr.Width / 2, bgr.Height / 2);
            Cv2.Resize(planes[1], cr, half, 0, 0, InterpolationFlags.Area);
            Cv2.Resize(planes[2], cb, half, 0, 0, InterpolationFlags.Area);
            planes[0].GetArray(out byte[] y);
            cb.GetArray(out byte[] u);
            cr.GetArray(out byte[] v);
            return [.. y, .. u, .. v];
        }
        finally
        {
            foreach (var plane in planes)
                plane.Dispose();
        }
    }

    [Fact]
    public void EncodeYuv420_DecodesBackToTheSameColours()
    {
        // Four flat quadrants: red, green, blue, gray. Flat areas survive 4:2:0 and q95 almost exactly.
        using var bgr = new Mat(64, 96, MatType.CV_8UC3, Scalar.All(0));
        bgr[new Rect(0, 0, 48, 32)].SetTo(new Scalar(0, 0, 255));
        bgr[new Rect(48, 0, 48, 32)].SetTo(new Scalar(0, 255, 0));
        bgr[new Rect(0, 32, 48, 32)].SetTo(new Scalar(255, 0, 0));
        bgr[new Rect(48, 32, 48, 32)].SetTo(new Scalar(128, 128, 128));
        using var encoder = new JpegEncoder(95);

        byte[] jpeg = encoder.EncodeYuv420(Yuv420Of(bgr), new FrameSize(96, 64));

        Assert.Equal((byte)0xFF, jpeg[0]);
        Assert.Equal((byte)0xD8, jpeg[1]);
        using var decoded = Cv2.ImDecode(jpeg, ImreadModes.Color);
        Assert.Equal((96, 64), (decoded.Width, decoded.Height));
        foreach (var (x, y) in new[] { (20, 16), (70, 16), (20, 48), (70, 48) })
        {
            var want = bgr.At<Vec3b>(y, x);
            var got = decoded.At<Vec3b>(y, x);
            for (int c = 0; c < 3; c++)
                Assert.True(Math.Abs(want[c] - got[c]) <= 4, $"pixel ({x},{y}) channel {c}: want {want[c]}, got {got[c]}");
        }
    }

    [Fact]
    public void EncodeGray_RespectsTheStrideAndQuality()
    {
        // A gradient inside a wider buffer: the encoder must read `stride` bytes apart and ignore the padding (255).
        const int width = 50, height = 20, stride = 64;
        byte[] pixels = new byte[stride * height];
        Array.Fill(pixels, (byte)255);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                pixels[(y * stride) + x] = (byte)(x * 5);
        using var fine = new JpegEncoder(95);
        using var coarse = new JpegEncoder(20);

        byte[] jpeg = fine.EncodeGray(pixels, width, height, stride);
        byte[] small = coarse.EncodeGray(pixels, width, height, stride);

        using var decoded = Cv2.ImDecode(jpeg, ImreadModes.Unchanged);
        Assert.Equal((width, height, 1), (decoded.Width, decoded.Height, decoded.Channels()));
        for (int x = 0; x < width; x += 7)
            Assert.True(Math.Abs(decoded.At<byte>(10, x) - (x * 5)) <= 3, $"column {x}: {decoded.At<byte>(10, x)} vs {x * 5}");
        Assert.True(small.Length < jpeg.Length, $"quality 20 gave {small.Length} bytes, quality 95 {jpeg.Length}");
    }

    [Fact]
    public void EncodeGray_BufferShorterThanStrideTimesHeight_Throws()
    {
        using var encoder = new JpegEncoder(95);
        var error = Assert.Throws<ArgumentException>(() => encoder.EncodeGray(new byte[(64 * 19) + 49], 50, 20, 64));
        Assert.Contains("needs 1266 bytes", error.Message);
    }

    [Fact]
    public void EncodeYuv420_FrameTooShort_Throws()
    {
        using var encoder = new JpegEncoder(95);
        var error = Assert.Throws<ArgumentException>(() => encoder.EncodeYuv420(new byte[100], new FrameSize(32, 24)));
        Assert.Contains("needs 1152 bytes", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Constructor_QualityOutOfRange_Throws(int quality) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new JpegEncoder(quality));
}
