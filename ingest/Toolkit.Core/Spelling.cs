namespace Toolkit.Core;

/// <summary>
/// "Did you mean" for a mistyped name: the known name closest to what was typed.
/// Written by hand: an optimal-string-alignment distance (Levenshtein plus swapped neighbours) over a few dozen short
/// names is a dozen lines, and no served library offers it outside a command-line parser.
/// </summary>
public static class Spelling
{
    /// <summary>
    /// The candidate closest to <paramref name="typed"/> (ignoring case, <c>-</c> and <c>_</c>), or null when none is
    /// close enough to be a plausible typo: at most 1 edit for names up to 3 characters, 2 up to 8, 3 beyond.
    /// </summary>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(candidates);
        string a = Fold(typed);
        int allowed = a.Length <= 3 ? 1 : a.Length <= 8 ? 2 : 3;
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            int d = Distance(a, Fold(candidate));
            if (d <= allowed && d < bestDistance)
                (best, bestDistance) = (candidate, d);
        }
        return best;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }

    private static string Fold(string s) => s.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
}
