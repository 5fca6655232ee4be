using System.Runtime.InteropServices;
using System.Text;
using OpenCvSharp;
using Toolkit.Core;

namespace Toolkit.Ingest.Flow;

/// <summary>
/// Dual TV-L1 and DIS through <c>libtoolkit_flow.so</c>, a small C-ABI shim over Debian's OpenCV 4.6
/// (OpenCvSharp's TV-L1 wrapper crashes and it has no DIS wrapper). Buffers cross the boundary as raw pointers; no copies.
/// The shim links only OpenCV's core, imgproc and video modules; TV-L1's factory is in <c>libtoolkit_tvl1.so</c>, which
/// the shim opens on the first TV-L1 instance (opencv_optflow's 120 dependencies cost every run 0.1 s to load).
/// <see cref="CalcQuantized"/> quantizes inside the shim, so the extract path never touches OpenCvSharp.
/// </summary>
public sealed partial class NativeFlow : IOpticalFlow
{
    private const string Library = "toolkit_flow";
    private const int TvL1Algorithm = 1;
    private const int DisAlgorithm = 2;
    private IntPtr _handle;

    private NativeFlow(IntPtr handle, string name)
    {
        _handle = handle;
        Name = name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Dual TV-L1 with OpenCV's default parameters (denseflow's default algorithm).</summary>
    public static NativeFlow CreateTvL1() => Create(TvL1Algorithm, 0, "tvl1");

    /// <summary>DIS with the given preset.</summary>
    public static NativeFlow CreateDis(DisPreset preset) => Create(DisAlgorithm, (int)preset, "dis");

    /// <summary>The OpenCV version the shim is linked against, e.g. "4.6.0".</summary>
    public static string OpenCvVersion()
    {
        EnsureLoaded();
        return Marshal.PtrToStringUTF8(tkf_opencv_version()) ?? "unknown";
    }

    /// <summary>Sets the number of threads OpenCV may use inside one call (the pipeline passes 1 and parallelises across frames).</summary>
    public static void SetNumThreads(int threads)
    {
        EnsureLoaded();
        tkf_set_num_threads(threads);
    }

    private static unsafe NativeFlow Create(int algorithm, int preset, string name)
    {
        EnsureLoaded();
        byte* err = stackalloc byte[ErrorBytes];
        IntPtr handle = tkf_create(algorithm, preset, err, ErrorBytes);
        if (handle == IntPtr.Zero)
            throw new ToolkitError($"flow '{name}'", $"could not be created: {Message(err)}",
                algorithm == TvL1Algorithm ? "run ./setup.sh (it installs libopencv-contrib-dev and builds the shims), or use --flow dis or farneback" : "run ./setup.sh");
        return new NativeFlow(handle, name);
    }

    /// <inheritdoc/>
    public unsafe void Calc(Mat prev, Mat next, Mat flow)
    {
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        if (prev.Type() != MatType.CV_8UC1 || next.Type() != MatType.CV_8UC1)
            throw new ArgumentException("flow inputs must be 8-bit single-channel images");
        if (prev.Size() != next.Size())
            throw new ArgumentException($"flow inputs differ in size: {prev.Size()} vs {next.Size()}");
        if (prev.Step() != next.Step())
            throw new ArgumentException("flow inputs must have the same row stride");
        flow.Create(prev.Rows, prev.Cols, MatType.CV_32FC2);
        if (!flow.IsContinuous())
            throw new ArgumentException("flow output must be continuous");
        byte* err = stackalloc byte[ErrorBytes];
        int rc = tkf_calc(_handle, (byte*)prev.Data, (byte*)next.Data, prev.Cols, prev.Rows, (int)prev.Step(), (float*)flow.Data, err, ErrorBytes);
        if (rc != 0)
            throw new InvalidOperationException($"{Name} optical flow failed: {Message(err)}");
    }

    /// <inheritdoc/>
    public unsafe void CalcQuantized(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> next, FrameSize size, double bound, Span<byte> x, Span<byte> y)
    {
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        FlowBuffers.Check(previous, next, size, x, y);
        byte* err = stackalloc byte[ErrorBytes];
        int rc;
        fixed (byte* a = previous, b = next, qx = x, qy = y)
            rc = tkf_calc_quantized(_handle, a, b, size.Width, size.Height, size.Width, bound, qx, qy, size.Width, err, ErrorBytes);
        if (rc != 0)
            throw new InvalidOperationException($"{Name} optical flow failed: {Message(err)}");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_handle != IntPtr.Zero)
        {
            tkf_destroy(_handle);
            _handle = IntPtr.Zero;
        }
    }

    private const int ErrorBytes = 512;

    private static unsafe string Message(byte* err)
    {
        var bytes = new ReadOnlySpan<byte>(err, ErrorBytes);
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    private static void EnsureLoaded()
    {
        try
        {
            Marshal.Prelink(typeof(NativeFlow).GetMethod(nameof(tkf_opencv_version), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!);
        }
        catch (DllNotFoundException e)
        {
            throw new ToolkitError("libtoolkit_flow.so", $"the TV-L1/DIS shim could not be loaded ({e.Message})",
                "Run ./setup.sh (it installs libopencv-dev libopencv-contrib-dev and builds the shim), or use --flow farneback", e);
        }
    }

    [LibraryImport(Library)]
    private static unsafe partial IntPtr tkf_create(int algorithm, int disPreset, byte* err, int errLen);

    [LibraryImport(Library)]
    private static unsafe partial int tkf_calc(IntPtr handle, byte* prev, byte* next, int width, int height, int stride, float* flowXy, byte* err, int errLen);

    [LibraryImport(Library)]
    private static unsafe partial int tkf_calc_quantized(IntPtr handle, byte* prev, byte* next, int width, int height, int stride, double bound,
        byte* x, byte* y, int outStride, byte* err, int errLen);

    [LibraryImport(Library)]
    private static partial void tkf_destroy(IntPtr handle);

    [LibraryImport(Library)]
    private static partial void tkf_set_num_threads(int n);

    [LibraryImport(Library)]
    private static partial IntPtr tkf_opencv_version();
}
