using System.Globalization;
using CsCheck;
using Xunit.Sdk;

namespace PromptKit.Tests;

/// <summary>
/// Runs a CsCheck property with every iteration seeded. CsCheck's <c>seed</c> argument fixes only the first iteration
/// (the later ones draw from a thread-local generator), so a test given a seed still sees new cases on every run. Here
/// iteration <c>i</c> runs alone with its own seed, <c>new PCG(i, baseSeed)</c>: a run is the same on every machine and
/// every time, and a failure prints the iteration, the base seed and the case seed that replays exactly that case
/// (<c>gen.Sample(assert, seed: "…", iter: 1)</c>).
/// </summary>
/// <remarks>Set <c>PROMPTKIT_PROPERTY_SEED</c> to another base seed to explore new cases on purpose (decimal).</remarks>
internal static class PropertyCheck
{
    /// <summary>The environment variable that replaces every test's base seed.</summary>
    public const string SeedVariable = "PROMPTKIT_PROPERTY_SEED";

    /// <summary>Runs <paramref name="assert"/> on <paramref name="iterations"/> values of <paramref name="gen"/>.</summary>
    /// <returns>The number of cases run.</returns>
    public static int SampleSeeded<T>(this Gen<T> gen, Action<T> assert, int iterations, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(gen);
        ArgumentNullException.ThrowIfNull(assert);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        ulong baseSeed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } text
            ? ulong.Parse(text, CultureInfo.InvariantCulture)
            : seed;
        for (int i = 0; i < iterations; i++)
        {
            string caseSeed = CaseSeed(baseSeed, i);
            try
            {
                gen.Sample(assert, seed: caseSeed, iter: 1, threads: 1);
            }
            catch (Exception ex)
            {
                throw new XunitException(
                    $"Property failed at iteration {i} of {iterations} (base seed {baseSeed}); replay the case with seed: \"{caseSeed}\", iter: 1.{Environment.NewLine}{ex.Message}{Environment.NewLine}{ex.InnerException?.Message}",
                    ex);
            }
        }

        return iterations;
    }

    /// <summary>The CsCheck seed string of iteration <paramref name="iteration"/> under <paramref name="baseSeed"/>.</summary>
    public static string CaseSeed(ulong baseSeed, int iteration) => new PCG((uint)iteration, baseSeed).ToString();
}
