using OpenCvSharp;

namespace Toolkit.Trainers.Tests.Support;

/// <summary>
/// Rawframe clips a tiny model can tell apart: class c is a flat colour (red, green, blue, …) with per-pixel noise that
/// changes every frame, so a classifier must learn the colour, not memorize pixels.
/// </summary>
public static class SyntheticClips
{
    private static readonly Scalar[] Colours = [new(40, 40, 200), new(40, 200, 40), new(200, 40, 40), new(200, 200, 40)];

    /// <summary>
    /// Writes <paramref name="perClass"/> videos per class under <c>root/frames/class{c}/vid{i}</c> and the lists
    /// <c>root/train.txt</c>, <c>root/val.txt</c> (the same videos) and <c>root/label_map.txt</c>.
    /// </summary>
    public static (string Root, string Train, string Val, string LabelMap) Write(string root, int classes = 2, int perClass = 2, int frames = 12, int size = 40, int seed = 0)
    {
        var rng = new Random(seed);
        string framesRoot = System.IO.Path.Combine(root, "frames");
        var lines = new List<string>();
        for (int c = 0; c < classes; c++)
        {
            for (int i = 0; i < perClass; i++)
            {
                string rel = $"class{c}/vid{i}";
                string dir = System.IO.Path.Combine(framesRoot, rel);
                Directory.CreateDirectory(dir);
                for (int f = 0; f < frames; f++)
                {
                    using var m = new Mat(size, size, MatType.CV_8UC3, Colours[c % Colours.Length]);
                    using var noise = new Mat(size, size, MatType.CV_8UC3);
                    Cv2.Randu(noise, new Scalar(0, 0, 0), new Scalar(50 + rng.Next(10), 50, 50));
                    Cv2.Add(m, noise, m);
                    Cv2.ImWrite(System.IO.Path.Combine(dir, $"img_{f + 1:D5}.jpg"), m);
                }
                lines.Add($"{rel} {frames} {c}");
            }
        }
        string train = System.IO.Path.Combine(root, "train.txt");
        string val = System.IO.Path.Combine(root, "val.txt");
        string map = System.IO.Path.Combine(root, "label_map.txt");
        File.WriteAllLines(train, lines);
        File.WriteAllLines(val, lines);
        File.WriteAllLines(map, Enumerable.Range(0, classes).Select(c => $"class{c}"));
        return (framesRoot, train, val, map);
    }

    /// <summary>A run config (as configs/demo.json) over <see cref="Write"/>'s output; <paramref name="trainer"/> is the trainer section.</summary>
    public static string Config(string folder, (string Root, string Train, string Val, string LabelMap) data, int epochs, string trainer, int batch = 2, int clipLen = 4, int crop = 32, string extraData = "")
    {
        string path = System.IO.Path.Combine(folder, $"config-{Guid.NewGuid():N}.json"[..20] + ".json");
        File.WriteAllText(path, $$"""
        {
          "seed": 7,
          "device": "cpu",
          "epochs": {{epochs}},
          "data": {
            "root": "{{data.Root}}", "train": "{{data.Train}}", "val": "{{data.Val}}", "label_map": "{{data.LabelMap}}",
            "clip_len": {{clipLen}}, "frame_interval": 2, "crop": {{crop}}, "batch": {{batch}}, "workers": 1{{extraData}}
          },
          "trainer": {{trainer}}
        }
        """);
        return path;
    }
}
