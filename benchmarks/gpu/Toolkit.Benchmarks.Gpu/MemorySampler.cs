using System.Runtime.InteropServices;

namespace Toolkit.Benchmarks.Gpu;

/// <summary>
/// Peak memory during a measurement, sampled every 2 ms on a thread of its own: on a GPU the device's used memory
/// from NVML (<c>libnvidia-ml.so.1</c>, what nvidia-smi shows: the CUDA context, libtorch's caching allocator and
/// anything else on the device), on the CPU the process's resident set. TorchSharp exposes none of
/// <c>torch.cuda.max_memory_allocated</c>, so both frameworks are measured this way (peer.py reads NVML too, and
/// reports PyTorch's allocator peak beside it).
/// </summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Func<long> _read;
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _peak;

    private MemorySampler(Func<long> read, string source)
    {
        _read = read;
        Source = source;
        _peak = read();
        _thread = new Thread(Loop) { IsBackground = true, Name = "memory sampler" };
        _thread.Start();
    }

    /// <summary>Where the figures come from: <c>nvml</c> or <c>rss</c>.</summary>
    public string Source { get; }

    /// <summary>The highest figure seen so far, in bytes.</summary>
    public long Peak => Math.Max(Interlocked.Read(ref _peak), _read());

    /// <summary>Samples device <paramref name="cudaIndex"/> through NVML, or the process's resident set when it is null or NVML is absent.</summary>
    public static MemorySampler Start(int? cudaIndex)
    {
        if (cudaIndex is int index && Nvml.TryDevice(index, out var handle))
            return new MemorySampler(() => Nvml.Used(handle), "nvml");
        return new MemorySampler(Toolkit.Core.ProcessMemory.Resident, "rss");
    }

    private void Loop()
    {
        while (!_stop)
        {
            long now = _read();
            long seen = Interlocked.Read(ref _peak);
            while (now > seen && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
                seen = Interlocked.Read(ref _peak);
            Thread.Sleep(2);
        }
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }
}

/// <summary>The three NVML calls the sampler and the environment report need (hand-written P/Invoke).</summary>
internal static class Nvml
{
    private const string Library = "libnvidia-ml.so.1";
    private static readonly Lazy<bool> Initialized = new(() =>
    {
        try
        {
            return nvmlInit_v2() == 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    });

    [StructLayout(LayoutKind.Sequential)]
    private struct MemoryInfo
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    [DllImport(Library)]
    private static extern int nvmlInit_v2();

    [DllImport(Library)]
    private static extern int nvmlDeviceGetHandleByIndex_v2(uint index, out IntPtr device);

    [DllImport(Library)]
    private static extern int nvmlDeviceGetMemoryInfo(IntPtr device, out MemoryInfo memory);

    [DllImport(Library)]
    private static extern int nvmlDeviceGetName(IntPtr device, byte[] name, uint length);

    public static bool TryDevice(int index, out IntPtr handle)
    {
        handle = IntPtr.Zero;
        return Initialized.Value && nvmlDeviceGetHandleByIndex_v2((uint)index, out handle) == 0;
    }

    public static long Used(IntPtr device) => nvmlDeviceGetMemoryInfo(device, out var m) == 0 ? (long)m.Used : 0;

    public static long Total(IntPtr device) => nvmlDeviceGetMemoryInfo(device, out var m) == 0 ? (long)m.Total : 0;

    public static string? Name(IntPtr device)
    {
        var buffer = new byte[96];
        return nvmlDeviceGetName(device, buffer, (uint)buffer.Length) == 0 ? System.Text.Encoding.ASCII.GetString(buffer).TrimEnd('\0') : null;
    }
}
