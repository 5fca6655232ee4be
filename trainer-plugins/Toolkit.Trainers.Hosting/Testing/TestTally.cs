using System.Globalization;
using System.Text;
using ScottPlot;

namespace Toolkit.Trainers.Hosting.Testing;

/// <summary>Accuracy of one class.</summary>
/// <param name="Class">Class index.</param>
/// <param name="Name">Class name (the label map's line), or the index when there is no label map.</param>
/// <param name="Videos">Test videos of this class.</param>
/// <param name="Correct">Of those, how many were predicted as this class (top-1).</param>
/// <param name="Predicted">Videos of any class predicted as this one.</param>
public sealed record ClassAccuracy(int Class, string Name, int Videos, int Correct, int Predicted)
{
    /// <summary>Correct / videos, or null when the test set has no video of this class.</summary>
    public double? Accuracy => Videos > 0 ? (double)Correct / Videos : null;
}

/// <summary>
/// The metrics of a test, built one video at a time (memory: a classes × classes confusion matrix, nothing per video):
/// top-1 and top-k as mmaction2's <c>top_k_accuracy</c> (classes ranked by score, highest first; ties by lower index),
/// mean class accuracy as mmaction2's <c>mean_class_accuracy</c> (the mean, over every class that is some video's label
/// or prediction, of correct / videos of that class; a class only ever predicted counts 0).
/// </summary>
public sealed class TestTally
{
    private readonly long[] _confusion;
    private int _hits1;
    private int _hitsK;

    /// <summary>A tally over <paramref name="classes"/> classes, top-k with k = min(<paramref name="topK"/>, classes).</summary>
    public TestTally(int classes, IReadOnlyList<string> names, int topK = 5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentNullException.ThrowIfNull(names);
        Classes = classes;
        Names = [.. Enumerable.Range(0, classes).Select(c => c < names.Count ? names[c] : c.ToString(CultureInfo.InvariantCulture))];
        K = Math.Min(topK, classes);
        _confusion = new long[(long)classes * classes];
    }

    /// <summary>Classes.</summary>
    public int Classes { get; }

    /// <summary>Class names (or indices).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The k of top-k.</summary>
    public int K { get; }

    /// <summary>Videos counted.</summary>
    public int Videos { get; private set; }

    /// <summary>Fraction of videos whose highest score is their label.</summary>
    public double Top1 => Videos > 0 ? (double)_hits1 / Videos : double.NaN;

    /// <summary>Fraction whose label is among the <see cref="K"/> highest scores; null with 5 classes or fewer (always 1).</summary>
    public double? Top5 => Classes > 5 && Videos > 0 ? (double)_hitsK / Videos : null;

    /// <summary>mmaction2's mean class accuracy (see the class summary).</summary>
    public double MeanClassAccuracy
    {
        get
        {
            var perClass = PerClass();
            var present = perClass.Where(c => c.Videos > 0 || c.Predicted > 0).ToList();
            return present.Count == 0 ? double.NaN : present.Average(c => c.Videos > 0 ? (double)c.Correct / c.Videos : 0.0);
        }
    }

    /// <summary>The classes ranked by <paramref name="scores"/>, highest first (ties: lower index first), the first <paramref name="k"/>.</summary>
    public static int[] Rank(ReadOnlySpan<float> scores, int k)
    {
        var order = new int[scores.Length];
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        var copy = scores.ToArray();
        Array.Sort(order, (a, b) => copy[b].CompareTo(copy[a]) is var c && c != 0 ? c : a.CompareTo(b));
        return order[..Math.Min(k, order.Length)];
    }

