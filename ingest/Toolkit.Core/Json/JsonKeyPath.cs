using System.Text;
using System.Text.RegularExpressions;

namespace Toolkit.Core.Json;

/// <summary>Key paths as users read them (<c>data.multigrid.steps[1]</c>), from System.Text.Json's (<c>$.data['multigrid'].steps[1]</c>).</summary>
public static partial class JsonKeyPath
{
    /// <summary>One step of a path: an object key, or an array index.</summary>
    public readonly record struct Segment(string? Key, int Index)
    {
        /// <summary>True for an array index.</summary>
        public bool IsIndex => Key is null;
    }

    /// <summary>The steps of <paramref name="path"/>; <c>$</c> and the empty path have none.</summary>
    public static IReadOnlyList<Segment> Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = new List<Segment>();
        foreach (Match m in Step().Matches(path.StartsWith('$') ? path[1..] : path))
        {
            if (m.Groups["index"].Success)
                segments.Add(new Segment(null, int.Parse(m.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture)));
            else
                segments.Add(new Segment(m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["key"].Value, 0));
        }
        return segments;
    }

    /// <summary><paramref name="path"/> in the dotted form, <paramref name="prefix"/> first (<c>trainer</c> + <c>$.lr</c> = <c>trainer.lr</c>).</summary>
    public static string Normalize(string path, string? prefix = null)
    {
        var sb = new StringBuilder(prefix ?? "");
        foreach (var s in Parse(path))
        {
            if (s.IsIndex)
                sb.Append('[').Append(s.Index).Append(']');
            else
                sb.Append(sb.Length == 0 ? "" : ".").Append(s.Key);
        }
        return sb.ToString();
    }

    [GeneratedRegex(@"\.(?<key>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]|^(?<key>[^.\[]+)")]
    private static partial Regex Step();
}
