using Toolkit.Augment.Geometry;
using Toolkit.Augment.Pipeline;
using Toolkit.Augment.Tests.Support;

namespace Toolkit.Augment.Tests.Pipeline;

[Trait("Category", "Unit")]
public sealed class RecipesTests
{
    [Theory]
    [InlineData("rrc", 224, 224, 1)]
    [InlineData("rescale", 224, 224, 1)]
    [InlineData("resize224", 224, 224, 1)]
    [InlineData("center224@224", 224, 224, 1)]
    [InlineData("center224@256", 224, 224, 1)]
    [InlineData("three224@224", 224, 224, 3)]
    [InlineData("three224@256", 224, 224, 3)]
    public void NamedRecipe_OnA340x256Clip_GivesTheNetworkInput(string name, int w, int h, int views)
    {
        using var clip = Synthetic.Noise(340, 256, 4, seed: 1);

        using var result = Recipes.Get(name).Run(clip, new Random(2));

        Assert.Equal((w, h, views), (result.Width, result.Height, result.Views));
        Assert.Equal(4 * views, result.Frames.Count);
        Assert.Equal(Recipes.Get(name).Transforms.Count, result.Applied.Count);
    }

    [Fact]
    public void Rrc_IsResizeThenRandomResizedCropThenResize()
    {
        var p = Recipes.Get("rrc");

        Assert.Equal(["Resize", "RandomResizedCrop", "Resize"], p.Transforms.Select(t => t.Name));
        var first = Assert.IsType<Resize>(p.Transforms[0]);
        Assert.Equal((-1, 256), (first.Options.Width, first.Options.Height));
        var last = Assert.IsType<Resize>(p.Transforms[2]);
        Assert.Equal((224, 224), (last.Options.Width, last.Options.Height));
    }

    [Fact]
    public void Rrc_SourceRegion_IsTheCropMappedBackThroughTheFirstResize()
    {
        using var clip = Synthetic.Noise(640, 480, 2, seed: 3); // Resize(-1, 256): 341x256, scale 640/341, 480/256

        using var result = Recipes.Get("rrc").Run(clip, new Random(4));

        var crop = Assert.IsType<ResizedCropParams>(result.Applied[1]);
        double sx = 640.0 / 341, sy = 480.0 / 256;
        var expected = new RectD(crop.Box.X * sx, crop.Box.Y * sy, crop.Box.W * sx, crop.Box.H * sy);
        AssertClose(expected, crop.Source);
        AssertClose(expected, result.SourceRegion);
    }

    [Theory]
    [InlineData("rrc")]
    [InlineData("rescale")]
    [InlineData("three224@256")]
    public void EqualSeeds_GiveEqualOutput_AndTheInputIsNeverChanged(string name)
    {
        using var clip = Synthetic.Noise(340, 256, 3, seed: 5);
        var before = Synthetic.Snapshot(clip);
        var recipe = Recipes.Get(name);

        using var a = recipe.Run(clip, new Random(42));
        using var b = recipe.Run(clip, new Random(42));

        Assert.True(Synthetic.SamePixels(a, b));
        Assert.Equal(a.Applied, b.Applied);
        Assert.Equal(before, Synthetic.Snapshot(clip));
    }

    [Fact]
    public void DifferentSeeds_GiveDifferentCrops()
    {
        using var clip = Synthetic.Noise(340, 256, 1, seed: 5);
        var recipe = Recipes.Get("rescale");

        var regions = Enumerable.Range(0, 20).Select(seed =>
        {
            using var r = recipe.Run(clip, new Random(seed));
            return r.SourceRegion;
        }).Distinct().Count();

        Assert.True(regions > 15, $"{regions} distinct crops out of 20 seeds");
    }

    [Fact]
    public void SampleOnly_DrawsWhatRunApplies()
    {
        using var clip = Synthetic.Noise(340, 256, 1, seed: 5);
        var recipe = ClipPipeline.Build(x => x.RandomRescale(256, 320).RandomResizedCrop().Resize(224, 224).Flip(0.5));

        for (int seed = 0; seed < 20; seed++)
        {
            using var run = recipe.Run(clip, new Random(seed));
            Assert.Equal(run.Applied, recipe.SampleOnly(clip.Info, new Random(seed)));
        }
    }

