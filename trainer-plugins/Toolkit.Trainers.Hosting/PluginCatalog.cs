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
    private readonly Dictionary<string, string> _ambiguous = new(StringComparer.OrdinalIgnoreCase);
    private TimeSpan _constructorTimeout = DefaultConstructorTimeout;

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

    /// <summary>How long a plugin's constructor and <see cref="ITrainerPlugin.Descriptor"/> may take before it is given up.</summary>
    public static TimeSpan DefaultConstructorTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Loads every plugin under <paramref name="folder"/>.</summary>
    /// <param name="folder">The plugins folder.</param>
    /// <param name="constructorTimeout">Limit for creating one plugin (default <see cref="DefaultConstructorTimeout"/>): a
    /// constructor that blocks becomes a problem, not a hang of every command that lists plugins.</param>
    public static PluginCatalog Load(string folder, TimeSpan? constructorTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var catalog = new PluginCatalog(Path.GetFullPath(folder)) { _constructorTimeout = constructorTimeout ?? DefaultConstructorTimeout };
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
        // Two plugins with one name: neither is used, so a copied or stray plugin can never silently stand in for another.
        foreach (var dup in plugins.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            string paths = string.Join(", ", dup.Select(p => p.AssemblyPath));
            catalog._ambiguous[dup.Key] = paths;
            problems.Add(new PluginProblem(paths, $"{dup.Count()} plugins are named '{dup.Key}', so neither is used", "remove all but one from the plugins folder"));
        }
        catalog.Plugins = plugins.Where(p => !catalog._ambiguous.ContainsKey(p.Name)).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
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
        if (_ambiguous.TryGetValue(name, out var paths))
            throw new PluginNotFoundException($"more than one trainer plugin is named '{name}' in {Folder} ({paths}); remove all but one so the run cannot pick the wrong one");
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
            problems.Add(MissingDependency(dll, "its types need", Inner(e))
                ?? new PluginProblem(dll, $"its types cannot be loaded: {Inner(e).Message}", "a dependency is missing from the plugin folder or has the wrong version; publish the plugin with its dependencies"));
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
                (instance, descriptor) = Create(type, _constructorTimeout)
                    ?? throw new TimeoutException();
            }
            catch (TimeoutException)
            {
                problems.Add(new PluginProblem(dll, $"{type.FullName} did not finish loading within {_constructorTimeout.TotalSeconds:0.#} s (its constructor or Descriptor blocks)",
                    "make the constructor return at once and do slow work in TrainAsync"));
                continue;
            }
            catch (Exception e)
            {
                problems.Add(MissingDependency(dll, $"{type.FullName} needs", Inner(e))
                    ?? new PluginProblem(dll, $"{type.FullName} threw while loading: {Inner(e).GetType().Name}: {Inner(e).Message}", "fix the plugin's constructor or Descriptor"));
                continue;
            }
            if (descriptor.Version is null || descriptor.Description is null || !IsJsonObject(descriptor.OptionsSchema))
            {
                problems.Add(new PluginProblem(dll, $"plugin '{descriptor.Name}' has an incomplete Descriptor (a null Version or Description, or an OptionsSchema that is not a JSON object)",
                    "fill in every field of its TrainerDescriptor"));
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

    /// <summary>
    /// Creates the plugin and reads its descriptor on a thread of its own; null when that takes longer than
    /// <paramref name="timeout"/> (the thread is left behind, as a background thread, and the other plugins load on).
    /// </summary>
    private static (ITrainerPlugin, TrainerDescriptor)? Create(Type type, TimeSpan timeout)
    {
        var created = new TaskCompletionSource<(ITrainerPlugin, TrainerDescriptor)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                var instance = (ITrainerPlugin)Activator.CreateInstance(type)!;
                created.SetResult((instance, instance.Descriptor ?? throw new InvalidOperationException("Descriptor is null")));
            }
            catch (Exception e)
            {
                created.SetException(e);
            }
        })
        { IsBackground = true, Name = $"plugin {type.Name}" };
        thread.Start();
        if (!((IAsyncResult)created.Task).AsyncWaitHandle.WaitOne(timeout))
            return null;
        return created.Task.GetAwaiter().GetResult(); // the plugin's own exception, not an AggregateException
    }

    /// <summary>
    /// A problem naming the missing or mismatched file when <paramref name="e"/> is an assembly that failed to load;
    /// <paramref name="what"/> is the subject and verb, e.g. "X.Plugin needs".
    /// </summary>
    private static PluginProblem? MissingDependency(string dll, string what, Exception e)
    {
        if (e is not (FileNotFoundException or FileLoadException))
            return null;
        string? file = e is FileNotFoundException nf ? nf.FileName : ((FileLoadException)e).FileName;
        if (string.IsNullOrEmpty(file))
            return null;
        string name = file.Contains(',', StringComparison.Ordinal) ? new AssemblyName(file).Name ?? file : Path.GetFileNameWithoutExtension(file);
        string folder = Path.GetDirectoryName(dll)!;
        return e is FileNotFoundException
            ? new PluginProblem(dll, $"{what} {name}.dll ({file}), which is neither in {folder} nor part of the toolkit",
                "copy the plugin's whole publish folder (dotnet publish puts every dependency beside the plugin), not the plugin's dll alone")
            : new PluginProblem(dll, $"{what} {name}.dll ({file}), but the copy found cannot be loaded: {e.Message}",
                "publish the plugin again so the dependency in its folder has the version it was built against");
    }

    private static bool IsJsonObject(string? json)
    {
        if (json is null)
            return false;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && name[0] != '-';

    private static Exception Inner(Exception e) => e switch
    {
        TargetInvocationException { InnerException: { } inner } => Inner(inner),
        AggregateException { InnerExceptions: [{ } only] } => Inner(only),
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
