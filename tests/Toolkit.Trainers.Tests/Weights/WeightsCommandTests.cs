using System.Globalization;
using Toolkit.Trainers.Tests.Support;

namespace Toolkit.Trainers.Tests.Weights;

/// <summary><c>toolkit weights import|export</c> as a user runs them: checks, refusals with their reasons, nothing half-written, round trips.</summary>
[Collection(WeightFixturesCollection.Name)]
public sealed class WeightsCommandTests(WeightFixtures fx)
{
    [Fact]
    [Trait("Category", "Integration")]
    public void Import_ZooX3D_WithCheck_Exits0_PrintsTheReport_AndWritesOurWeights()
    {
        string output = fx.Scratch("x3d");
        var r = ToolkitCli.Run("weights", "import", WeightFixtures.Zoo("mm_x3d.pth"), "--model", "x3d-m", "--check", WeightFixtures.Zoo("mm_x3d.check.pt"), "--out", output);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("mapped 568, missing 0, unexpected 0, shape-mismatched 0", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("parity ok", r.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "model.safetensors")) && File.Exists(Path.Combine(output, "weights.json")), r.ToString());
    }

    [Theory]
    [Trait("Category", "Failure")]
    [InlineData("truncated.pth", "i3d-r50", "truncated or corrupt")]
    [InlineData("legacy.pth", "i3d-r50", "legacy (pre-1.6) format")]
    [InlineData("code.pth", "i3d-r50", "posix.system")]
    [InlineData("numpy_meta.pth", "i3d-r50", "numpy.core.multiarray.scalar")]
    [InlineData("timm_deit_distilled.pth", "deit-ti", "distilled DeiT")]
    [InlineData("missing_key.pth", "i3d-r50", "missing     backbone.stages.1.blocks.1.conv2.conv.weight <- backbone.layer2.1.conv2.conv.weight")]
    [InlineData("wrong_shape.pth", "i3d-r50", "mismatched  backbone.stages.2.blocks.0.conv1.conv.weight <- backbone.layer3.0.conv1.conv.weight: expected [64, 128, 3, 1, 1], found [64, 128, 1, 1, 1]")]
    [InlineData("mm_i3d.pth", "x3d-m", "it is not a x3d-m checkpoint")]
    [InlineData("pv_i3d_r50.pyth", "i3d-r50", "Build i3d-r50 with stem temporal stride 1")]
    [InlineData("tv_r50.pth", "x3d-m", "inflates into i3d-r50 and slowonly-r50 only")]
    public void Import_BadOrRefusedFile_Exits2_NamesFileAndReason_WritesNothing(string file, string model, string reason)
    {
        string output = fx.Scratch("bad");
        var r = ToolkitCli.Run("weights", "import", fx[file], "--model", model, "--width", file.StartsWith("tv_", StringComparison.Ordinal) ? "1" : "0.25", "--out", output);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(file, r.Stderr, StringComparison.Ordinal);
        Assert.Contains(reason, r.Stdout + r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), $"{output} was written\n{r}");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(output)!, $".{Path.GetFileName(output)}*"));
        Assert.False(File.Exists(fx["PWNED"]), "the pickle's code ran");
    }

    [Theory]
    [Trait("Category", "Failure")]
    [InlineData("--width 9", "--width: Width must be in (0, 4].")]
    [InlineData("--stem-temporal-stride 3 --model i3d-r50", "--stem-temporal-stride: StemTemporalStride must be 1 or 2.")]
    [InlineData("--stem-temporal-stride 1", "--stem-temporal-stride is an option of i3d-r50 only, not of x3d-m")]
    [InlineData("--classes -3", "--classes is -3; use 1 or more")]
    [InlineData("--from caffe", "--from 'caffe' is not one of auto, mmaction2")]
    [InlineData("--inflate sideways", "--inflate 'sideways' is not mean or centre")]
    [InlineData("--model nonet", "--model 'nonet' is unknown (known: i3d-r50")]
    [InlineData("--no-out", "give --out DIR to write the weights, or --check FILE to only verify them")]
    public void Import_BadOption_Exits2_WithOneLine_WritesNothing(string options, string message)
    {
        string output = fx.Scratch("opt");
        var args = new List<string> { "weights", "import", WeightFixtures.Zoo("mm_x3d.pth") };
        var extra = options.Split(' ');
        if (!extra.Contains("--model"))
            args.AddRange(["--model", "x3d-m"]);
        if (!extra.Contains("--no-out"))
            args.AddRange(["--out", output]);
        args.AddRange(extra.Where(a => a != "--no-out"));
        var r = ToolkitCli.Run([.. args]);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(message, r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void Import_CheckFails_Exits1_WritesNothing()
    {
        string output = fx.Scratch("mean");
        var r = ToolkitCli.Run("weights", "import", fx["tv_r50.pth"], "--model", "slowonly-r50", "--inflate", "mean", "--check", fx["tv_r50.check.pt"], "--out", output);
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("parity FAILED", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("does not reproduce the reference output", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void ImportExportImport_IsBitIdentical_AndPyTorchReadsTheExportInMmaction2Layout()
    {
        string first = fx.Scratch("first"), second = fx.Scratch("second");
        string pth = fx.Scratch("export") + ".pth", st = fx.Scratch("export") + ".safetensors";
        Assert.Equal(0, ToolkitCli.Run("weights", "import", fx["mm_slowfast.pth"], "--model", "slowfast-r50", "--width", "0.25", "--out", first).ExitCode);
        var export = ToolkitCli.Run("weights", "export", first, "--to", "pytorch", "--out", pth);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Contains("mmaction2 layout, container state_dict", export.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, ToolkitCli.Run("weights", "export", first, "--to", "safetensors", "--layout", "ours", "--out", st).ExitCode);

        // torch.load reads it, with mmaction2's keys and the very tensors of the original checkpoint.
        string verdict = WeightFixtures.RunPython(string.Create(CultureInfo.InvariantCulture, $$"""
            import torch
            a = torch.load('{{fx["mm_slowfast.pth"]}}')['state_dict']
            b = torch.load('{{pth}}')['state_dict']
            print(sorted(a) == sorted(b) and all(torch.equal(a[k], b[k]) for k in a))
            """));
        Assert.Equal("True", verdict.Trim());

        var again = ToolkitCli.Run("weights", "import", st, "--model", "slowfast-r50", "--width", "0.25", "--from", "toolkit", "--out", second);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "model.safetensors")), File.ReadAllBytes(Path.Combine(second, "model.safetensors")));
        var fromPth = ToolkitCli.Run("weights", "import", pth, "--model", "slowfast-r50", "--width", "0.25", "--out", second, "--force");
        Assert.True(fromPth.ExitCode == 0, fromPth.ToString());
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "model.safetensors")), File.ReadAllBytes(Path.Combine(second, "model.safetensors")));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void Export_DeiTAndMViT_InTheirReferenceLayouts()
    {
        string deit = fx.Scratch("deit"), mvit = fx.Scratch("mvit");
        Assert.Equal(0, ToolkitCli.Run("weights", "import", WeightFixtures.Zoo("timm_deit.pth"), "--model", "deit-ti", "--out", deit).ExitCode);
        Assert.Equal(0, ToolkitCli.Run("weights", "import", fx["pv_mvit.pyth"], "--model", "mvit-b", "--width", "0.25", "--out", mvit).ExitCode);
        string deitPth = deit + ".pth", mvitPth = mvit + ".pth";
        Assert.Contains("timm layout", ToolkitCli.Run("weights", "export", deit, "--out", deitPth).Stdout, StringComparison.Ordinal);
        Assert.Contains("slowfast layout", ToolkitCli.Run("weights", "export", mvit, "--out", mvitPth).Stdout, StringComparison.Ordinal);
        string verdict = WeightFixtures.RunPython($$"""
            import torch
            a = torch.load('{{WeightFixtures.Zoo("timm_deit.pth")}}')['model']
            b = torch.load('{{deitPth}}')
            ok = sorted(a) == sorted(b) and all(torch.equal(a[k], b[k]) for k in a)
            p = torch.load('{{fx["pv_mvit.pyth"]}}')
            m = torch.load('{{mvitPth}}')
            ok = ok and torch.equal(m['blocks.14.attn.qkv.weight'], torch.cat([p['blocks.14.attn.q.weight'], p['blocks.14.attn.k.weight'], p['blocks.14.attn.v.weight']]))
            ok = ok and torch.equal(m['head.projection.weight'], p['head.proj.weight']) and 'blocks.0.attn.q.weight' not in m
            print(ok)
            """);
        Assert.Equal("True", verdict.Trim());
    }

    [Fact]
    [Trait("Category", "Failure")]
    public void Export_NotToolkitWeights_OrAnExistingFile_Exits2()
    {
        var r = ToolkitCli.Run("weights", "export", fx.Folder, "--out", fx.Scratch("x") + ".pth");
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("neither a toolkit weights folder", r.Stderr, StringComparison.Ordinal);
        string weights = fx.Scratch("w");
        Assert.Equal(0, ToolkitCli.Run("weights", "import", fx["mm_i3d.pth"], "--model", "i3d-r50", "--width", "0.25", "--out", weights).ExitCode);
        string existing = fx.Scratch("exists") + ".pth";
        File.WriteAllText(existing, "keep me");
        var again = ToolkitCli.Run("weights", "export", weights, "--out", existing);
        Assert.True(again.ExitCode == 2, again.ToString());
        Assert.Equal("keep me", File.ReadAllText(existing));
        var timm = ToolkitCli.Run("weights", "export", weights, "--layout", "timm", "--out", fx.Scratch("y") + ".pth");
        Assert.True(timm.ExitCode == 2, timm.ToString());
        Assert.Contains("no key map from timm to i3d-r50", timm.Stderr, StringComparison.Ordinal);
    }
}
