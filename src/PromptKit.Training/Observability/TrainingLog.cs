using Microsoft.Extensions.Logging;

namespace PromptKit.Training;

/// <summary>The trainers' log messages (source-generated).</summary>
internal static partial class TrainingLog
{
    [LoggerMessage(1, LogLevel.Information, "{Trainer} iteration {Iteration}/{Iterations}: mean episode return {MeanReturn:F4}, mean step reward {MeanReward:F4}, policy loss {PolicyLoss:F4}, value loss {ValueLoss:F4}, entropy {Entropy:F4}, approx KL {ApproxKl:F5}, faulted steps {Faults}")]
    public static partial void Iteration(ILogger logger, string trainer, int iteration, int iterations, double meanReturn, double meanReward, double policyLoss, double valueLoss, double entropy, double approxKl, int faults);

    [LoggerMessage(2, LogLevel.Warning, "{Trainer}: the step of environment slot {Slot} was dropped after its reward could not be computed ({Reason}); the episode ends there")]
    public static partial void StepDropped(ILogger logger, string trainer, int slot, string reason);

    [LoggerMessage(3, LogLevel.Information, "{Trainer}: checkpoint written to {Path} after iteration {Iteration}")]
    public static partial void CheckpointWritten(ILogger logger, string trainer, string path, int iteration);

    [LoggerMessage(4, LogLevel.Information, "{Trainer}: resumed from {Path} after iteration {Iteration} (environment states restored: {Restored}; when false, new episodes were started)")]
    public static partial void Resumed(ILogger logger, string trainer, string path, int iteration, bool restored);

    [LoggerMessage(5, LogLevel.Information, "{Trainer}: cancelled after {Iteration} finished iteration(s); the checkpoint holds the last finished one")]
    public static partial void Cancelled(ILogger logger, string trainer, int iteration);

    [LoggerMessage(6, LogLevel.Information, "{Trainer}: stopped the update after epoch {Epoch}, minibatch {MiniBatch}: approximate KL {Kl:F5} exceeded 1.5 × target {Target}")]
    public static partial void EarlyStop(ILogger logger, string trainer, int epoch, int miniBatch, double kl, double target);

    [LoggerMessage(7, LogLevel.Information, "supervised epoch {Epoch}/{Epochs}: loss {Loss:F5}, accuracy {Accuracy:F4}, validation loss {ValidationLoss:F5}, validation accuracy {ValidationAccuracy:F4}")]
    public static partial void SupervisedEpoch(ILogger logger, int epoch, int epochs, double loss, double accuracy, double validationLoss, double validationAccuracy);

    [LoggerMessage(8, LogLevel.Information, "{Trainer} iteration {Iteration}: validation score {Score:F4} (best so far: {Best})")]
    public static partial void Validated(ILogger logger, string trainer, int iteration, double score, bool best);

    [LoggerMessage(9, LogLevel.Information, "{Trainer}: training ends with the weights of iteration {Iteration}, the best on validation ({Score:F4})")]
    public static partial void BestWeightsKept(ILogger logger, string trainer, int iteration, double score);

    [LoggerMessage(10, LogLevel.Warning, "rewriter labels: {Skipped} of {Count} examples had no successful candidate (every frozen-model call failed or was rejected) and got no label")]
    public static partial void UnlabelledExamples(ILogger logger, int skipped, int count);
}
