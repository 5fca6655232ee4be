namespace Toolkit.Estimator.Statistics;

/// <summary>A population total estimated from a sample, with its 95% confidence interval.</summary>
/// <param name="Total">The point estimate of the total.</param>
/// <param name="Low">Lower end of the 95% interval (never below the sample's own total).</param>
/// <param name="High">Upper end of the 95% interval.</param>
/// <param name="Ratio">The estimated ratio R̂ = Σy / Σx of the sample.</param>
/// <param name="StandardError">Standard error of <paramref name="Total"/>.</param>
public sealed record TotalEstimate(double Total, double Low, double High, double Ratio, double StandardError);

/// <summary>
/// The ratio estimator of a population total from a simple random sample drawn without replacement.
/// </summary>
/// <remarks>
/// <para>
/// Every video <c>i</c> of the <c>N</c> in the set has an auxiliary size <c>x_i</c> that is known exactly for all of them
/// without extracting anything (its output pixels: decodable frames × target width × target height), and an unknown
/// quantity <c>y_i</c> (its JPEG bytes) that is measured only for the <c>n</c> sampled videos. Bytes are close to
/// proportional to pixels, so the estimator is <c>Ŷ = R̂·X</c> with <c>R̂ = Σ_s y_i / Σ_s x_i</c> (bytes per pixel of the
/// sample) and <c>X = Σ_all x_i</c>. Long and short videos, large and small ones, are thus weighted by their real size
/// instead of by one per video, which is why it beats "mean bytes per video × N" when durations vary.
/// </para>
/// <para>
/// Its variance (Cochran, <i>Sampling Techniques</i>, 3rd ed., §6.3–6.4) is estimated from the residuals
/// <c>e_i = y_i − R̂ x_i</c>: <c>V̂(Ŷ) = N² (1 − n/N) s_e² / n</c> with <c>s_e² = Σ e_i² / (n − 1)</c>. The factor
/// <c>1 − n/N</c> is the finite-population correction: sampling without replacement from a finite set, a sample that is
/// the whole set has no sampling error at all (the interval collapses to the exact total), and a sample of a third of the
/// set has a variance two thirds of the with-replacement one. The interval is <c>Ŷ ± t_{0.975, n−1} √V̂</c>, with
/// Student's t for small samples; it is approximate (the ratio estimator is slightly biased, O(1/n)), and its coverage is
/// checked by simulation in the tests. The lower end is clipped to the sample's own measured total, which the population
/// total cannot be below.
/// </para>
/// <para>
/// When Σx² over the population is given, a second, model-based variance is computed as well (Royall's prediction
/// variance for <c>y_i = R x_i (1 + ε_i)</c>, errors proportional to size, the natural model when x is itself a prediction
/// of y): with <c>d_i = e_i / x_i</c>, <c>s_d² = Σ d_i² / (n − 1)</c> and u the unsampled units,
/// <c>V̂_m = s_d² (Σ_u x_i² + (Σ_u x_i)² Σ_s x_i² / (Σ_s x_i)²)</c>: the error of predicting the units not measured plus that
/// of the ratio. It is larger than the design-based one when the unsampled units are bigger than the sampled ones, which
/// is exactly when a handful of small sampled videos would make the design-based interval too narrow. The interval uses the
/// larger of the two.
/// </para>
/// </remarks>
public static class RatioEstimator
{
    /// <summary>Estimates the population total of y.</summary>
    /// <param name="sampleX">Auxiliary sizes of the sampled units (all &gt; 0).</param>
    /// <param name="sampleY">Measured values of the sampled units (≥ 0), same order.</param>
    /// <param name="populationX">Σx over the whole population (≥ Σ sampleX).</param>
    /// <param name="populationCount">N, the number of units in the population (≥ n).</param>
    /// <param name="populationXSquared">Σx² over the whole population, or null: when given, the interval also covers the model-based variance (see remarks).</param>
    /// <exception cref="ArgumentException">Inputs are inconsistent: lengths differ, n &lt; 1, n &gt; N, a size is not positive, or n = 1 &lt; N (no variance can be estimated).</exception>
    public static TotalEstimate EstimateTotal(IReadOnlyList<double> sampleX, IReadOnlyList<double> sampleY, double populationX, int populationCount,
        double? populationXSquared = null)
    {
        ArgumentNullException.ThrowIfNull(sampleX);
        ArgumentNullException.ThrowIfNull(sampleY);
        int n = sampleX.Count;
        if (n != sampleY.Count)
            throw new ArgumentException($"{n} sizes but {sampleY.Count} values", nameof(sampleY));
        if (n < 1 || n > populationCount)
            throw new ArgumentException($"sample of {n} from a population of {populationCount}", nameof(sampleX));
        double sx = 0, sy = 0;
        for (int i = 0; i < n; i++)
        {
            if (!(sampleX[i] > 0) || !double.IsFinite(sampleX[i]))
                throw new ArgumentException($"size {sampleX[i]} of unit {i} is not a positive number", nameof(sampleX));
            if (!(sampleY[i] >= 0) || !double.IsFinite(sampleY[i]))
                throw new ArgumentException($"value {sampleY[i]} of unit {i} is not a non-negative number", nameof(sampleY));
            sx += sampleX[i];
            sy += sampleY[i];
        }
        if (populationX < sx * (1 - 1e-12))
            throw new ArgumentException($"population size {populationX} is below the sample's {sx}", nameof(populationX));
        double ratio = sy / sx;
        double total = ratio * populationX;
        if (n == populationCount)
            return new TotalEstimate(sy, sy, sy, ratio, 0);
        if (n == 1)
            throw new ArgumentException("one sampled unit out of several: no variance can be estimated; sample at least 2", nameof(sampleX));
        double ss = 0, relative = 0, sx2 = 0;
        for (int i = 0; i < n; i++)
        {
            double e = sampleY[i] - (ratio * sampleX[i]);
            ss += e * e;
            relative += (e / sampleX[i]) * (e / sampleX[i]);
            sx2 += sampleX[i] * sampleX[i];
        }
        double residualVariance = ss / (n - 1);
        double fpc = 1 - ((double)n / populationCount);
        double variance = (double)populationCount * populationCount * fpc * residualVariance / n;
        if (populationXSquared is { } px2)
        {
            double unsampledX = Math.Max(0, populationX - sx), unsampledX2 = Math.Max(0, px2 - sx2);
            double model = relative / (n - 1) * (unsampledX2 + (unsampledX * unsampledX * sx2 / (sx * sx)));
            variance = Math.Max(variance, model);
        }
        double se = Math.Sqrt(variance);
        double half = StudentT975(n - 1) * se;
        return new TotalEstimate(total, Math.Max(sy, total - half), total + half, ratio, se);
    }

    private static readonly double[] T975 =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>
    /// The 97.5% quantile of Student's t with <paramref name="degreesOfFreedom"/> degrees of freedom: tabulated to 3
    /// decimals up to 30, then the Cornish–Fisher expansion around the normal quantile (error below 1e-4 beyond 30).
    /// </summary>
    public static double StudentT975(int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (degreesOfFreedom <= T975.Length)
            return T975[degreesOfFreedom - 1];
        const double z = 1.959963984540054;
        double v = degreesOfFreedom;
        double z3 = z * z * z, z5 = z3 * z * z;
        return z + ((z3 + z) / (4 * v)) + (((5 * z5) + (16 * z3) + (3 * z)) / (96 * v * v));
    }
}
