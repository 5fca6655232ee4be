using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Toolkit.Core.Json;

/// <summary>A 1-based line and column (in characters) of a text file, as editors and compilers count them.</summary>
public readonly record struct TextPosition(int Line, int Column)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Line}:{Column}";
}

/// <summary>
/// A JSON file as the user wrote it (comments and trailing commas allowed), so that a problem found in the parsed value
/// can be cited at the key it concerns: <c>configs/run.json:20:5: data.bacth …</c>.
/// </summary>
/// <param name="Path">The file, as the user named it.</param>
/// <param name="Text">Its text.</param>
public sealed partial record JsonSourceText(string Path, string Text)
{
    /// <summary>Where <paramref name="keyPath"/> (<c>data.batch</c>, <c>$.data.batch</c>, <c>steps[1]</c>) is written: its key, or its element for an array index; null when it is not in the text.</summary>
    public TextPosition? Locate(string keyPath)
    {
        ArgumentNullException.ThrowIfNull(keyPath);
        string wanted = JsonKeyPath.Normalize(keyPath);
        byte[] utf8 = Encoding.UTF8.GetBytes(Text);
        long? offset = null;
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        // One frame per open object or array: the key being read (objects) or the next element's index (arrays).
        var frames = new List<(bool IsArray, string Key, int Index)>();
        try
        {
            while (offset is null && reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        frames[^1] = (false, reader.GetString() ?? "", 0);
                        if (PathOf(frames) == wanted)
                            offset = reader.TokenStartIndex;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        AdvanceArray(frames);
                        break;
                    default:
                        if (frames.Count > 0 && frames[^1].IsArray && PathOf(frames) == wanted)
                        {
                            offset = reader.TokenStartIndex;
                            break;
                        }
                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                            frames.Add((reader.TokenType == JsonTokenType.StartArray, "", 0));
                        else
                            AdvanceArray(frames);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Invalid JSON further on: what was found before it stands.
        }
        return offset is { } o ? PositionOf(utf8, o) : null;
    }

    /// <summary>
    /// <paramref name="problem"/> cited at its key: <c>FILE:LINE:COLUMN: problem</c> when the problem starts with a key
    /// path that is written in the file (<c>data.crop is 4</c>), <c>FILE: problem</c> otherwise.
    /// </summary>
    public string Cite(string problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return Where(problem) is { } at ? $"{Path}:{at}: {problem}" : $"{Path}: {problem}";
    }

    /// <summary>The position of the key path <paramref name="problem"/> starts with, if it is written in the file.</summary>
    public TextPosition? Where(string problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var m = LeadingKeyPath().Match(problem);
        return m.Success ? Locate(m.Value) : null;
    }

    /// <summary>The 1-based position of a 0-based line and byte offset in that line (as <see cref="JsonException"/> reports them).</summary>
    public TextPosition PositionOfLineByte(long line, long bytePositionInLine)
    {
        string[] lines = Text.Split('\n');
        if (line < 0 || line >= lines.Length)
            return new TextPosition((int)Math.Max(line, 0) + 1, 1);
        byte[] bytes = Encoding.UTF8.GetBytes(lines[line]);
        int count = (int)Math.Clamp(bytePositionInLine, 0, bytes.Length);
        return new TextPosition((int)line + 1, Encoding.UTF8.GetCharCount(bytes, 0, count) + 1);
    }

    private static void AdvanceArray(List<(bool IsArray, string Key, int Index)> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray)
            frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
    }

    private static string PathOf(List<(bool IsArray, string Key, int Index)> frames)
    {
        var sb = new StringBuilder();
        foreach (var f in frames)
        {
            if (f.IsArray)
                sb.Append('[').Append(f.Index).Append(']');
            else
                sb.Append(sb.Length == 0 ? "" : ".").Append(f.Key);
        }
        return sb.ToString();
    }

    private static TextPosition PositionOf(byte[] utf8, long offset)
    {
        int line = 1;
        long lineStart = 0;
        for (long i = 0; i < offset; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return new TextPosition(line, Encoding.UTF8.GetCharCount(utf8, (int)lineStart, (int)(offset - lineStart)) + 1);
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*")]
    private static partial Regex LeadingKeyPath();
}
