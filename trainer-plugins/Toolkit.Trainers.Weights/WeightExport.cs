using System.Collections;
using Toolkit.Core;
using Toolkit.Trainers.Models;
using Toolkit.Trainers.Training;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Toolkit.Trainers.Weights;

/// <summary>File format of an export.</summary>
public enum ExportFormat
{
    /// <summary><c>torch.save</c> zip, read with <c>torch.load</c>.</summary>
    PyTorch,

    /// <summary>safetensors, read with <c>safetensors.torch.load_file</c>.</summary>
    Safetensors,
}

/// <summary>What an export wrote.</summary>
/// <param name="Path">The file written.</param>
/// <param name="Model">The model the weights fit.</param>
/// <param name="Layout">Key layout (<c>mmaction2</c>, <c>timm</c>, <c>slowfast</c>, <c>ours</c>).</param>
/// <param name="Container">Where the state dict sits in the file (<c>state_dict</c> for mmaction2 PyTorch files, else bare).</param>
/// <param name="Tensors">Tensors written.</param>
public sealed record ExportResult(string Path, ModelSpec Model, string Layout, string Container, int Tensors);

/// <summary>Writes toolkit weights back for the Python world (<c>toolkit weights export</c>).</summary>
public static class WeightExport
{
    /// <summary>The layout <c>reference</c> means for an architecture: mmaction2 for the CNNs, timm for DeiT, SlowFast for MViT.</summary>
    public static WeightSource ReferenceLayout(string architecture) =>
        new[] { WeightSource.Mmaction2, WeightSource.Timm, WeightSource.SlowFast, WeightSource.PyTorchVideo }.FirstOrDefault(source =>
            KeyMaps.All.Any(m => m.Source == source && m.Exportable && m.Architectures.Contains(architecture, StringComparer.OrdinalIgnoreCase)), WeightSource.Toolkit);

    /// <summary>
    /// Exports the weights in <paramref name="input"/> (a toolkit weights folder or a training checkpoint) to
    /// <paramref name="output"/>, written to a temporary name and renamed when complete.
    /// </summary>
    /// <param name="input">Weights folder, checkpoint folder or work directory.</param>
    /// <param name="output">File to write.</param>
    /// <param name="format">PyTorch or safetensors.</param>
    /// <param name="layout"><see cref="WeightSource.Toolkit"/> for ours, another source for its layout, <see cref="WeightSource.Auto"/> for the architecture's reference layout.</param>
    /// <param name="model">The model, for checkpoints that do not record it; null to read it from the input.</param>
    /// <param name="overwrite">Replace an existing output.</param>
    /// <exception cref="WeightsException">Unreadable input, a layout the architecture does not have, or an output that exists.</exception>
    public static ExportResult Run(string input, string output, ExportFormat format, WeightSource layout, ModelSpec? model, bool overwrite)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        ArgumentException.ThrowIfNullOrWhiteSpace(output);
        if (File.Exists(output) && !overwrite)
            throw new WeightsException(output, "exists; choose another path or allow replacing it (--force)");
        var spec = model ?? StoredModel(input);
        using var weights = WeightImport.Run(input, new WeightImportOptions(spec) { Source = WeightSource.Toolkit });
        if (!weights.Report.Complete)
            throw new WeightsException(input, $"does not hold a complete {spec}: {string.Join("; ", weights.Report.Lines().Skip(1).Take(6))}");
        spec = weights.Model;
        if (layout == WeightSource.Auto)
            layout = ReferenceLayout(spec.Architecture);
        var map = KeyMaps.For(layout, spec, input);
        if (!map.Exportable)
            throw new WeightsException(input, $"{WeightSources.Name(layout)} is a layout toolkit reads but does not write for {spec.Architecture}; use --layout ours or {WeightSources.Name(ReferenceLayout(spec.Architecture))}");

        using var scope = NewDisposeScope();
        using var probe = spec.Create(new ModelOptions { Initialize = false });
        var stageBlocks = KeyMap.StageBlocksOf(probe);
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, tensor) in weights.State)
        {
            var (op, sources) = map.Resolve(map.Rename(key, stageBlocks));
            if (op == TensorOp.Join)
            {
                var parts = tensor.chunk(sources.Length, 0);
                for (int i = 0; i < sources.Length; i++)
                    state[sources[i]] = parts[i].contiguous();
            }
            else
            {
                state[sources[0]] = tensor.contiguous();
            }
        }

        string container = format == ExportFormat.PyTorch && layout == WeightSource.Mmaction2 ? "state_dict" : "bare";
        string full = Path.GetFullPath(output);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = StagedFolder.HiddenSibling(full, "partial");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                if (format == ExportFormat.Safetensors)
                {
                    Safetensors.SaveStateDict(stream, state, leaveOpen: true);
                }
                else
                {
                    var dict = new Hashtable();
                    foreach (var (k, v) in state)
                        dict[k] = v;
                    IDictionary root = dict;
                    if (container == "state_dict")
                        root = new Hashtable { ["state_dict"] = dict, ["meta"] = new Hashtable { ["exported_by"] = "toolkit weights export", ["architecture"] = spec.Architecture, ["classes"] = spec.Classes } };
                    PyTorchPickler.PickleStateDict(stream, root, leaveOpen: true);
                }
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new WeightsException(output, $"cannot be written ({e.Message}); nothing was left there");
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        return new ExportResult(full, spec, WeightSources.Name(layout), container, state.Count);
    }

    /// <summary>The model a weights folder or training checkpoint records.</summary>
    /// <exception cref="WeightsException">It records none (give the model explicitly) or cannot be read.</exception>
    public static ModelSpec StoredModel(string input)
    {
        if (File.Exists(Path.Combine(input, ToolkitFolder.ManifestFileName)))
            return ToolkitFolder.ReadManifest(input).Model;
        if (Directory.Exists(input) && Checkpoint.IsCheckpoint(input))
        {
            try
            {
                return Checkpoint.ReadState(input).Model
                    ?? throw new WeightsException(input, "is a training checkpoint written before toolkit recorded its model; name the model (architecture, classes, width, depth) explicitly");
            }
            catch (InvalidDataException e)
            {
                throw new WeightsException(input, e.Message);
            }
        }
        throw new WeightsException(input, $"is neither a toolkit weights folder ({ToolkitFolder.ManifestFileName}) nor a training checkpoint (state.json, or a work directory with checkpoints/)");
    }
}
