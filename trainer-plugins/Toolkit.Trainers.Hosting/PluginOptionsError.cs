using Toolkit.Core;

namespace Toolkit.Trainers.Hosting;

/// <summary>A config's trainer section as the plugin rejected it, each problem cited at its key in the config file.</summary>
internal static class PluginOptionsError
{
    /// <summary>
    /// One error for <paramref name="problems"/>: <c>FILE:LINE:COLUMN: trainer.x …</c> for a single problem whose key is
    /// written in the file, <c>FILE: … (LINE:COLUMN) trainer.x …; (LINE:COLUMN) trainer.y …</c> for several.
    /// </summary>
    public static ToolkitError Of(string pluginName, TrainingConfig config, string configName, IReadOnlyList<string> problems)
    {
        var listed = problems.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        const string hint = "fix the config's trainer section (toolkit plugins --json prints the plugin's options schema)";
        string rejected = $"rejected by plugin '{pluginName}'";
        if (config.Source is not { } source)
            return new ToolkitError(configName, $"the trainer section is {rejected}: {string.Join("; ", listed)}", hint);
        if (listed.Count == 1 && source.Where(listed[0]) is { } at)
            return new ToolkitError($"{source.Path}:{at}", $"{listed[0]} ({rejected})", hint);
        var cited = listed.Select(p => source.Where(p) is { } pos ? $"({pos}) {p}" : p);
        return new ToolkitError(source.Path, $"the trainer section is {rejected}: {string.Join("; ", cited)}", hint);
    }
}
