using System.Diagnostics;
using static TorchSharp.torch;

namespace Toolkit.Augment.Tests.Tensors;

/// <summary>TorchSharp loads from this output folder (the build's libstdc++ fix-up, docs/torchsharp.md, did its work).</summary>
[Trait("Category", "Integration")]
public sealed class TorchSharpLoadTests
{
    private const string SystemLibstdcxx = "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";

    [Fact]
    public void Torch_LoadsAndComputes()
    {
        using var t = ones(2, 3);
        using var s = t.sum();

        Assert.Equal(6f, s.item<float>());
    }

    [Fact]
    public void OutputCopy_MarksGlibcxx3432Weak_OnlyWhenTheSystemLacksIt()
    {
        // The copy the runtime loads: test projects are built for linux-x64 (Directory.Build.props), so the package's
        // native files lie flat in the output folder.
        string lib = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        Assert.True(File.Exists(lib), $"{lib} is missing");
        bool systemHasIt = File.Exists(SystemLibstdcxx) && File.ReadAllText(SystemLibstdcxx, System.Text.Encoding.Latin1).Contains("GLIBCXX_3.4.32\0", StringComparison.Ordinal);

        var start = new ProcessStartInfo("readelf", ["-V", "-W", lib]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(start)!;
        string line = p.StandardOutput.ReadToEnd().Split('\n').Single(l => l.Contains("Name: GLIBCXX_3.4.32", StringComparison.Ordinal));
        p.WaitForExit();

        if (systemHasIt)
            Assert.Contains("Flags: none", line);
        else
            Assert.Contains("Flags: WEAK", line);
    }
}
