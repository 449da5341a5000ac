using System.Diagnostics.Metrics;

namespace PromptKit.Training;

/// <summary>The <c>PromptKit.Training</c> meter's instruments, shared by every trainer.</summary>
/// <remarks>Instruments: <c>promptkit.training.steps</c>, <c>promptkit.training.episodes</c>,
/// <c>promptkit.training.faulted_steps</c>, <c>promptkit.training.iterations</c> (counters);
/// <c>promptkit.training.episode_return</c>, <c>promptkit.training.step_reward</c>,
/// <c>promptkit.training.policy_loss</c>, <c>promptkit.training.value_loss</c>, <c>promptkit.training.entropy</c>,
/// <c>promptkit.training.approx_kl</c>, <c>promptkit.training.reference_kl</c> (histograms, one record per iteration).
/// Every measurement carries the tag <c>trainer</c> (<c>ppo</c>, <c>actor-critic</c> or <c>supervised</c>). Model calls
/// are counted by the <c>PromptKit.Evaluation</c> meter of the <see cref="PromptEvaluator"/> the environments use.</remarks>
internal sealed class TrainingMetrics : IDisposable
{
    public const string MeterName = "PromptKit.Training";

    private readonly Meter _meter;
    private readonly KeyValuePair<string, object?> _tag;
    private readonly Counter<long> _steps;
    private readonly Counter<long> _episodes;
    private readonly Counter<long> _faults;
    private readonly Counter<long> _iterations;
    private readonly Histogram<double> _episodeReturn;
    private readonly Histogram<double> _stepReward;
    private readonly Histogram<double> _policyLoss;
    private readonly Histogram<double> _valueLoss;
    private readonly Histogram<double> _entropy;
    private readonly Histogram<double> _approxKl;
    private readonly Histogram<double> _referenceKl;

    public TrainingMetrics(string trainer, IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _tag = new KeyValuePair<string, object?>("trainer", trainer);
        _steps = _meter.CreateCounter<long>("promptkit.training.steps", "{step}", "Environment steps taken.");
        _episodes = _meter.CreateCounter<long>("promptkit.training.episodes", "{episode}", "Episodes finished.");
        _faults = _meter.CreateCounter<long>("promptkit.training.faulted_steps", "{step}", "Steps whose reward could not be computed.");
        _iterations = _meter.CreateCounter<long>("promptkit.training.iterations", "{iteration}", "Training iterations (or epochs) finished.");
        _episodeReturn = _meter.CreateHistogram<double>("promptkit.training.episode_return", null, "Mean episode return per iteration.");
        _stepReward = _meter.CreateHistogram<double>("promptkit.training.step_reward", null, "Mean step reward per iteration.");
        _policyLoss = _meter.CreateHistogram<double>("promptkit.training.policy_loss", null, "Policy loss per iteration.");
        _valueLoss = _meter.CreateHistogram<double>("promptkit.training.value_loss", null, "Value (or supervised) loss per iteration.");
        _entropy = _meter.CreateHistogram<double>("promptkit.training.entropy", null, "Policy entropy per iteration.");
        _approxKl = _meter.CreateHistogram<double>("promptkit.training.approx_kl", null, "Approximate KL between successive policies.");
        _referenceKl = _meter.CreateHistogram<double>("promptkit.training.reference_kl", null, "KL to the reference policy.");
    }

    public void RecordIteration(TrainingProgress progress, long steps)
    {
        _iterations.Add(1, _tag);
        _steps.Add(steps, _tag);
        _episodes.Add(progress.Episodes, _tag);
        _faults.Add(progress.FaultedSteps, _tag);
        if (progress.MeanEpisodeReturn is double r)
        {
            _episodeReturn.Record(r, _tag);
        }

        _stepReward.Record(progress.MeanStepReward, _tag);
        _policyLoss.Record(progress.PolicyLoss, _tag);
        _valueLoss.Record(progress.ValueLoss, _tag);
        _entropy.Record(progress.Entropy, _tag);
        _approxKl.Record(progress.ApproximateKl, _tag);
        if (progress.ReferenceKl is double kl)
        {
            _referenceKl.Record(kl, _tag);
        }
    }

    public void RecordSupervisedEpoch(double loss)
    {
        _iterations.Add(1, _tag);
        _valueLoss.Record(loss, _tag);
    }

    public void Dispose() => _meter.Dispose();
}
