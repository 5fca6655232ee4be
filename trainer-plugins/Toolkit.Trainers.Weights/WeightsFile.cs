using System.Collections;
using System.IO.Compression;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Weights;

/// <summary>
/// The tensors of one weights file, by name, as the file stores them once unwrapped: the container the zoo put them in
/// (<c>{"state_dict": …}</c>, <c>{"model_state": …}</c>, <c>{"model": …}</c> or a bare state dict) removed and a
/// <c>module.</c> prefix (DataParallel) stripped. Owns the tensors.
/// </summary>
public sealed class WeightsFile : IDisposable
{
    /// <summary>Containers the zoos wrap state dicts in, in the order they are looked for.</summary>
    private static readonly string[] Containers = ["state_dict", "model_state", "model", "module", "net"];

    private readonly Dictionary<string, Tensor> _tensors;

    private WeightsFile(string path, string format, string container, Dictionary<string, Tensor> tensors, IReadOnlyList<string> ignored)
    {
        Path = path;
        Format = format;
        Container = container;
        _tensors = tensors;
        IgnoredEntries = ignored;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary><c>pytorch</c> (a <c>torch.save</c> zip) or <c>safetensors</c>.</summary>
    public string Format { get; }

    /// <summary>Where the state dict was found: <c>state_dict</c>, <c>model_state</c>, <c>model</c>, … or <c>bare</c>.</summary>
    public string Container { get; }

    /// <summary>Entries beside the state dict that were not read (<c>meta</c>, <c>optimizer</c>, …).</summary>
    public IReadOnlyList<string> IgnoredEntries { get; }

    /// <summary>The tensors by name (ordinal order).</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors => _tensors;

    /// <summary>
    /// Reads <paramref name="path"/>: a PyTorch file (<c>torch.save</c>, zip format, PyTorch ≥ 1.6) or a safetensors
    /// file. The pickle inside a PyTorch file is checked before it is read: one that names any Python callable beyond
    /// tensor rebuilding and ordered dicts is refused (nothing in it is ever run).
    /// </summary>
    /// <exception cref="WeightsException">Missing, unreadable, truncated, not a weights file, unsafe pickle, or no state dict inside; the message names the file, the reason and the fix.</exception>
    public static WeightsFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
            throw new WeightsException(path, "is a folder, not a weights file (for toolkit's own weights pass the folder to --from toolkit, or its model.safetensors)");
        if (!File.Exists(path))
            throw new WeightsException(path, "does not exist");
        byte[] head = new byte[8];
        long length;
        try
        {
            using var stream = File.OpenRead(path);
            length = stream.Length;
            stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new WeightsException(path, $"cannot be read ({e.Message})");
        }
        if (length == 0)
            throw new WeightsException(path, "is empty");
        if (head[0] == 'P' && head[1] == 'K')
            return ReadPyTorch(path);
        if (length >= 8 && BitConverter.ToUInt64(head) is var headerBytes && headerBytes > 1 && headerBytes < (ulong)length)
            return ReadSafetensors(path);
        if (head[0] == 0x80 || head[0] == 0x8a)
            throw new WeightsException(path, "was saved in PyTorch's legacy (pre-1.6) format, which is not read; re-save it in Python with torch.save(torch.load(F, map_location='cpu'), F2)");
        throw new WeightsException(path, "is neither a PyTorch file (torch.save zip) nor a safetensors file");
    }

