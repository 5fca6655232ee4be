using System.Runtime.Loader;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Hosting;
using Toolkit.Trainers.Tests.Support;

namespace Toolkit.Trainers.Tests.Hosting;

/// <summary>The host loads the real published plugins (plugins/ beside this assembly, published by the build).</summary>
[Trait("Category", "Integration")]
public sealed class PluginCatalogTests
{
    internal static string Published => Path.Combine(AppContext.BaseDirectory, "plugins");

    [Fact]
    public void Load_PublishedFolder_FindsBuiltInTrainerAndEchoThroughTheContract()
    {
        using var catalog = PluginCatalog.Load(Published);
        var names = catalog.Plugins.Select(p => p.Name).ToList();
        Assert.Contains("video-classifier", names);
        Assert.Contains("echo", names);
        var builtIn = catalog.Get("video-classifier");
        Assert.Equal(TrainerContract.Version, builtIn.Descriptor.ContractVersion);
        Assert.Equal(Path.Combine(Published, "Toolkit.Trainers.VideoClassifier", "Toolkit.Trainers.VideoClassifier.dll"), builtIn.AssemblyPath);
        // Loaded in the plugin's own context, yet implementing the host's contract type (a shared type).
        var context = AssemblyLoadContext.GetLoadContext(builtIn.Instance.GetType().Assembly);
        Assert.NotSame(AssemblyLoadContext.Default, context);
        Assert.IsAssignableFrom<ITrainerPlugin>(builtIn.Instance);
        Assert.Same(typeof(ITrainerPlugin).Assembly, builtIn.Instance.GetType().GetInterfaces().Single(i => i.Name == nameof(ITrainerPlugin)).Assembly);
        // The plugin folder carries no private contract or TorchSharp.
        string folder = Path.GetDirectoryName(builtIn.AssemblyPath)!;
        Assert.False(File.Exists(Path.Combine(folder, "Toolkit.Trainers.Abstractions.dll")));
        Assert.False(File.Exists(Path.Combine(folder, "TorchSharp.dll")));
        Assert.Empty(Directory.GetFiles(folder, "libtorch*.so", SearchOption.AllDirectories));
    }

    [Fact]
    public void Load_WrongContractVersion_IsAProblemNamingBothVersions()
    {
        using var catalog = PluginCatalog.Load(Published);
        Assert.DoesNotContain(catalog.Plugins, p => p.Name == "future");
        var problem = Assert.Single(catalog.Problems, p => p.Reason.Contains("'future'", StringComparison.Ordinal));
        Assert.Contains($"contract {TrainerContract.Version + 1}", problem.Reason, StringComparison.Ordinal);
        Assert.Contains($"speaks {TrainerContract.Version}", problem.Reason, StringComparison.Ordinal);
        Assert.Contains("rebuild", problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ConstructorThrows_IsAProblemWithTheCause_OtherPluginsStillLoad()
    {
        using var catalog = PluginCatalog.Load(Published);
        var problem = Assert.Single(catalog.Problems, p => p.Reason.Contains("ThrowingConstructorPlugin", StringComparison.Ordinal));
        Assert.Contains("threw while loading", problem.Reason, StringComparison.Ordinal);
        Assert.Contains("cannot find my license file", problem.Reason, StringComparison.Ordinal);
        Assert.Contains(catalog.Plugins, p => p.Name == "echo"); // same assembly, unaffected
    }

    [Fact]
    public void Load_GarbageAssemblyAndFolderWithoutDll_AreProblems()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        CopyFolder(Path.Combine(Published, "Toolkit.Trainers.TestPlugins"), Path.Combine(dir.Path, "Toolkit.Trainers.TestPlugins"));
        Directory.CreateDirectory(Path.Combine(dir.Path, "Broken"));
        File.WriteAllText(Path.Combine(dir.Path, "Broken", "Broken.dll"), "this is not an assembly");
        Directory.CreateDirectory(Path.Combine(dir.Path, "Empty"));
        using var catalog = PluginCatalog.Load(dir.Path);
        Assert.Contains(catalog.Plugins, p => p.Name == "echo");
        Assert.Contains(catalog.Problems, p => p.Path.EndsWith("Broken.dll", StringComparison.Ordinal) && p.Reason.StartsWith("cannot be loaded", StringComparison.Ordinal));
        Assert.Contains(catalog.Problems, p => p.Path.EndsWith("Empty", StringComparison.Ordinal) && p.Reason.Contains("no Empty.dll", StringComparison.Ordinal));
    }

    [Fact]
    public void Get_UnknownName_NamesItListsInstalledAndProblems()
    {
        using var catalog = PluginCatalog.Load(Published);
        var e = Assert.Throws<PluginNotFoundException>(() => catalog.Get("no-such-trainer"));
        Assert.Contains("'no-such-trainer'", e.Message, StringComparison.Ordinal);
        Assert.Contains("video-classifier", e.Message, StringComparison.Ordinal);
        Assert.Contains("echo", e.Message, StringComparison.Ordinal);
        Assert.Contains("Could not load", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFolder_IsAProblemNotAnException()
    {
        using var catalog = PluginCatalog.Load(Path.Combine(Path.GetTempPath(), "no-such-plugins-" + Guid.NewGuid().ToString("N")));
        Assert.Empty(catalog.Plugins);
        Assert.Contains("does not exist", Assert.Single(catalog.Problems).Reason, StringComparison.Ordinal);
    }

    internal static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
