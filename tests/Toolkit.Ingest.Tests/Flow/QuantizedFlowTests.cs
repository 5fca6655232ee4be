using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using OpenCvSharp;
using Toolkit.Ingest.Decoding;
using Toolkit.Ingest.Flow;
using Toolkit.Ingest.Probing;
using Toolkit.Tests.Support;

namespace Toolkit.Ingest.Tests.Flow;

/// <summary>
/// Real consecutive frames of tree.avi as extract feeds them to flow: gray, short side 256, so 341x256 (an odd width, the
/// case where DIS builds its pyramid with OpenCV's general area resize).
/// </summary>
public sealed class TreeFramesFixture
{
    public TreeFramesFixture()
    {
        string clip = TestVideos.Require(TestVideos.Tree);
        var info = VideoProbe.ProbeAsync(clip, CancellationToken.None).GetAwaiter().GetResult().Info!;
        var frames = new List<byte[]>();
        var outcome = FrameDecoder.DecodeAsync(clip, info, new FrameLayout(Size, PixelLayout.Gray), fps: null, threads: 1, (buffer, index) =>
        {
            if (index < 6)
                frames.Add(buffer.AsSpan(0, Size.Width * Size.Height).ToArray());
            ArrayPool<byte>.Shared.Return(buffer);
            return ValueTask.CompletedTask;
        }, CancellationToken.None).GetAwaiter().GetResult();
        Assert.Null(outcome.Error);
        Frames = frames;
    }

    public static FrameSize Size { get; } = new(341, 256);

    public IReadOnlyList<byte[]> Frames { get; }
}

/// <summary>
/// <see cref="IOpticalFlow.CalcQuantized"/>, the path extract and the estimator use, against the float field
/// (<see cref="IOpticalFlow.Calc"/>) quantized with <see cref="FlowQuantizer"/>: the same bytes for every algorithm.
/// </summary>
[Trait("Category", "Integration")]
public sealed class QuantizedFlowTests(TreeFramesFixture tree) : IClassFixture<TreeFramesFixture>
{
    private const double Bound = 20;

    [NativeShimFact]
    public void CalcQuantized_Dis_SameBytesAsTheFloatFieldQuantized()
    {
        using var flow = NativeFlow.CreateDis(DisPreset.Fast);
        AssertSameAsFloatField(flow, pairs: 5);
    }

    [NativeShimFact]
    public void CalcQuantized_TvL1_SameBytesAsTheFloatFieldQuantized()
    {
        using var flow = NativeFlow.CreateTvL1();
        AssertSameAsFloatField(flow, pairs: 2);
    }

    [Fact]
    public void CalcQuantized_Farneback_SameBytesAsTheFloatFieldQuantized()
    {
        using var flow = new FarnebackFlow();
        AssertSameAsFloatField(flow, pairs: 2);
    }

    [NativeShimFact]
    public void CalcQuantized_DisOtherBound_ScalesAsTheQuantizerDoes()
    {
        using var flow = NativeFlow.CreateDis(DisPreset.Fast);
        var (x5, _) = Quantized(flow, tree.Frames[0], tree.Frames[1], bound: 5);
        var (x20, _) = Quantized(flow, tree.Frames[0], tree.Frames[1], bound: 20);

        // A tighter bound spreads the same motion over more levels: farther from 128 wherever the flow is not ~0.
        double spread5 = x5.Average(v => Math.Abs(v - 128.0)), spread20 = x20.Average(v => Math.Abs(v - 128.0));
        Assert.True(spread5 > 2 * spread20, $"mean |x − 128|: bound 5 {spread5:F2}, bound 20 {spread20:F2}");
    }

    [Fact]
    public void CalcQuantized_LongerOutputs_WritesOnlyTheFirstWidthTimesHeightBytes()
    {
        using var farneback = new FarnebackFlow();
        AssertWritesOnlyTheImage(farneback);
        if (Requirements.NativeShimMissing is null)
        {
            using var dis = NativeFlow.CreateDis(DisPreset.Fast);
            AssertWritesOnlyTheImage(dis);
        }
    }

    [NativeShimFact]
    public void CalcQuantized_ShortOutput_ThrowsArgumentExceptionNamingTheSizes()
    {
        using var flow = NativeFlow.CreateDis(DisPreset.Fast);
        var size = TreeFramesFixture.Size;

        var error = Assert.Throws<ArgumentException>(() =>
            flow.CalcQuantized(tree.Frames[0], tree.Frames[1], size, Bound, new byte[100], new byte[size.Width * size.Height]));

        Assert.Contains("341x256 flow images need 87296 bytes each, got 100 and 87296", error.Message, StringComparison.Ordinal);
    }

    [NativeShimFact]
    public void CalcQuantized_ZeroBound_FailsWithTheShimsMessage()
    {
        using var flow = NativeFlow.CreateDis(DisPreset.Fast);

        var error = Assert.Throws<InvalidOperationException>(() => Quantized(flow, tree.Frames[0], tree.Frames[1], bound: 0));

        Assert.Contains("bound must be a positive number", error.Message, StringComparison.Ordinal);
    }