    /// <summary>Counts one video of class <paramref name="label"/> with classes ranked <paramref name="ranked"/> (at least <see cref="K"/>).</summary>
    public void Add(int label, IReadOnlyList<int> ranked)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentOutOfRangeException.ThrowIfNegative(label);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(label, Classes);
        int top = ranked[0];
        _confusion[(long)label * Classes + top]++;
        if (top == label)
            _hits1++;
        for (int i = 0; i < Math.Min(K, ranked.Count); i++)
        {
            if (ranked[i] == label)
            {
                _hitsK++;
                break;
            }
        }
        Videos++;
    }

    /// <summary>Videos of class <paramref name="label"/> predicted (top-1) as <paramref name="predicted"/>.</summary>
    public long Confusion(int label, int predicted) => _confusion[(long)label * Classes + predicted];

    /// <summary>Every class's counts.</summary>
    public IReadOnlyList<ClassAccuracy> PerClass()
    {
        var result = new ClassAccuracy[Classes];
        for (int c = 0; c < Classes; c++)
        {
            long videos = 0, predicted = 0;
            for (int p = 0; p < Classes; p++)
                videos += _confusion[(long)c * Classes + p];
            for (int l = 0; l < Classes; l++)
                predicted += _confusion[(long)l * Classes + c];
            result[c] = new ClassAccuracy(c, Names[c], (int)videos, (int)_confusion[(long)c * Classes + c], (int)predicted);
        }
        return result;
    }

    /// <summary><c>class,name,videos,correct,accuracy,predicted</c>, one row per class (accuracy empty for a class with no video).</summary>
    public string PerClassCsv()
    {
        var text = new StringBuilder("class,name,videos,correct,accuracy,predicted\n");
        foreach (var c in PerClass())
        {
            text.Append(CultureInfo.InvariantCulture, $"{c.Class},{Csv(c.Name)},{c.Videos},{c.Correct},{(c.Accuracy is { } a ? a.ToString("F6", CultureInfo.InvariantCulture) : "")},{c.Predicted}\n");
        }
        return text.ToString();
    }

    /// <summary>The counts: a row per label, a column per prediction, headed by class index.</summary>
    public string ConfusionCsv()
    {
        var text = new StringBuilder("label\\predicted");
        for (int p = 0; p < Classes; p++)
            text.Append(CultureInfo.InvariantCulture, $",{p}");
        text.Append('\n');
        for (int l = 0; l < Classes; l++)
        {
            text.Append(l.ToString(CultureInfo.InvariantCulture));
            for (int p = 0; p < Classes; p++)
                text.Append(CultureInfo.InvariantCulture, $",{_confusion[(long)l * Classes + p]}");
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Most class names a confusion plot writes on its axes; above it, the axes are numbered.</summary>
    public const int MaxNamedClasses = 60;

    /// <summary>
    /// A heat map of the confusion matrix, each row normalized by its videos (the diagonal is each class's accuracy),
    /// label down the side, prediction along the bottom; class names on the axes up to <see cref="MaxNamedClasses"/>
    /// classes, and each cell's count written in it up to 20.
    /// </summary>
    public byte[] ConfusionPng(string title)
    {
        int n = Classes;
        var normalized = new double[n, n];
        for (int l = 0; l < n; l++)
        {
            long row = 0;
            for (int p = 0; p < n; p++)
                row += _confusion[(long)l * n + p];
            for (int p = 0; p < n; p++)
                normalized[l, p] = row > 0 ? (double)_confusion[(long)l * n + p] / row : 0;
        }
        int side = Math.Clamp(300 + 14 * n, 500, 1600);
        int margin = n <= MaxNamedClasses ? Math.Min(260, 20 + 7 * Names.Max(s => s.Length)) : 60;
        using var plot = new Plot();
        var map = plot.Add.Heatmap(normalized);
        // Row l of the data is drawn at y = n - 1 - l (the first label at the top, as a matrix is read), column p at x = p.
        map.Extent = new CoordinateRect(-0.5, n - 0.5, -0.5, n - 0.5);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.ManualRange = new ScottPlot.Range(0, 1);
        plot.Add.ColorBar(map);
        if (n <= 20)
        {
            for (int l = 0; l < n; l++)
            {
                for (int p = 0; p < n; p++)
                {
                    var cell = plot.Add.Text(_confusion[(long)l * n + p].ToString(CultureInfo.InvariantCulture), p, n - 1 - l);
                    cell.LabelAlignment = Alignment.MiddleCenter;
                    cell.LabelFontColor = normalized[l, p] > 0.6 ? Colors.Black : Colors.White;
                    cell.LabelFontSize = Math.Clamp(200f / n, 9f, 16f);
                }
            }
        }
        bool named = n <= MaxNamedClasses;
        string Label(int c) => named ? Names[c] : c.ToString(CultureInfo.InvariantCulture);
        int every = named ? 1 : Math.Max(1, n / 20);
        var shown = Enumerable.Range(0, n).Where(i => i % every == 0).ToArray();
        plot.Axes.Bottom.SetTicks([.. shown.Select(i => (double)i)], [.. shown.Select(Label)]);
        plot.Axes.Left.SetTicks([.. shown.Select(i => (double)(n - 1 - i))], [.. shown.Select(Label)]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = named ? 60 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = named ? Alignment.MiddleLeft : Alignment.UpperCenter;
        plot.Axes.Bottom.MinimumSize = named ? margin : 40;
        plot.Axes.Left.MinimumSize = margin;
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.XLabel("predicted class");
        plot.YLabel("label");
        plot.Title($"{title}\ncolour: fraction of the label's videos");
        return plot.GetImageBytes(side + margin, side + (named ? margin : 40), ImageFormat.Png);
    }

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
