using System.Globalization;
using Toolkit.Trainers.Abstractions;
using Toolkit.Trainers.Models;
using Toolkit.Trainers.Weights;
using static TorchSharp.torch;

namespace Toolkit.Trainers.VideoClassifier;

/// <summary>
/// <c>trainer.init_from</c>: starts a run from pretrained weights. Every tensor of the backbone must come from the
/// file (a partial backbone is an error, never a silent mix of pretrained and random layers); the classifier is taken
/// too when its class count matches the data's, else it keeps its fresh initialisation and the log says so.
/// </summary>
internal static class PretrainedInit
{
    public static void Apply(VideoModel model, ModelSpec spec, string path, string format, ITrainingReporter reporter)
    {
        var source = WeightSources.Parse(format) ?? WeightSource.Auto;
        ImportedWeights weights;
        try
        {
            weights = WeightImport.Run(path, new WeightImportOptions(spec with { Classes = 0 }) { Source = source });
        }
        catch (WeightsException e)
        {
            throw new InvalidOperationException($"trainer.init_from: {e.Message}", e);
        }
        using (weights)
        {
            var report = weights.Report;
            var problems = report.Missing.Concat(report.Mismatched.Select(m => m.ToString())).Concat(report.Unexpected.Select(u => $"unexpected {u}")).ToList();
            if (problems.Count > 0)
                throw new InvalidOperationException($"trainer.init_from: {path} does not map completely onto {weights.Model}: {string.Join("; ", problems.Take(8))}{(problems.Count > 8 ? "; …" : "")}");

            bool sameClasses = weights.Model.Classes == spec.Classes;
            using var noGrad = no_grad();
            var target = model.state_dict();
            int copied = 0;
            foreach (var (key, value) in weights.State)
            {
                if (!sameClasses && key.StartsWith("head.", StringComparison.Ordinal) && !target[key].shape.SequenceEqual(value.shape))
                    continue;
                target[key].copy_(value);
                copied++;
            }
            reporter.Message(string.Create(CultureInfo.InvariantCulture,
                $"initialised from {path} ({WeightSources.Name(report.Source)}, {copied} tensors{(report.Defaulted.Count > 0 ? $", {report.Defaulted.Count} defaulted" : "")})"));
            if (!sameClasses)
                reporter.Message(string.Create(CultureInfo.InvariantCulture,
                    $"classifier re-initialised: the checkpoint has {weights.Model.Classes} classes, the data {spec.Classes}"));
        }
    }
}
