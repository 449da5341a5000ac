using System.Globalization;
using PromptKit.Training;

namespace PromptKit.Samples.PpoCartPole;

/// <summary>Prints the learning curve as training goes: synchronously, on the trainer's thread, unlike
/// <see cref="Progress{T}"/>, which posts to the thread pool and can print out of order.</summary>
internal sealed class ConsoleProgress : IProgress<TrainingProgress>
{
    private const int Every = 10;

    public void Report(TrainingProgress value)
    {
        if (value.Iteration % Every != 0 && value.Iteration != 1 && value.Iteration != value.TotalIterations)
        {
            return;
        }

        string meanReturn = value.MeanEpisodeReturn is double r ? r.ToString("F1", CultureInfo.InvariantCulture) : "-";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{value.Iteration,9} {value.TotalSteps,11:N0} {meanReturn,12} {value.Elapsed.TotalSeconds,10:F1}"));
    }
}
