using System.Globalization;

namespace Toolkit.Benchmarks.Gpu;

/// <summary>The <c>--key value</c> options after the mode; every value read is checked, an unknown key is an error.</summary>
internal sealed class Args
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public Args(IEnumerable<string> args)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            string key = e.Current;
            if (!key.StartsWith("--", StringComparison.Ordinal) || !e.MoveNext())
                throw new Toolkit.Core.ToolkitError(key, "expected --key value pairs", "see benchmarks/gpu/run.sh");
            _values[key[2..]] = e.Current;
        }
    }

    public string Text(string key, string fallback)
    {
        _read.Add(key);
        return _values.GetValueOrDefault(key, fallback);
    }

    public string? Optional(string key)
    {
        _read.Add(key);
        return _values.GetValueOrDefault(key);
    }

    public int Int(string key, int fallback) => Parse(key, fallback, s => int.Parse(s, CultureInfo.InvariantCulture));

    public double Real(string key, double fallback) => Parse(key, fallback, s => double.Parse(s, CultureInfo.InvariantCulture));

    public string[] List(string key, string fallback) => Text(key, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public int[] Ints(string key, string fallback) => [.. List(key, fallback).Select(s => Parse(key, 0, _ => int.Parse(s, CultureInfo.InvariantCulture)))];

    /// <summary>Throws when an option was given that the mode never read (a typo).</summary>
    public void CheckAllRead()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new Toolkit.Core.ToolkitError($"--{unknown[0]}", "is not an option of this mode", $"known: {string.Join(", ", _read.Order().Select(k => "--" + k))}");
    }

    private T Parse<T>(string key, T fallback, Func<string, T> parse)
    {
        _read.Add(key);
        if (!_values.TryGetValue(key, out var s))
            return fallback;
        try
        {
            return parse(s);
        }
        catch (FormatException)
        {
            throw new Toolkit.Core.ToolkitError($"--{key} {s}", "is not a number");
        }
    }
}
