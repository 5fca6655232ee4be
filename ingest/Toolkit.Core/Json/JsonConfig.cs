using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Toolkit.Core.Json;

/// <summary>
/// Reads JSON files people write by hand (training configs, recipes) and explains what is wrong in their words:
/// <c>FILE:LINE:COLUMN</c> (1-based), the key path (<c>data.workers</c>), the expected type in JSON terms ("an
/// integer", not <c>System.Int32</c>) with the value found, and for an unknown key the closest known one.
/// </summary>
public static class JsonConfig
{
    /// <summary>Reads <paramref name="path"/> as a <typeparamref name="T"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">The serializer options (unknown keys should be disallowed for did-you-mean to work).</param>
    /// <param name="hint">What to do, appended to every error (e.g. where an example file is).</param>
    /// <returns>The value and its source text (for citing later problems at their keys).</returns>
    /// <exception cref="ToolkitError">Unreadable file, invalid JSON, unknown key, wrong type, or null.</exception>
    public static (T Value, JsonSourceText Source) Read<T>(string path, JsonSerializerOptions options, string? hint)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ToolkitError(path, $"cannot be read ({e.Message})", "check that it exists and is readable");
        }
        var source = new JsonSourceText(path, text);
        JsonElement document;
        try
        {
            using var parsed = JsonDocument.Parse(text, new JsonDocumentOptions
            {
                CommentHandling = options.ReadCommentHandling,
                AllowTrailingCommas = options.AllowTrailingCommas,
                AllowDuplicateProperties = options.AllowDuplicateProperties,
            });
            document = parsed.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw InvalidJson(source, e, options.ReadCommentHandling == JsonCommentHandling.Skip);
        }
        T? value;
        try
        {
            value = document.Deserialize<T>(options);
        }
        catch (JsonException e)
        {
            var (key, message) = Explain(e, typeof(T), options, document);
            var at = key.Length == 0 ? null : source.Locate(key);
            throw new ToolkitError(at is null ? path : $"{path}:{at}", message, hint);
        }
        if (value is null)
            throw new ToolkitError(path, "holds null, not a JSON object", hint);
        return (value, source);
    }

    /// <summary>The error for text that does not parse as JSON: <c>FILE:LINE:COLUMN: is not valid JSON: …</c>, 1-based.</summary>
    /// <param name="source">The text and its file.</param>
    /// <param name="error">What the reader threw.</param>
    /// <param name="commentsAllowed">Whether the hint says that // comments and trailing commas are fine.</param>
    public static ToolkitError InvalidJson(JsonSourceText source, JsonException error, bool commentsAllowed)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(error);
        var at = source.PositionOfLineByte(error.LineNumber ?? 0, error.BytePositionInLine ?? 0);
        // System.Text.Json's words for a key written twice (AllowDuplicateProperties = false); the position is the object's.
        var duplicate = System.Text.RegularExpressions.Regex.Match(error.Message, "^Duplicate property '([^']*)'");
        if (duplicate.Success)
            return new ToolkitError($"{source.Path}:{at}", $"the object here has the key \"{duplicate.Groups[1].Value}\" twice", "keep one of them (a repeated key is refused, not read as the last one)");
        return new ToolkitError($"{source.Path}:{at}", $"is not valid JSON: {Trim(error.Message)}",
            commentsAllowed ? "fix the syntax (// comments and trailing commas are allowed)" : "fix the syntax");
    }

    /// <summary>
    /// What <paramref name="error"/> (thrown deserializing <paramref name="document"/> as <paramref name="root"/>)
    /// means: the dotted key path (prefixed with <paramref name="prefix"/>, e.g. <c>trainer</c>) and one line saying
    /// what is wrong there.
    /// </summary>
    public static (string KeyPath, string Message) Explain(JsonException error, Type root, JsonSerializerOptions options, JsonElement document, string? prefix = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(options);
        string path = error.Path ?? "$";
        string keyPath = JsonKeyPath.Normalize(path, prefix);
        var segments = JsonKeyPath.Parse(path);
        JsonTypeInfo info;
        try
        {
            info = options.GetTypeInfo(root);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException)
        {
            return (keyPath, $"{Name(keyPath)}: {Trim(error.Message)}");
        }
        for (int i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            string parent = JsonKeyPath.Normalize(PathOf(segments, i), prefix);
            switch (info.Kind)
            {
                case JsonTypeInfoKind.Object when segment.Key is { } key:
                    var property = info.Properties.FirstOrDefault(p => string.Equals(p.Name, key,
                        options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));
                    if (property is null)
                        return (keyPath, UnknownKey(keyPath, parent, key, info.Properties.Select(p => p.Name).ToList()));
                    info = options.GetTypeInfo(property.PropertyType);
                    break;
                case JsonTypeInfoKind.Enumerable when segment.IsIndex && info.ElementType is { } element:
                    info = options.GetTypeInfo(element);
                    break;
                case JsonTypeInfoKind.Dictionary when !segment.IsIndex && info.ElementType is { } value:
                    info = options.GetTypeInfo(value);
                    break;
                default:
                    return (keyPath, $"{Name(keyPath)}: {Trim(error.Message)}");
            }
        }
        string expected = Expected(info.Type, options);
        string found = Find(document, segments) is { } element2 ? Describe(element2) : "something else";
        return (keyPath, $"{Name(keyPath)} must be {expected}, not {found}");
    }

    /// <summary><paramref name="type"/> in JSON words: "an integer", "a number", "true or false", "one of "a", "b"", "an array of integers"…</summary>
    public static string Expected(Type type, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(options);
        if (Nullable.GetUnderlyingType(type) is { } inner)
            return $"{Expected(inner, options)} or null";
        if (type.IsEnum)
            return "one of " + string.Join(", ", Enum.GetValues(type).Cast<object>().Select(v => JsonSerializer.Serialize(v, type, options)));
        if (type == typeof(string))
            return "a string";
        if (type == typeof(bool))
            return "true or false";
        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
            || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte))
            return "an integer";
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
            return "a number";
        if (type == typeof(JsonElement))
            return "a JSON value";
        var info = options.GetTypeInfo(type);
        return info.Kind switch
        {
            JsonTypeInfoKind.Enumerable when info.ElementType is { } e => $"an array of {Plural(Expected(e, options))}",
            JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "an object",
            _ => $"a {type.Name}",
        };
    }

    private static string UnknownKey(string keyPath, string parent, string key, IReadOnlyList<string> known)
    {
        return Spelling.Closest(key, known) is { } guess
            ? $"{keyPath} is not a known key; did you mean \"{guess}\"?"
            : $"{keyPath} is not a known key; the known keys{(parent.Length == 0 ? "" : $" of {parent}")} are {string.Join(", ", known)}";
    }

    private static string Name(string keyPath) => keyPath.Length == 0 ? "the file" : keyPath;

    private static string PathOf(IReadOnlyList<JsonKeyPath.Segment> segments, int count) =>
        string.Concat(segments.Take(count).Select(s => s.IsIndex ? $"[{s.Index}]" : $".{s.Key}"));

    private static JsonElement? Find(JsonElement document, IReadOnlyList<JsonKeyPath.Segment> segments)
    {
        var current = document;
        foreach (var s in segments)
        {
            if (s.IsIndex && current.ValueKind == JsonValueKind.Array && s.Index < current.GetArrayLength())
                current = current[s.Index];
            else if (!s.IsIndex && current.ValueKind == JsonValueKind.Object && current.TryGetProperty(s.Key!, out var child))
                current = child;
            else
                return null;
        }
        return current;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { Length: > 40 } s ? $"the string \"{s[..37]}...\"" : $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => value.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    private static string Plural(string words) => words switch
    {
        "an integer" => "integers",
        "a number" => "numbers",
        "a string" => "strings",
        "an object" => "objects",
        "true or false" => "true/false values",
        _ => words,
    };

    /// <summary>A serializer message without its " Path: … | LineNumber: …" tail (positions are cited separately, 1-based).</summary>
    private static string Trim(string message)
    {
        foreach (var tail in new[] { " Path:", " LineNumber:" })
        {
            int i = message.IndexOf(tail, StringComparison.Ordinal);
            if (i > 0)
                message = message[..i];
        }
        return message.TrimEnd('.', ' ');
    }
}
