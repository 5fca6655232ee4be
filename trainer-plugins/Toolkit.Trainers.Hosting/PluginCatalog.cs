using System.Reflection;
using McMaster.NETCore.Plugins;
using Toolkit.Trainers.Abstractions;
using TorchSharp;

namespace Toolkit.Trainers.Hosting;

/// <summary>A plugin the host loaded.</summary>
/// <param name="Descriptor">What it declares.</param>
/// <param name="AssemblyPath">The assembly it came from.</param>
/// <param name="Instance">The plugin object.</param>
public sealed record LoadedPlugin(TrainerDescriptor Descriptor, string AssemblyPath, ITrainerPlugin Instance)
{
    /// <summary>The plugin's name.</summary>
    public string Name => Descriptor.Name;
}

/// <summary>A plugin folder (or type) that could not be loaded.</summary>
/// <param name="Path">The folder or assembly.</param>
/// <param name="Reason">What went wrong.</param>
/// <param name="Fix">What to do about it.</param>
public sealed record PluginProblem(string Path, string Reason, string Fix)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Reason} ({Fix})";
}

/// <summary>A plugin name that is not installed, or a plugin that failed to load.</summary>
public sealed class PluginNotFoundException : Exception
{
    /// <summary>Creates the error.</summary>
    public PluginNotFoundException(string message) : base(message)
    {
    }
}

/// <summary>
/// The trainer plugins of one plugins folder, loaded with McMaster.NETCore.Plugins. Each plugin lives in
/// <c>&lt;folder&gt;/&lt;Name&gt;/&lt;Name&gt;.dll</c> with its private dependencies beside it; the contract assembly
/// (<see cref="ITrainerPlugin"/>) and TorchSharp are shared with the host, so tensors and the contract's types cross
/// the boundary as the same types, and one native libtorch serves everyone.
/// </summary>
/// <remarks>
/// Loading never throws for a bad plugin: an assembly that cannot be loaded, a type whose constructor throws, a plugin
/// built against another contract version or two plugins with one name each become a <see cref="PluginProblem"/>, and
/// the good plugins stay usable.
/// </remarks>
public sealed class PluginCatalog : IDisposable
{
    private readonly List<PluginLoader> _loaders = [];

    private PluginCatalog(string folder) => Folder = folder;

    /// <summary>The plugins folder.</summary>
    public string Folder { get; }

    /// <summary>Loaded plugins, by name.</summary>
    public IReadOnlyList<LoadedPlugin> Plugins { get; private set; } = [];

    /// <summary>What could not be loaded.</summary>
    public IReadOnlyList<PluginProblem> Problems { get; private set; } = [];

    /// <summary>
    /// The plugins folder to use: <paramref name="explicitFolder"/> when given, else <c>TOOLKIT_PLUGINS</c>, else
    /// <c>plugins/</c> beside the running executable (where the build publishes the built-in trainer).
    /// </summary>
    public static string ResolveFolder(string? explicitFolder) =>
        Path.GetFullPath(explicitFolder
            ?? (Environment.GetEnvironmentVariable("TOOLKIT_PLUGINS") is { Length: > 0 } env ? env : Path.Combine(AppContext.BaseDirectory, "plugins")));

    /// <summary>Loads every plugin under <paramref name="folder"/>.</summary>
    public static PluginCatalog Load(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var catalog = new PluginCatalog(Path.GetFullPath(folder));
        var plugins = new List<LoadedPlugin>();
        var problems = new List<PluginProblem>();
        if (!Directory.Exists(catalog.Folder))
        {
            problems.Add(new PluginProblem(catalog.Folder, "the plugins folder does not exist",
                "build the toolkit (./toolkit builds and publishes the built-in trainer there) or pass --plugins DIR / set TOOLKIT_PLUGINS"));
        }
        else
        {
            foreach (string dir in Directory.GetDirectories(catalog.Folder).Order(StringComparer.Ordinal))
                catalog.LoadFolder(dir, plugins, problems);
        }
        foreach (var dup in plugins.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            problems.Add(new PluginProblem(string.Join(", ", dup.Select(p => p.AssemblyPath)), $"{dup.Count()} plugins are named '{dup.Key}'",
                "remove all but one; the first is used"));
        }
        catalog.Plugins = plugins.DistinctBy(p => p.Name, StringComparer.OrdinalIgnoreCase).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        catalog.Problems = problems;
        return catalog;
    }

