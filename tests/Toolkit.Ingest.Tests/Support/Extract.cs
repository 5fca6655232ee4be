using Toolkit.Ingest.Pipeline;

namespace Toolkit.Ingest.Tests.Support;

/// <summary>Runs the extraction pipeline in the test process (no CLI) with two workers.</summary>
public static class Extract
{
    public static Task<ExtractSummary> RunAsync(string source, string output, ExtractSettings settings, IReadOnlyCollection<string>? extensions = null) =>
        ExtractPipeline.RunAsync(new ExtractOptions
        {
            Source = source,
            Output = output,
            Settings = settings,
            Workers = 2,
            Extensions = extensions ?? Toolkit.Ingest.Discovery.SourceDiscovery.DefaultExtensions.ToArray(),
        });

    /// <summary>File names in a folder matching <paramref name="pattern"/>, sorted ordinally.</summary>
    public static List<string> Names(string folder, string pattern) =>
        Directory.GetFiles(folder, pattern).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;

    /// <summary><paramref name="prefix"/>NNNNN.jpg for <paramref name="count"/> indices from <paramref name="first"/>.</summary>
    public static List<string> Sequence(string prefix, int first, int count) =>
        Enumerable.Range(first, count).Select(i => $"{prefix}{i:D5}.jpg").ToList();
}