    private static WeightsFile ReadPyTorch(string path)
    {
        byte[] pickle;
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var entry = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) || e.FullName == "data.pkl")
                ?? throw new WeightsException(path, "is a zip archive without data.pkl: not a torch.save file");
            using var s = entry.Open();
            using var buffer = new MemoryStream();
            s.CopyTo(buffer);
            pickle = buffer.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new WeightsException(path, $"is truncated or corrupt ({e.Message}); download or copy it again");
        }

        IReadOnlyList<string> disallowed;
        try
        {
            disallowed = PickleGuard.Disallowed(pickle);
        }
        catch (InvalidDataException e)
        {
            throw new WeightsException(path, $"data.pkl is {e.Message}");
        }
        if (disallowed.Count > 0)
            throw new WeightsException(path,
                $"its pickle names Python objects other than tensors and dicts ({string.Join(", ", disallowed.Take(8))}{(disallowed.Count > 8 ? ", …" : "")}); " +
                "toolkit reads weights only and never runs code from a checkpoint. Save just the state dict in Python: " +
                "torch.save(checkpoint['state_dict'], 'weights.pth') (or the model's state_dict())");

        Hashtable root;
        try
        {
            using var stream = File.OpenRead(path);
            root = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: false);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not WeightsException)
        {
            var reason = e.Message.Contains("entire model", StringComparison.OrdinalIgnoreCase)
                ? "holds nn.Parameter objects (a whole pickled model?), not a state dict; save model.state_dict() instead"
                : $"cannot be unpickled ({e.GetType().Name}: {e.Message}); it may be truncated or corrupt";
            throw new WeightsException(path, reason);
        }
        return Unwrap(path, "pytorch", root);
    }

    private static WeightsFile ReadSafetensors(string path)
    {
        Dictionary<string, Tensor> tensors;
        try
        {
            tensors = Safetensors.LoadStateDict(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new WeightsException(path, $"is not a readable safetensors file ({e.Message}); it may be truncated or corrupt");
        }
        return new WeightsFile(path, "safetensors", "bare", StripModulePrefix(tensors), []);
    }

    private static WeightsFile Unwrap(string path, string format, Hashtable root)
    {
        string container = "bare";
        IDictionary dict = root;
        var ignored = new List<string>();
        if (!AllTensors(root))
        {
            var name = Containers.FirstOrDefault(c => root[c] is IDictionary d && d.Count > 0 && AllTensors(d));
            if (name is null)
            {
                var keys = root.Keys.Cast<object>().Select(k => k.ToString() ?? "").Order(StringComparer.Ordinal).ToList();
                Dispose(root);
                throw new WeightsException(path, $"holds no state dict: its top-level entries are {string.Join(", ", keys.Take(12))}{(keys.Count > 12 ? ", …" : "")}, and none of {string.Join(", ", Containers)} is a dict of tensors");
            }
            container = name;
            dict = (IDictionary)root[name]!;
            foreach (DictionaryEntry e in root)
            {
                if (!Equals(e.Key, name))
                {
                    ignored.Add(e.Key.ToString() ?? "");
                    Dispose(e.Value);
                }
            }
        }
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in dict)
            tensors[(string)e.Key] = (Tensor)e.Value!;
        ignored.Sort(StringComparer.Ordinal);
        return new WeightsFile(path, format, container, StripModulePrefix(tensors), ignored);
    }

    private static bool AllTensors(IDictionary d)
    {
        foreach (DictionaryEntry e in d)
        {
            if (e.Key is not string || e.Value is not Tensor)
                return false;
        }
        return d.Count > 0;
    }

    private static Dictionary<string, Tensor> StripModulePrefix(Dictionary<string, Tensor> tensors)
    {
        const string prefix = "module.";
        if (!tensors.Keys.All(k => k.StartsWith(prefix, StringComparison.Ordinal)))
            return tensors;
        return tensors.ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value, StringComparer.Ordinal);
    }

    private static void Dispose(object? value)
    {
        switch (value)
        {
            case Tensor t:
                t.Dispose();
                break;
            case IDictionary d:
                foreach (DictionaryEntry e in d)
                    Dispose(e.Value);
                break;
            case IEnumerable list and not string:
                foreach (var item in list)
                    Dispose(item);
                break;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _tensors.Values)
            t.Dispose();
        _tensors.Clear();
    }
}

/// <summary>A weights file that cannot be read, imported or exported as asked: the message names the file, the reason and what to do.</summary>
public sealed class WeightsException : Exception
{
    /// <summary>Creates the error for <paramref name="path"/>.</summary>
    public WeightsException(string path, string reason) : base($"{path}: {reason}")
    {
        FilePath = path;
        Reason = reason;
    }

    /// <summary>The file concerned.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong and what to do.</summary>
    public string Reason { get; }
}
