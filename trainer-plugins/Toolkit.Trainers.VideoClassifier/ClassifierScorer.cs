using System.Globalization;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Models;
using Toolkit.Trainers.Training;
using Toolkit.Trainers.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace Toolkit.Trainers.VideoClassifier;

/// <summary>
/// A trained classifier for <c>toolkit test</c> / <c>predict</c>: reads any checkpoint the weights importer reads (a
/// training checkpoint, toolkit's weights folder, an mmaction2 / pytorchvideo / SlowFast / timm file), refuses one that
/// does not match the config's architecture or the data's classes, and proves with one zero view that the model takes
/// the test views before any video is decoded.
/// </summary>
internal sealed class ClassifierScorer : IClipScorer
{
    private readonly nn.Module<Tensor, Tensor> _net;
    private readonly VideoModel _model;

    private ClassifierScorer(VideoModel model, nn.Module<Tensor, Tensor> net, string description)
    {
        _model = model;
        _net = net;
        Description = description;
    }

    public string Description { get; }

    public Tensor Score(Tensor views)
    {
        ArgumentNullException.ThrowIfNull(views);
        using var inference = inference_mode();
        return _net.call(views);
    }

    public void Dispose()
    {
        if (!ReferenceEquals(_net, _model))
            _net.Dispose();
        _model.Dispose();
    }

    public static ClassifierScorer Open(ScorerRequest request, VideoClassifierOptions options)
    {
        var entry = ModelZoo.Get(options.Model);
        var wanted = ClassifierTraining.SpecFor(options, entry, 0);
        string path = request.Checkpoint;
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new CheckpointException(CheckpointProblem.UnknownFormat, $"{path}: no such file or folder; pass a work dir, a checkpoint folder (epoch_NNNN), a weights folder or a .pth / .safetensors file");
        if (Directory.Exists(path) && StoredSpec(path) is { } stored)
            RequireSameModel(path, stored, wanted, request.Classes);

        ImportedWeights weights;
        try
        {
            weights = WeightImport.Run(path, new WeightImportOptions(wanted));
        }
        catch (WeightsException e)
        {
            throw new CheckpointException(CheckpointProblem.UnknownFormat, $"{e.Message}", e);
        }
        VideoModel? model = null;
        try
        {
            var report = weights.Report;
            if (!report.Complete)
            {
                var problems = report.Missing.Concat(report.Mismatched.Select(m => m.ToString())).Concat(report.Unexpected.Select(u => $"unexpected {u}")).ToList();
                throw new CheckpointException(CheckpointProblem.WrongModel,
                    $"{path}: its {WeightSources.Name(report.Source)} weights do not fit {wanted.Architecture} as the config describes it (width {wanted.Width:G4}, depth {wanted.Depth:G4}): {string.Join("; ", problems.Take(4))}{(problems.Count > 4 ? $"; … ({problems.Count} in all)" : "")}; use the config the checkpoint was trained with (toolkit weights import --dry-run lists every key)");
            }
            if (weights.Model.Classes != request.Classes)
                throw WrongClasses(path, weights.Model.Classes, request.Classes);
            model = weights.Model.Create(new ModelOptions { Initialize = false });
            weights.LoadInto(model);
        }
        catch
        {
            model?.Dispose();
            throw;
        }
        finally
        {
            weights.Dispose();
        }

        nn.Module<Tensor, Tensor> net = entry.IsImageModel ? new FrameAveraging(model) : model;
        try
        {
            net.to(request.Device);
            net.eval();
            var scorer = new ClassifierScorer(model, net, string.Create(CultureInfo.InvariantCulture,
                $"{weights.Model} from {path} ({WeightSources.Name(weights.Report.Source)}, {weights.Report.Container})"));
            DryRun(scorer, request);
            return scorer;
        }
        catch
        {
            if (!ReferenceEquals(net, model))
                net.Dispose();
            model.Dispose();
            throw;
        }
    }

    /// <summary>One zero view through the model: a crop or clip length it cannot take fails here, named, before any decoding.</summary>
    private static void DryRun(ClassifierScorer scorer, ScorerRequest request)
    {
        long[] shape = [1, .. request.ViewShape];
        using var scope = NewDisposeScope();
        Tensor logits;
        try
        {
            logits = scorer.Score(zeros(shape, ScalarType.Float32, request.Device));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CheckpointException(CheckpointProblem.ViewDoesNotFit,
                $"{request.Checkpoint}: the model cannot take test views of {string.Join(" × ", request.ViewShape)} (C × T × H × W): {FirstLine(e.Message)}; set the test crop and clip length to what it was trained on (data.crop, data.clip_len, or --crop / --clip-len)", e);
        }
        if (logits.dim() != 2 || logits.shape[0] != 1 || logits.shape[1] != request.Classes)
            throw new CheckpointException(CheckpointProblem.ViewDoesNotFit,
                $"{request.Checkpoint}: a view of {string.Join(" × ", request.ViewShape)} gives scores of shape [{string.Join(", ", logits.shape)}], not [1, {request.Classes}]");
    }

    private static string FirstLine(string message)
    {
        int end = message.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).Trim();
    }

    /// <summary>The model a toolkit folder records (training checkpoint, work dir or weights folder), or null when it records none.</summary>
    private static ModelSpec? StoredSpec(string folder)
    {
        try
        {
            if (File.Exists(Path.Combine(folder, ToolkitFolder.ManifestFileName)))
                return ToolkitFolder.ReadManifest(folder).Model;
            if (Checkpoint.IsCheckpoint(folder))
                return Checkpoint.ReadState(folder).Model;
        }
        catch (Exception e) when (e is InvalidDataException or WeightsException)
        {
            throw new CheckpointException(CheckpointProblem.UnknownFormat, e.Message, e);
        }
        return null;
    }

    private static void RequireSameModel(string path, ModelSpec stored, ModelSpec wanted, int classes)
    {
        if (!string.Equals(stored.Architecture, wanted.Architecture, StringComparison.OrdinalIgnoreCase))
            throw new CheckpointException(CheckpointProblem.WrongModel,
                $"{path}: holds {stored.Architecture} weights, the config's trainer.model is {wanted.Architecture}; test with the config the checkpoint was trained with (its run.json has it)");
        var differences = new List<string>();
        if (stored.Width != wanted.Width)
            differences.Add(string.Create(CultureInfo.InvariantCulture, $"width {stored.Width:G4} (config: {wanted.Width:G4})"));
        if (stored.Depth != wanted.Depth)
            differences.Add(string.Create(CultureInfo.InvariantCulture, $"depth {stored.Depth:G4} (config: {wanted.Depth:G4})"));
        if (stored.Norm != wanted.Norm)
            differences.Add($"norm {stored.Norm} (config: {wanted.Norm})");
        if (stored.PreNorm != wanted.PreNorm)
            differences.Add($"pre_norm {stored.PreNorm} (config: {wanted.PreNorm})");
        if (differences.Count > 0)
            throw new CheckpointException(CheckpointProblem.WrongModel,
                $"{path}: a {stored.Architecture} of {string.Join(", ", differences)}; test with the config the checkpoint was trained with (its run.json has it)");
        if (stored.Classes != classes)
            throw WrongClasses(path, stored.Classes, classes);
    }

    private static CheckpointException WrongClasses(string path, int stored, int data) => new(CheckpointProblem.WrongClasses,
        string.Create(CultureInfo.InvariantCulture,
            $"{path}: its classifier has {stored} classes, the test data {data}; use the label map the model was trained with (data.label_map), or fine-tune it on these classes first (trainer.init_from)"));
}
