using System.Runtime.InteropServices;
using Toolkit.Core;

namespace Toolkit.Ingest.Tests.Core;

/// <summary>
/// glibc's thresholds as NativeHeap sets them, seen on the blocks malloc returns: glibc marks a block it mapped on its
/// own with the IS_MMAPPED bit (0x2) of the size word just before it (per block, so other tests allocating at the same
/// time cannot disturb the check).
/// </summary>
[Trait("Category", "Unit")]
public sealed class NativeHeapTests
{
    private static bool MappedOnItsOwn(int bytes)
    {
        IntPtr block = Marshal.AllocHGlobal(bytes); // malloc
        try
        {
            return (Marshal.ReadInt64(block - 8) & 0x2) != 0;
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
            Assert.True(MappedOnItsOwn(1 << 20), "a 1 MiB block above a 64 KiB threshold is mapped on its own");
            Assert.True(NativeHeap.UseSteadyThresholds());
            Assert.False(MappedOnItsOwn(1 << 20), "a 1 MiB block below the steady 32 MiB threshold comes from the heap");
            Assert.True(MappedOnItsOwn(NativeHeap.SteadyMmapThreshold + (1 << 20)), "a block above 32 MiB is mapped on its own");
        }
        finally
        {
            NativeHeap.UseSteadyThresholds();
        }
    }
}
