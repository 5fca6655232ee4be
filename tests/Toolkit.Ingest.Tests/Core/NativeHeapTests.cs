using System.Runtime.InteropServices;
using Toolkit.Core;

namespace Toolkit.Ingest.Tests.Core;

/// <summary>glibc's thresholds as NativeHeap sets them, read back through mallinfo2 (bytes in separately mapped blocks).</summary>
[Trait("Category", "Unit")]
public sealed class NativeHeapTests
{
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    [DllImport("libc.so.6")]
    private static extern MallInfo2 mallinfo2();

    /// <summary>How many more bytes are mapped on their own while a block of <paramref name="bytes"/> is held.</summary>
    private static long MappedWhileHolding(int bytes)
    {
        long before = (long)mallinfo2().Hblkhd;
        IntPtr block = Marshal.AllocHGlobal(bytes); // malloc
        try
        {
            return (long)mallinfo2().Hblkhd - before;
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }

    [Fact]
    public void Thresholds_DecideWhichBlocksAreMappedOnTheirOwn()
    {
        Assert.True(NativeHeap.Available, "this is Linux with glibc");
        try
        {
            Assert.True(NativeHeap.SetMmapThreshold(64 << 10));
            Assert.True(MappedWhileHolding(1 << 20) >= 1 << 20, "a 1 MiB block above a 64 KiB threshold is mapped on its own");
            Assert.True(NativeHeap.UseSteadyThresholds());
            Assert.True(MappedWhileHolding(1 << 20) < 1 << 20, "a 1 MiB block below the steady 32 MiB threshold comes from the heap");
            Assert.True(MappedWhileHolding(NativeHeap.SteadyMmapThreshold + (1 << 20)) > NativeHeap.SteadyMmapThreshold);
        }
        finally
        {
            NativeHeap.UseSteadyThresholds();
        }
    }
}
