using System.Diagnostics;

namespace Toolkit.Trainers.Tests.Gpu;

/// <summary>
/// build/kit/abi-check.sh, the device kit's first step: the patched libLibTorchSharp.so of this build finds every
/// symbol in the libtorch 2.10 it was built for (the one beside the tests), and a libtorch of another release
/// (Debian's 1.13, installed by setup.sh with python3-torch) is reported with the symbols it lacks.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AbiCheckTests : IDisposable
{
    private readonly string _wrong = Path.Combine(Path.GetTempPath(), "toolkit-abi-" + Guid.NewGuid().ToString("N"));

    private static string Script()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Toolkit.sln")))
            dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Toolkit.sln not found"), "build/kit/abi-check.sh");
    }

    private static (int Code, string Output) Check(string torchlib)
    {
        var start = new ProcessStartInfo("bash", [Script(), Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"), torchlib])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output + err.GetAwaiter().GetResult());
    }

    [Fact]
    public void AgainstTheLibtorchItWasBuiltFor_IsCompatible()
    {
        var (code, output) = Check(AppContext.BaseDirectory);
        Assert.True(code == 0, output);
        Assert.StartsWith("compatible: ", output, StringComparison.Ordinal);
        Assert.Contains("the loader binds it", output, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void AgainstAnotherRelease_ListsTheMissingSymbols()
    {
        const string debian = "/usr/lib/x86_64-linux-gnu";
        Directory.CreateDirectory(_wrong);
        foreach (string name in new[] { "libtorch", "libtorch_cpu", "libc10" })
        {
            string target = Path.Combine(debian, name + ".so.1.13");
            Assert.True(File.Exists(target), $"{target} is missing (setup.sh installs python3-torch)");
            File.CreateSymbolicLink(Path.Combine(_wrong, name + ".so"), target);
        }
        var (code, output) = Check(_wrong);
        Assert.True(code == 1, output);
        Assert.StartsWith("incompatible: ", output, StringComparison.Ordinal);
        Assert.Contains("undefined symbol", output, StringComparison.Ordinal);
        Assert.Contains("  missing: at::", output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_wrong))
            Directory.Delete(_wrong, recursive: true);
    }
}
