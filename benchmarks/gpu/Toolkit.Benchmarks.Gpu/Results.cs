using System.Text.Json;
using System.Text.Json.Nodes;

namespace Toolkit.Benchmarks.Gpu;

/// <summary>One JSON object per line, appended to <c>--out</c> (and echoed to stdout), flushed after each line.</summary>
internal sealed class Results
{
    private readonly string? _path;

    public Results(string? path) => _path = path;

    public void Write(JsonObject row)
    {
        string line = row.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
        Console.WriteLine(line);
        if (_path is not null)
            File.AppendAllText(_path, line + "\n");
    }
}
