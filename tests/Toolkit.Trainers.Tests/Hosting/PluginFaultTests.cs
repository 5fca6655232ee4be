using System.Diagnostics;
using Toolkit.Trainers.Hosting;
using Toolkit.Trainers.Tests.Support;

namespace Toolkit.Trainers.Tests.Hosting;

/// <summary>
/// Plugins that break the contract (issue 20, item 12), loaded for real from faulty-plugins/ beside the tests: null returns,
/// a constructor that never returns, a missing dependency, a second plugin claiming the built-in trainer's name.
/// </summary>
[Trait("Category", "Failure")]
public sealed class PluginFaultTests
{
    private const string Faulty = "Toolkit.Trainers.FaultyPlugins";

    private static string FaultyFolder => Path.Combine(AppContext.BaseDirectory, "faulty-plugins");

    [Fact]
    public void Load_ConstructorThatNeverReturns_IsAProblemAfterTheTimeout_AndTheOtherPluginsLoad()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        PluginCatalogTests.CopyFolder(Path.Combine(FaultyFolder, Faulty), Path.Combine(dir.Path, Faulty));
        File.WriteAllText(Path.Combine(dir.Path, Faulty, "block-constructor"), "");
        var clock = Stopwatch.StartNew();

        using var catalog = PluginCatalog.Load(dir.Path, constructorTimeout: TimeSpan.FromSeconds(1));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"loading took {clock.Elapsed}");
        var problem = Assert.Single(catalog.Problems);
        Assert.Contains("SlowStartPlugin did not finish loading within 1 s", problem.Reason, StringComparison.Ordinal);
        Assert.Equal(["needs-dependency", "null-returns", "video-classifier"], catalog.Plugins.Select(p => p.Name));
    }

    [Fact]
    public void Load_DependencyMissingFromThePluginFolder_NamesTheFile_NotTheConstructor()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        PluginCatalogTests.CopyFolder(Path.Combine(FaultyFolder, Faulty), Path.Combine(dir.Path, Faulty));
        File.Delete(Path.Combine(dir.Path, Faulty, "Toolkit.Trainers.TestPlugins.dll"));

        using var catalog = PluginCatalog.Load(dir.Path);

        var problem = Assert.Single(catalog.Problems);
        Assert.Contains("NeedsDependencyPlugin needs Toolkit.Trainers.TestPlugins.dll", problem.Reason, StringComparison.Ordinal);
        Assert.Contains($"neither in {Path.Combine(dir.Path, Faulty)}", problem.Reason, StringComparison.Ordinal);
        Assert.Contains("whole publish folder", problem.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain("constructor", problem.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain(catalog.Plugins, p => p.Name == "needs-dependency");
    }

    [Fact]
    public void TwoPluginsWithOneName_TrainRefusesTheName_AndPluginsExits1ListingBoth()
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        string plugins = Path.Combine(dir.Path, "plugins");
        // The impostor's folder sorts before the built-in one: before, it silently replaced it.
        PluginCatalogTests.CopyFolder(Path.Combine(FaultyFolder, Faulty), Path.Combine(plugins, Faulty));
        string builtIn = "Toolkit.Trainers.VideoClassifier";
        PluginCatalogTests.CopyFolder(Path.Combine(PluginCatalogTests.Published, builtIn), Path.Combine(plugins, builtIn));
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 1, frames: 4);
        string config = SyntheticClips.Config(dir.Path, data, epochs: 1, trainer: """{"model": "x3d-m"}""");
        string work = Path.Combine(dir.Path, "work");

        var train = ToolkitCli.Run("train", "--plugins", plugins, "--config", config, "--work-dir", work);
        var list = ToolkitCli.Run("plugins", "--plugins", plugins);

        Assert.True(train.ExitCode == 2, train.ToString());
        Assert.Contains("more than one trainer plugin is named 'video-classifier'", train.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{Faulty}.dll", train.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{builtIn}.dll", train.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(work), "a work dir was created for an ambiguous plugin");
        Assert.True(list.ExitCode == 1, list.ToString()); // some plugins load, others have problems
        Assert.Contains("2 plugins are named 'video-classifier', so neither is used", list.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"null_validate": true}""", "Validate returned null")]
    [InlineData("""{"null_task": true}""", "TrainAsync returned null instead of a task")]
    [InlineData("{}", "TrainAsync finished without an outcome (null)")]
    public void Train_PluginReturningNull_IsAPluginFailureNamingTheMethod_NotACrash(string options, string expected)
    {
        using var dir = new TempDirectory("toolkit-trainers-");
        var data = SyntheticClips.Write(dir.Path, classes: 2, perClass: 1, frames: 4);
        string config = SyntheticClips.Config(dir.Path, data, epochs: 1, trainer: options);

        var r = ToolkitCli.Run("train", "--plugins", FaultyFolder, "--plugin", "null-returns", "--config", config, "--work-dir", Path.Combine(dir.Path, "work"));

        Assert.True(r.ExitCode == 3, r.ToString());
        Assert.Contains($"trainer plugin 'null-returns' failed: InvalidOperationException: {expected}", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Models_PluginReturningNull_Exits2NamingTheMethod()
    {
        var r = ToolkitCli.Run("models", "--plugins", FaultyFolder, "--plugin", "null-returns");

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("trainer plugin 'null-returns' failed to describe its models: InvalidOperationException: DescribeModels returned null", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
    }
}