    [NativeShimFact]
    public void CalcQuantized_TooSmallForDis_FailsInsteadOfCrashing()
    {
        using var flow = NativeFlow.CreateDis(DisPreset.Fast);
        var size = new FrameSize(40, 12);
        var frame = new byte[40 * 12];

        var error = Assert.Throws<InvalidOperationException>(() =>
            flow.CalcQuantized(frame, frame, size, Bound, new byte[frame.Length], new byte[frame.Length]));

        Assert.Contains("40x12 is too small for DIS", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The shim links only OpenCV's core, imgproc and video modules (DIS): opencv_optflow, which TV-L1 needs, and its ~120
    /// libraries load only from libtoolkit_tvl1.so, on the first TV-L1 instance. Loading them cost every run 0.1 s.
    /// </summary>
    [NativeShimFact]
    public void Shim_DoesNotLinkOptflow_TvL1FactoryLivesBesideIt()
    {
        string shim = Path.Combine(AppContext.BaseDirectory, "libtoolkit_flow.so");
        string tvl1 = Path.Combine(AppContext.BaseDirectory, "libtoolkit_tvl1.so");

        var shimNeeds = Needed(shim);
        Assert.Contains("libopencv_video.so.406", shimNeeds);
        Assert.DoesNotContain(shimNeeds, name => name.StartsWith("libopencv_optflow", StringComparison.Ordinal));
        Assert.Contains(Needed(tvl1), name => name.StartsWith("libopencv_optflow", StringComparison.Ordinal));
    }

    /// <summary>A copy of the shim without libtoolkit_tvl1.so beside it: DIS still works, TV-L1 says what is missing.</summary>
    [NativeShimFact]
    public void Shim_WithoutTvL1Library_DisWorksAndTvL1NamesTheMissingFile()
    {
        using var temp = new TempDirectory();
        string copy = temp.Combine("libtoolkit_flow.so");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "libtoolkit_flow.so"), copy);
        IntPtr library = NativeLibrary.Load(copy);
        try
        {
            var create = Marshal.GetDelegateForFunctionPointer<Create>(NativeLibrary.GetExport(library, "tkf_create"));
            var destroy = Marshal.GetDelegateForFunctionPointer<Destroy>(NativeLibrary.GetExport(library, "tkf_destroy"));
            var err = new byte[512];

            IntPtr dis = create(2, 1, err, err.Length);
            Assert.NotEqual(IntPtr.Zero, dis);
            destroy(dis);

            IntPtr tvl1 = create(1, 0, err, err.Length);
            Assert.Equal(IntPtr.Zero, tvl1);
            string message = System.Text.Encoding.UTF8.GetString(err, 0, Array.IndexOf(err, (byte)0));
            Assert.Contains($"TV-L1 needs {temp.Combine("libtoolkit_tvl1.so")}", message, StringComparison.Ordinal);
            Assert.Contains("libopencv-contrib-dev", message, StringComparison.Ordinal);
        }
        finally
        {
            NativeLibrary.Free(library);
        }
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr Create(int algorithm, int disPreset, [Out] byte[] err, int errLen);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void Destroy(IntPtr handle);

    private void AssertSameAsFloatField(IOpticalFlow flow, int pairs)
    {
        var size = TreeFramesFixture.Size;
        using var field = new Mat();
        for (int i = 0; i < pairs; i++)
        {
            byte[] previous = tree.Frames[i], next = tree.Frames[i + 1];
            var (x, y) = Quantized(flow, previous, next, Bound);

            using (var a = Mat.FromPixelData(size.Height, size.Width, MatType.CV_8UC1, previous))
            using (var b = Mat.FromPixelData(size.Height, size.Width, MatType.CV_8UC1, next))
                flow.Calc(a, b, field);
            var (qx, qy) = FlowQuantizer.Quantize(field, Bound);
            using (qx)
            using (qy)
            {
                Assert.Equal(Bytes(qx), x);
                Assert.Equal(Bytes(qy), y);
            }
            Assert.Contains(x, v => v != 128); // real motion, not an all-zero field
        }
    }

    private void AssertWritesOnlyTheImage(IOpticalFlow flow)
    {
        var size = TreeFramesFixture.Size;
        int bytes = size.Width * size.Height;
        var x = Enumerable.Repeat((byte)7, bytes + 4096).ToArray();
        var y = Enumerable.Repeat((byte)7, bytes + 4096).ToArray();

        flow.CalcQuantized(tree.Frames[0], tree.Frames[1], size, Bound, x, y);

        var (ex, ey) = Quantized(flow, tree.Frames[0], tree.Frames[1], Bound);
        Assert.Equal(ex, x[..bytes]);
        Assert.Equal(ey, y[..bytes]);
        Assert.All(x[bytes..], v => Assert.Equal(7, v));
        Assert.All(y[bytes..], v => Assert.Equal(7, v));
    }

    private static (byte[] X, byte[] Y) Quantized(IOpticalFlow flow, byte[] previous, byte[] next, double bound)
    {
        var size = TreeFramesFixture.Size;
        var x = new byte[size.Width * size.Height];
        var y = new byte[size.Width * size.Height];
        flow.CalcQuantized(previous, next, size, bound, x, y);
        return (x, y);
    }

    private static byte[] Bytes(Mat image)
    {
        Assert.True(image.IsContinuous());
        var bytes = new byte[image.Rows * image.Cols];
        Marshal.Copy(image.Data, bytes, 0, bytes.Length);
        return bytes;
    }

    private static List<string> Needed(string library)
    {
        using var readelf = Process.Start(new ProcessStartInfo("readelf", ["-d", library]) { RedirectStandardOutput = true })!;
        string output = readelf.StandardOutput.ReadToEnd();
        readelf.WaitForExit();
        Assert.Equal(0, readelf.ExitCode);
        return output.Split('\n').Where(l => l.Contains("(NEEDED)", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf('[', StringComparison.Ordinal) + 1)..l.IndexOf(']', StringComparison.Ordinal)]).ToList();
    }
}