    [Fact]
    public void EmptyPipeline_ReturnsACopyTheCallerOwns()
    {
        using var clip = Synthetic.Noise(8, 8, 1, seed: 5);

        var copy = new ClipPipeline([]).Run(clip, new Random(0));
        copy.Dispose();

        Assert.False(clip.Frames[0].IsDisposed);
    }

    [Fact]
    public void Json_BuildsTheSameTransformsAsTheBuilder()
    {
        const string json = """
            // comments allowed
            {"name": "mine", "transforms": [
              {"type": "Resize", "width": -1, "height": 256},
              {"type": "RandomResizedCrop", "areaMin": 0.2, "aspectMax": 1.5},
              {"type": "resize", "width": 224, "height": 224, "interpolation": "Area"},
              {"type": "Flip", "probability": 0.25},
              {"type": "ColorJitter", "hue": 0},
              {"type": "Normalize"},
            ]}
            """;

        var p = Recipes.FromJson(json);

        Assert.Equal("mine", p.Name);
        Assert.Equal(["Resize", "RandomResizedCrop", "Resize", "Flip", "ColorJitter", "Normalize"], p.Transforms.Select(t => t.Name));
        Assert.Equal(0.2, ((RandomResizedCrop)p.Transforms[1]).Options.AreaMin);
        Assert.Equal(1.5, ((RandomResizedCrop)p.Transforms[1]).Options.AspectMax);
        Assert.Equal(Interpolation.Area, ((Resize)p.Transforms[2]).Options.Interpolation);
        Assert.Equal(0.25, ((Flip)p.Transforms[3]).Options.Probability);
        using var clip = Synthetic.Noise(340, 256, 2, seed: 1);
        using var result = p.Run(clip, new Random(1));
        Assert.Equal(OpenCvSharp.MatType.CV_32FC3, result.Type);
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void UnknownRecipe_ListsTheKnownOnes()
    {
        var e = Assert.Throws<Core.ToolkitError>(() => Recipes.Get("rrc2"));

        Assert.Equal("rrc2: unknown recipe. known recipes: rrc, rescale, resize224, center224@224, center224@256, three224@224, three224@256; or give a .json recipe file", e.Message);
    }

    [Theory]
    [InlineData("""[{"type": "Rotate"}]""", "unknown type 'Rotate'")]
    [InlineData("""[{"type": "Flp"}]""", "my.json:1:2: transform 1: unknown type 'Flp'. did you mean Flip?")]
    [InlineData("""[{"width": 3}]""", "needs a \"type\"")]
    [InlineData("""[{"type": "Flip", "prob": 0.5}]""", "transform 1 (Flip): prob is not a known key; the known keys are probability")]
    [InlineData("""[{"type": "Flip", "probabilty": 0.5}]""", "probabilty is not a known key; did you mean \"probability\"?")]
    [InlineData("""[{"type": "Flip", "probability": "half"}]""", "probability must be a number, not the string \"half\"")]
    [InlineData("""[{"type": "Flip", "probability": 2}]""", "Flip.Probability: must be in [0, 1], got 2")]
    [InlineData("""{"transforms": 3}""", "a recipe is")]
    [InlineData("""[{"type": """, "not valid JSON")]
    [InlineData("[\n  {\"type\": \"Flip\"}\n  {\"type\": \"Flip\"}\n]", "my.json:3:3: is not valid JSON")]
    [Trait("Category", "Failure")]
    public void BadJson_IsRefusedWithTheReason(string json, string expected)
    {
        var e = Assert.Throws<Core.ToolkitError>(() => Recipes.FromJson(json, "my.json"));

        Assert.Contains(expected, e.Message);
        Assert.StartsWith("my.json", e.Message);
    }

    private static void AssertClose(RectD expected, RectD actual)
    {
        Assert.Equal(expected.X, actual.X, 6);
        Assert.Equal(expected.Y, actual.Y, 6);
        Assert.Equal(expected.W, actual.W, 6);
        Assert.Equal(expected.H, actual.H, 6);
    }
}
