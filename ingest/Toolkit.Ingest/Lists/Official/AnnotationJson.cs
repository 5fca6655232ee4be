using System.Text;
using System.Text.Json;
using Toolkit.Core;

namespace Toolkit.Ingest.Lists.Official;

/// <summary>
/// Reads annotation JSON files (a byte-order mark skipped, where Python's <c>json.loads</c> refuses it), with the line
/// each item of a top-level array starts on, so a bad item is named by file and line.
/// </summary>
internal static class AnnotationJson
{
    /// <summary>Parses <paramref name="path"/>; a syntax error is a <see cref="ToolkitError"/> with its line.</summary>
    public static JsonDocument Parse(string path) => Parse(path, Encoding.UTF8.GetBytes(AnnotationText.ReadAll(path)));

    /// <summary>The items of the top-level array in <paramref name="path"/>, each with its 1-based line.</summary>
    public static List<(JsonElement Item, string Where)> ArrayItems(string path)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(AnnotationText.ReadAll(path));
        var document = Parse(path, bytes);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new ToolkitError(path, $"holds a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an array of items", "Pass the official file (a JSON array)");
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        reader.Read(); // [
        var items = new List<(JsonElement, string)>();
        int line = 1;
        long counted = 0;
        using var elements = document.RootElement.EnumerateArray();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            long start = reader.TokenStartIndex;
            line += bytes.AsSpan((int)counted, (int)(start - counted)).Count((byte)'\n');
            counted = start;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                reader.Skip();
            elements.MoveNext();
            items.Add((elements.Current, $"{path} line {line} (item {items.Count + 1})"));
        }
        return items;
    }

    /// <summary>A string property of an object item, or a <see cref="ToolkitError"/> naming the item.</summary>
    public static string Text(JsonElement item, string property, string where)
    {
        if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty(property, out var value))
        {
            if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
                return text;
            if (value.ValueKind == JsonValueKind.Number)
                return value.GetRawText();
        }
        throw new ToolkitError(where, $"has no \"{property}\"", "Each item needs it, as in the official files; fix or remove the item");
    }

    private static JsonDocument Parse(string path, byte[] bytes)
    {
        try
        {
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ToolkitError($"{path} line {(e.LineNumber ?? 0) + 1}", "is not valid JSON", "Download the file again (it may be cut short)", e);
        }
    }
}
