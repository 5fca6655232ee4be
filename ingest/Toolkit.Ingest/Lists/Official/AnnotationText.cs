using System.Text;
using Toolkit.Core;

namespace Toolkit.Ingest.Lists.Official;

/// <summary>
/// Reads annotation text files the way mmaction2's Python reads them (text mode: <c>\n</c>, <c>\r\n</c> and <c>\r</c>
/// all end a line), and better where Python fails: a UTF-8 byte-order mark is skipped (Python keeps it in the first field,
/// so <c>int("\ufeff1")</c> fails and a header reads <c>"\ufefflabel"</c>), and bytes that are not UTF-8 are one clear
/// error instead of a traceback.
/// </summary>
internal static class AnnotationText
{
    /// <summary>
    /// <paramref name="name"/> in <paramref name="folder"/> (or the first of <paramref name="alternatives"/> that exists
    /// there); throws a <see cref="ToolkitError"/> naming the file and what it should hold when none exists.
    /// </summary>
    public static string Require(string folder, string name, string holds, params string[] alternatives)
    {
        string path = Path.Combine(folder, name);
        if (File.Exists(path))
            return path;
        foreach (string other in alternatives)
        {
            string candidate = Path.Combine(folder, other);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new ToolkitError(path, "no such file", $"--annotations must be the folder holding the dataset's official {name} ({holds}); nothing was written");
    }

    /// <summary>
    /// <paramref name="name"/> in <paramref name="folder"/> when it exists (or the first existing alternative), else null.
    /// </summary>
    public static string? Find(string folder, string name, params string[] alternatives) =>
        new[] { name }.Concat(alternatives).Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);

    /// <summary>Every line of <paramref name="path"/> with its 1-based number, blank ones included, line ends removed.</summary>
    public static List<(int Number, string Text)> Lines(string path)
    {
        string text = ReadAll(path);
        var lines = new List<(int, string)>();
        int number = 0, start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != '\n' && text[i] != '\r')
                continue;
            if (i == text.Length && start == text.Length)
                break; // the text ended with a line end (or is empty): no line after it
            lines.Add((++number, text[start..i]));
            if (i + 1 < text.Length && text[i] == '\r' && text[i + 1] == '\n')
                i++;
            start = i + 1;
        }
        return lines;
    }

    /// <summary>The whole file as text: UTF-8, a byte-order mark skipped; invalid bytes are a <see cref="ToolkitError"/>.</summary>
    public static string ReadAll(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ToolkitError(path, $"cannot be read: {e.Message}", "Check the path and its permissions", e);
        }
        int skip = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, skip, bytes.Length - skip);
        }
        catch (DecoderFallbackException e)
        {
            int line = 1 + bytes.AsSpan(0, Math.Min(bytes.Length, skip + Math.Max(0, e.Index))).Count((byte)'\n');
            throw new ToolkitError($"{path} line {line}", "is not UTF-8 text", "Save the file as UTF-8 (the official files are)", e);
        }
    }

    /// <summary>Fields split on runs of whitespace, as Python's <c>str.split()</c> with no argument.</summary>
    public static string[] Words(string line) => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// One CSV record as Python's <c>csv.reader</c> (the default "excel" dialect) splits it: a field that starts with
    /// <c>"</c> is quoted (<c>""</c> inside is one quote, the closing quote ends it); a quote anywhere else is an ordinary
    /// character; nothing is trimmed.
    /// </summary>
    public static List<string> CsvFields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool atStart = true, quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c != '"')
                    field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                    quoted = false;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                atStart = true;
                continue;
            }
            else if (c == '"' && atStart)
                quoted = true;
            else
                field.Append(c);
            atStart = false;
        }
        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>
    /// Sorts as Python's <c>sorted()</c> sorts strings: by Unicode code point (ordinal UTF-16 order differs for
    /// characters beyond U+FFFF against U+E000..U+FFFF).
    /// </summary>
    public static int CompareCodePoints(string? a, string? b)
    {
        if (a is null || b is null)
            return a is null ? (b is null ? 0 : -1) : 1;
        var x = a.EnumerateRunes();
        var y = b.EnumerateRunes();
        while (true)
        {
            bool hasX = x.MoveNext(), hasY = y.MoveNext();
            if (!hasX || !hasY)
                return hasX ? 1 : hasY ? -1 : 0;
            int d = x.Current.Value.CompareTo(y.Current.Value);
            if (d != 0)
                return d;
        }
    }

    /// <summary><see cref="CompareCodePoints"/> as a comparer.</summary>
    public static IComparer<string> CodePointOrder { get; } = Comparer<string>.Create(CompareCodePoints);
}
