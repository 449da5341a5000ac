namespace PromptKit.Internalization;

/// <summary>Where a <see cref="LanguageModelTrainer"/> run stands after an optimizer step.</summary>
/// <param name="Step">The steps finished (1-based).</param>
/// <param name="TotalSteps">The steps of the whole run.</param>
/// <param name="Epoch">The epoch of the step (1-based).</param>
/// <param name="Loss">The step's weighted mean token loss.</param>
/// <param name="LearningRate">The learning rate the step used.</param>
public readonly record struct LanguageModelTrainingProgress(int Step, int TotalSteps, int Epoch, double Loss, double LearningRate);
