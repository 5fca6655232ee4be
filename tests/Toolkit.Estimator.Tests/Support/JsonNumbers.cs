using System.Text.Json;

namespace Toolkit.Estimator.Tests.Support;

/// <summary>Checks the report promise "never NaN, negative or infinite numbers".</summary>
public static class JsonNumbers
{
    /// <summary>Asserts every number in <paramref name="json"/> is finite and ≥ 0, and no NaN/Infinity token is there.</summary>
    public static void AssertFiniteNonNegative(string json)
    {
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", json, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json);
        int numbers = Walk(doc.RootElement, "$");
        Assert.True(numbers > 10, $"only {numbers} numbers in the report");
    }

    private static int Walk(JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number:
                double v = e.GetDouble();
                Assert.True(double.IsFinite(v) && v >= 0, $"{path} = {e.GetRawText()}");
                return 1;
            case JsonValueKind.Object:
                return e.EnumerateObject().Sum(p => Walk(p.Value, path + "." + p.Name));
            case JsonValueKind.Array:
                return e.EnumerateArray().Select((x, i) => Walk(x, $"{path}[{i}]")).Sum();
            default:
                return 0;
        }
    }
}
