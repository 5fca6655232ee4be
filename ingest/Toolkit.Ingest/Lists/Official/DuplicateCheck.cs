using Toolkit.Core;

namespace Toolkit.Ingest.Lists.Official;

/// <summary>
/// Refuses a video id annotated twice within one split (the same file, or train and test of one split): mmaction2 would
/// list it twice, or in both train and val — a silent leak. The error names both places.
/// </summary>
internal sealed class DuplicateCheck
{
    private readonly Dictionary<string, string> _first = new(StringComparer.Ordinal);

    /// <summary>Records <paramref name="video"/>; throws when its key was seen before.</summary>
    public AnnotatedVideo Add(AnnotatedVideo video)
    {
        if (_first.TryGetValue(video.Key, out string? first))
            throw new ToolkitError(video.Where, $"annotates '{video.Key}' a second time (first at {first})", "Remove one of the two rows; nothing was written");
        _first[video.Key] = video.Where;
        return video;
    }
}