    /// <summary>
    /// The plugin called <paramref name="name"/>. Unknown names throw <see cref="PluginNotFoundException"/> with a
    /// message that names it, lists the installed plugins and says why any folder failed to load.
    /// </summary>
    public LoadedPlugin Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var plugin = Plugins.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        if (plugin is not null)
            return plugin;
        string installed = Plugins.Count == 0 ? "none" : string.Join(", ", Plugins.Select(p => p.Name));
        string problems = Problems.Count == 0 ? "" : " Could not load: " + string.Join("; ", Problems.Select(p => p.ToString())) + ".";
        throw new PluginNotFoundException($"no trainer plugin named '{name}' in {Folder} (installed: {installed}).{problems}");
    }

    private void LoadFolder(string dir, List<LoadedPlugin> plugins, List<PluginProblem> problems)
    {
        string name = Path.GetFileName(dir);
        string dll = Path.Combine(dir, name + ".dll");
        if (!File.Exists(dll))
        {
            problems.Add(new PluginProblem(dir, $"no {name}.dll in the folder", "a plugin folder holds <Name>/<Name>.dll and its private dependencies"));
            return;
        }
        Assembly assembly;
        try
        {
            // Only the contract and TorchSharp are unified with the host; everything else the plugin ships stays its own.
            var loader = PluginLoader.CreateFromAssemblyFile(dll, sharedTypes: [typeof(ITrainerPlugin), typeof(torch)]);
            _loaders.Add(loader);
            assembly = loader.LoadDefaultAssembly();
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or IOException)
        {
            problems.Add(new PluginProblem(dll, $"cannot be loaded: {e.Message}", "rebuild or reinstall the plugin (it must be a .NET 10 assembly)"));
            return;
        }
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
        {
            problems.Add(new PluginProblem(dll, $"its types cannot be loaded: {Inner(e).Message}", "a dependency is missing from the plugin folder or has the wrong version; publish the plugin with its dependencies"));
            return;
        }
        var candidates = types.Where(t => typeof(ITrainerPlugin).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false }).ToList();
        if (candidates.Count == 0)
        {
            bool otherContract = types.Any(t => t.GetInterfaces().Any(i => i.FullName == typeof(ITrainerPlugin).FullName));
            problems.Add(otherContract
                ? new PluginProblem(dll, "its ITrainerPlugin is not the host's (a private copy of Toolkit.Trainers.Abstractions)", "reference the contract with Private=false / ExcludeAssets=runtime so the host's copy is used")
                : new PluginProblem(dll, "contains no public ITrainerPlugin class", "implement Toolkit.Trainers.Abstractions.ITrainerPlugin in a public class with a parameterless constructor"));
            return;
        }
        foreach (var type in candidates)
        {
            if (type.GetConstructor(Type.EmptyTypes) is null)
            {
                problems.Add(new PluginProblem(dll, $"{type.FullName} has no public parameterless constructor", "add one; the host creates plugins with it"));
                continue;
            }
            ITrainerPlugin instance;
            TrainerDescriptor descriptor;
            try
            {
                instance = (ITrainerPlugin)Activator.CreateInstance(type)!;
                descriptor = instance.Descriptor ?? throw new InvalidOperationException("Descriptor is null");
            }
            catch (Exception e)
            {
                problems.Add(new PluginProblem(dll, $"{type.FullName} threw while loading: {Inner(e).GetType().Name}: {Inner(e).Message}", "fix the plugin's constructor or Descriptor"));
                continue;
            }
            if (descriptor.ContractVersion != TrainerContract.Version)
            {
                problems.Add(new PluginProblem(dll, $"plugin '{descriptor.Name}' {descriptor.Version} was built for trainer contract {descriptor.ContractVersion}, this toolkit speaks {TrainerContract.Version}",
                    $"rebuild the plugin against Toolkit.Trainers.Abstractions {TrainerContract.Version} or use a matching toolkit"));
                continue;
            }
            if (!IsValidName(descriptor.Name))
            {
                problems.Add(new PluginProblem(dll, $"plugin name '{descriptor.Name}' is not lower case letters, digits and dashes", "rename it in its Descriptor"));
                continue;
            }
            plugins.Add(new LoadedPlugin(descriptor, dll, instance));
        }
    }

    private static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && name[0] != '-';

    private static Exception Inner(Exception e) => e switch
    {
        TargetInvocationException { InnerException: { } inner } => Inner(inner),
        ReflectionTypeLoadException { LoaderExceptions: [{ } first, ..] } => first,
        _ => e,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var loader in _loaders)
            loader.Dispose();
        _loaders.Clear();
    }
}
