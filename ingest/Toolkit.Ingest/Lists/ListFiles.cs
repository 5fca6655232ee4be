using System.Text;
using Toolkit.Core;

namespace Toolkit.Ingest.Lists;

/// <summary>
/// A set of list files written all or nothing: every file is written to a temporary file beside it first, and only when
/// all are written do they replace the old ones, so a full or read-only disk leaves the previous set whole instead of a
/// mix of old and new lists, and a reader never sees a half-written list.
/// </summary>
internal sealed class ListFiles(string folder)
{
    private readonly List<(string Path, string Text)> _pending = [];

    /// <summary>The folder the files go to.</summary>
    public string Folder { get; } = folder;

    /// <summary>Queues <paramref name="name"/> with one <c>\n</c>-terminated line per item of <paramref name="lines"/>.</summary>
    public void Add(string name, IEnumerable<string> lines) =>
        _pending.Add((Path.Combine(Folder, name), string.Concat(lines.Select(l => l + "\n"))));

    /// <summary>Writes every queued file (UTF-8 without a BOM) and returns their paths, in the order queued.</summary>
    public IReadOnlyList<string> Commit()
    {
        var temps = new List<string>();
        try
        {
            Directory.CreateDirectory(Folder);
            foreach (var (path, text) in _pending)
            {
                string temp = path + ".tmp";
                temps.Add(temp);
                File.WriteAllText(temp, text, new UTF8Encoding(false));
            }
        }
        catch (Exception e) when (WriteFailure.Is(e))
        {
            foreach (string temp in temps)
            {
                try
                {
                    File.Delete(temp);
                }
                catch (Exception cleanup) when (WriteFailure.Is(cleanup))
                {
                    // Nothing more can be done on this file system; the error below says why.
                }
            }
            throw WriteFailure.Of(e, Folder, "no list was changed");
        }
        foreach (var (path, _) in _pending)
            File.Move(path + ".tmp", path, overwrite: true);
        return [.. _pending.Select(p => p.Path)];
    }
}
