namespace Toolkit.Ingest.Discovery;

/// <summary>One input video and where its frames go.</summary>
/// <param name="Path">Absolute path of the video file.</param>
/// <param name="Key">Stable identity: the path relative to the source folder (or as written in the list), with '/' separators. Used for sharding and reports.</param>
/// <param name="OutputName">Output folder relative to OUT, '/'-separated: <c>stem</c> at level 1, <c>class/stem</c> at level 2.</param>
/// <param name="ClassName">The class folder name at level 2, otherwise null.</param>
public sealed record VideoSource(string Path, string Key, string OutputName, string? ClassName);

/// <summary>An input that could not become a <see cref="VideoSource"/>, with the reason.</summary>
public sealed record DiscoveryProblem(string Path, string Reason);

/// <summary>What discovery found.</summary>
public sealed record DiscoveryResult(IReadOnlyList<VideoSource> Videos, IReadOnlyList<DiscoveryProblem> Problems);
