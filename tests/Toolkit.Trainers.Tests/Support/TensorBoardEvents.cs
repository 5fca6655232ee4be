using System.Buffers.Binary;
using System.Numerics;

namespace Toolkit.Trainers.Tests.Support;

/// <summary>
/// Reads TensorBoard event files as TensorBoard does: TFRecord framing (length, masked CRC-32C of the length, data,
/// masked CRC-32C of the data), each record an <c>Event</c> protobuf; collects the scalar summaries by tag.
/// </summary>
internal static class TensorBoardEvents
{
    /// <summary>Tag → (step, value) in file order, over every event file under <paramref name="folder"/>.</summary>
    public static Dictionary<string, List<(int Step, float Value)>> Scalars(string folder)
    {
        var result = new Dictionary<string, List<(int, float)>>(StringComparer.Ordinal);
        var files = Directory.GetFiles(folder, "events.out.tfevents.*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            byte[] bytes = File.ReadAllBytes(file);
            int at = 0;
            while (at < bytes.Length)
            {
                Assert.True(at + 12 <= bytes.Length, $"{file}: a record header is cut at byte {at}");
                ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at, 8));
                Assert.Equal(Masked(bytes.AsSpan(at, 8)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8, 4)));
                int start = at + 12;
                Assert.True(start + (long)length + 4 <= bytes.Length, $"{file}: a record of {length} bytes is cut");
                var data = bytes.AsSpan(start, (int)length);
                Assert.Equal(Masked(data), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(start + (int)length, 4)));
                var evt = Tensorboard.Event.Parser.ParseFrom(data.ToArray());
                if (evt.Summary is { } summary)
                {
                    foreach (var value in summary.Value)
                    {
                        if (!result.TryGetValue(value.Tag, out var list))
                            result[value.Tag] = list = [];
                        list.Add(((int)evt.Step, value.SimpleValue));
                    }
                }
                at = start + (int)length + 4;
            }
        }
        return result;
    }

    // TFRecord's masked CRC-32C: rotate right by 15, add a constant.
    private static uint Masked(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
            crc = BitOperations.Crc32C(crc, b);
        crc ^= 0xFFFFFFFF;
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8;
    }
}
