using Toolkit.Augment.Color;
using Toolkit.Augment.Geometry;
using Toolkit.Augment.Tests.Support;

namespace Toolkit.Augment.Tests;

/// <summary>What every transform promises, on RGB and flow: the input is untouched, equal seeds give equal output, the applied parameters are recorded, and the output owns fresh pixels.</summary>
[Trait("Category", "Unit")]
public sealed class ContractTests
{
    public static TheoryData<string, ClipKind> Cases()
    {
        var data = new TheoryData<string, ClipKind>();
        foreach (string name in All.Keys)
        {
            data.Add(name, ClipKind.Rgb);
            if (name != "ColorJitter")
                data.Add(name, ClipKind.Flow);
        }
        return data;
    }

    private static readonly Dictionary<string, Func<IClipTransform>> All = new()
    {
        ["Resize"] = () => new Resize(-1, 40),
        ["ResizeExact"] = () => new Resize(24, 24),
        ["RandomRescale"] = () => new RandomRescale(30, 50),
        ["RandomResizedCrop"] = () => new RandomResizedCrop(),
        ["RandomCrop"] = () => new RandomCrop(20),
        ["CenterCrop"] = () => new CenterCrop(20),
        ["ThreeCrop"] = () => new ThreeCrop(20),
        ["TenCrop"] = () => new TenCrop(20),
        ["MultiScaleCrop"] = () => new MultiScaleCrop(new MultiScaleCropOptions { Width = 20, Height = 20 }),
        ["Flip"] = () => new Flip(1),
        ["ColorJitter"] = () => new ColorJitter(),
        ["Normalize"] = () => new Normalize(),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Transform_KeepsInput_IsDeterministic_RecordsParams(string name, ClipKind kind)
    {
        using var clip = Synthetic.Noise(48, 36, 3, seed: 7, kind);
        var before = Synthetic.Snapshot(clip);
        var t = All[name]();

        var p1 = t.Sample(clip.Info, new Random(123));
        var p2 = t.Sample(clip.Info, new Random(123));
        using var a = t.Apply(clip, p1);
        using var b = t.Apply(clip, p2);

        Assert.Equal(p1, p2);
        Assert.True(Synthetic.SamePixels(a, b));
        Assert.Equal(before, Synthetic.Snapshot(clip));
        Assert.Same(p1, Assert.Single(a.Applied));
        Assert.Equal(kind, a.Kind);
        Assert.All(a.Frames, f => Assert.DoesNotContain(clip.Frames, g => g.Data == f.Data));
    }
}
