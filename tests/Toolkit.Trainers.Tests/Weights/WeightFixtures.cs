using System.Diagnostics;
using Toolkit.Trainers.Tests.Support;

namespace Toolkit.Trainers.Tests.Weights;

/// <summary>
/// Checkpoint fixtures written once per test run by <c>make_fixtures.py</c> with Debian's python3-torch (installed by
/// ./setup.sh): real <c>torch.save</c> files in each source's container and key layout, broken and hostile files, and a
/// torchvision ResNet-50 with a parity file. Also finds the model-zoo fixtures in <c>../shared/fixtures/zoo/</c>.
/// </summary>
public sealed class WeightFixtures : IDisposable
{
    private readonly TempDirectory _dir = new("toolkit-weights-");

    public WeightFixtures()
    {
        Folder = Path.Combine(_dir.Path, "fixtures");
        var start = new ProcessStartInfo(Python, [Path.Combine(AppContext.BaseDirectory, "Weights", "make_fixtures.py"), Folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("make_fixtures.py did not finish in 3 minutes");
        }
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"make_fixtures.py failed (exit {p.ExitCode}; python3-torch comes with ./setup.sh):\n{stdout.Result}\n{err.Result}");
    }

    /// <summary>Debian's Python, where apt's python3-torch lives (a pyenv python3 first on PATH has no torch).</summary>
    public static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public string Folder { get; }

    public string this[string name] => Path.Combine(Folder, name);

    /// <summary>A scratch folder inside the fixture folder.</summary>
    public string Scratch(string name)
    {
        string path = Path.Combine(_dir.Path, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        return path;
    }

    /// <summary><c>shared/fixtures/zoo</c> beside the checkout (or inside it).</summary>
    public static string Zoo(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "fixtures", "zoo"), Path.Combine(dir.FullName, "..", "shared", "fixtures", "zoo") })
            {
                if (Directory.Exists(candidate))
                    return Path.GetFullPath(Path.Combine(candidate, file));
            }
        }
        throw new DirectoryNotFoundException($"shared/fixtures/zoo not found above {AppContext.BaseDirectory}");
    }

    /// <summary>Runs a Python snippet with torch; returns its standard output (throws with stderr on failure).</summary>
    public static string RunPython(string code)
    {
        var start = new ProcessStartInfo(Python, ["-c", code]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"python failed (exit {p.ExitCode}):\n{output}\n{err.Result}");
        return output;
    }

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class WeightFixturesCollection : ICollectionFixture<WeightFixtures>
{
    public const string Name = "weight fixtures";
}
