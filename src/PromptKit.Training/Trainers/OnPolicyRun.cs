using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptKit.Training;

/// <summary>The loop every on-policy trainer shares: parallel rollouts with fault handling, GAE, the update, progress,
/// metrics, the learning curve and atomic checkpoints with exact resumption.</summary>
internal sealed class OnPolicyRun : IDisposable
{
    private readonly OnPolicyTrainerOptions _options;
    private readonly IOnPolicyUpdate _update;
    private readonly ActorCriticModel _model;
    private readonly ActorCriticModel? _reference;
    private readonly Func<int, IEnvironment> _environmentFactory;
    private readonly ILogger _logger;
    private readonly TrainingMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly IEnvironment[] _environments;
    private readonly float[][] _observations;
    private readonly double[] _episodeReturns;
    private readonly int[] _episodeLengths;
    private readonly bool[] _stepRecorded;
    private readonly TrainingRandom _random;
    private readonly RolloutBuffer _buffer;
    private readonly Adam _actorOptimizer;
    private readonly Adam _criticOptimizer;
    private readonly Tensor _stepObservations;
    private readonly float[] _lastObservations;
    private readonly float[][] _logits;
    private readonly Task<(EnvironmentStep Step, int Faults)>[] _tasks;
    private readonly int[][] _actions;
    private long _totalSteps;
    private long _totalEpisodes;
    private long _totalFaults;
    private int _completedIterations;

    // Validation (OnPolicyTrainerOptions.Validation): the best score so far, its iteration (0: none yet), its weights
    // (with KeepBestWeights) and the last validated iteration; all of it travels in the checkpoint.
    private double _bestScore = double.NegativeInfinity;
    private int _bestIteration;
    private byte[]? _bestWeights;
    private int _lastValidated;

    public OnPolicyRun(
        OnPolicyTrainerOptions options,
        IOnPolicyUpdate update,
        ActorCriticModel model,
        ActorCriticModel? reference,
        Func<int, IEnvironment> environmentFactory,
        ILogger logger,
        TrainingMetrics metrics,
        TimeProvider timeProvider)
    {
        _options = options;
        _update = update;
        _model = model;
        _reference = reference;
        _environmentFactory = environmentFactory;
        _logger = logger;
        _metrics = metrics;
        _timeProvider = timeProvider;
        int e = options.EnvironmentCount;
        _environments = new IEnvironment[e];
        _observations = new float[e][];
        _episodeReturns = new double[e];
        _episodeLengths = new int[e];
        _stepRecorded = new bool[e];
        _tasks = new Task<(EnvironmentStep, int)>[e];
        _random = new TrainingRandom(options.Seed);
        bool masked = false;
        for (int i = 0; i < e; i++)
        {
            IEnvironment environment = environmentFactory(i) ?? throw new InvalidOperationException($"The environment factory returned null for slot {i}; return a new environment for each slot.");
            ValidateEnvironment(environment, i);
            for (int j = 0; j < i; j++)
            {
                if (ReferenceEquals(_environments[j], environment))
                {
                    throw new InvalidOperationException($"The environment factory returned the same instance for slots {j} and {i}; environments hold one episode each, so return a new instance per slot.");
                }
            }

            masked |= environment is IMaskedEnvironment;
            _environments[i] = environment;
        }

        _buffer = new RolloutBuffer(options.StepsPerEnvironment, e, model.ObservationSize, model.ActionCounts, masked);
        _logits = new float[model.AgentCount][];
        for (int i = 0; i < model.AgentCount; i++)
        {
            _logits[i] = new float[e * model.ActionCounts[i]];
        }

        _actions = new int[e][];
        for (int i = 0; i < e; i++)
        {
            _actions[i] = new int[model.AgentCount];
        }

        _stepObservations = zeros([e, model.ObservationSize], ScalarType.Float32);
        _lastObservations = new float[e * model.ObservationSize];
        var actorParameters = new List<Parameter>();
        for (int i = 0; i < model.AgentCount; i++)
        {
            actorParameters.AddRange(model.GetActor(i).parameters());
        }

        _actorOptimizer = optim.Adam(actorParameters, options.ActorLearningRate, eps: 1e-5);
        _criticOptimizer = optim.Adam(model.Critic.parameters(), options.CriticLearningRate, eps: 1e-5);
    }

    /// <summary>Runs one training call: metrics and the run live exactly as long as it.</summary>
    public static async Task<TrainingResult> TrainAsync(
        OnPolicyTrainerOptions options,
        IOnPolicyUpdate update,
        ActorCriticModel model,
        ActorCriticModel? reference,
        Func<int, IEnvironment> environmentFactory,
        ILogger logger,
        IMeterFactory? meterFactory,
        TimeProvider timeProvider,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        using var metrics = new TrainingMetrics(update.Kind, meterFactory);
        using var run = new OnPolicyRun(options, update, model, reference, environmentFactory, logger, metrics, timeProvider);
        return await run.RunAsync(progress, cancellationToken).ConfigureAwait(false);
    }

    public static void ValidateReference(ActorCriticModel model, ActorCriticModel? reference, string paramName)
    {
        if (reference is null)
        {
            return;
        }

        if (ReferenceEquals(reference, model))
        {
            throw new ArgumentException("The reference policy is the model being trained; pass a frozen copy (model.Clone()).", paramName);
        }

        if (reference.ObservationSize != model.ObservationSize || !reference.ActionCounts.SequenceEqual(model.ActionCounts))
        {
            throw new ArgumentException($"The reference policy has observation size {reference.ObservationSize} and action counts [{string.Join(", ", reference.ActionCounts)}]; the model has {model.ObservationSize} and [{string.Join(", ", model.ActionCounts)}].", paramName);
        }
    }

    public async Task<TrainingResult> RunAsync(IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        long started = _timeProvider.GetTimestamp();
        int resumedAfter = await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var history = ImmutableArray.CreateBuilder<TrainingProgress>();
        int lastCheckpointed = _completedIterations;

        // The state at the start of an iteration is the state right after the previous update: captured once per
        // iteration (after the update), it serves both the periodic checkpoint and the one written on cancellation.
        ResumeState? resumeState = _options.CheckpointPath is null ? null : CaptureResumeState();
        _model.train();
        try
        {
            // A run stopped while it validated resumes by validating that iteration first.
            if (_completedIterations > _lastValidated && IsValidationIteration(_completedIterations))
            {
                await ValidateAsync(_completedIterations, cancellationToken).ConfigureAwait(false);
            }

            for (int iteration = _completedIterations + 1; iteration <= _options.Iterations; iteration++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                double learningRate = SetLearningRates(iteration);
                long stepsBefore = _totalSteps;
                RolloutStatistics rollout = await CollectRolloutAsync(cancellationToken).ConfigureAwait(false);
                ComputeAdvantages();
                UpdateStatistics update;
                using (var tensors = new RolloutTensors(_buffer))
                {
                    var context = new OnPolicyUpdateContext(_model, _reference, _buffer, tensors, _actorOptimizer, _criticOptimizer, _random);
                    // The update runs to the end: stopping between minibatches would leave weights and optimizers past the
                    // state captured for the checkpoint. Cancellation is honoured before and after it.
                    update = _update.Update(context, CancellationToken.None);
                }

                _completedIterations = iteration;
                double? validationScore = IsValidationIteration(iteration)
                    ? await ValidateAsync(iteration, cancellationToken).ConfigureAwait(false)
                    : null;
                TrainingProgress report = CreateProgress(iteration, rollout, update, learningRate, started, validationScore);
                history.Add(report);
                _metrics.RecordIteration(report, _totalSteps - stepsBefore);
                if (_options.LearningCurvePath is string curve)
                {
                    LearningCurveCsv.Append(curve, report);
                }

                TrainingLog.Iteration(_logger, _update.Kind, iteration, _options.Iterations, report.MeanEpisodeReturn ?? double.NaN, report.MeanStepReward, report.PolicyLoss, report.ValueLoss, report.Entropy, report.ApproximateKl, report.FaultedSteps);
                progress?.Report(report);
                if (_options.CheckpointPath is string path)
                {
                    resumeState = CaptureResumeState();
                    if (iteration % _options.CheckpointInterval == 0 || iteration == _options.Iterations)
                    {
                        WriteCheckpoint(path, resumeState);
                        lastCheckpointed = iteration;
                    }
                }
            }
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested || ex is CallBudgetExceededException or ModelUnavailableException)
        {
            // Cancelled, or the frozen model's call budget is spent, or the model stopped answering (clean stops too). Keep every finished update: the model and optimizers are as the last finished iteration left them, and
            // resumeState was captured right after that iteration, before the cancelled rollout touched anything. A
            // cancelled validation leaves the last update uncaptured; nothing but the model has changed since it, so
            // it is captured now.
            if (_options.CheckpointPath is string path && resumeState is not null && _completedIterations > lastCheckpointed)
            {
                if (resumeState.Iteration < _completedIterations)
                {
                    resumeState = CaptureResumeState();
                }

                WriteCheckpoint(path, resumeState);
            }

            TrainingLog.Cancelled(_logger, _update.Kind, _completedIterations);
            throw;
        }

        if (_bestWeights is not null && _options.Validation is not null && _options.KeepBestWeights)
        {
            LoadWeights(_bestWeights);
            TrainingLog.BestWeightsKept(_logger, _update.Kind, _bestIteration, _bestScore);
        }

        return new TrainingResult(
            _model,
            history.ToImmutable(),
            resumedAfter,
            _timeProvider.GetElapsedTime(started),
            _bestIteration == 0 ? null : _bestIteration,
            _bestIteration == 0 ? null : _bestScore);
    }

    private bool IsValidationIteration(int iteration) =>
        _options.Validation is not null && (iteration % _options.ValidateEvery == 0 || iteration == _options.Iterations);

    private async Task<double> ValidateAsync(int iteration, CancellationToken cancellationToken)
    {
        double score = await _options.Validation!(_model, cancellationToken).ConfigureAwait(false);
        if (!double.IsFinite(score))
        {
            throw new InvalidOperationException($"The validation returned {score} after iteration {iteration}; OnPolicyTrainerOptions.Validation must return a finite score.");
        }

        _lastValidated = iteration;
        bool best = _bestIteration == 0 || score > _bestScore;
        if (best)
        {
            (_bestScore, _bestIteration) = (score, iteration);
            _bestWeights = _options.KeepBestWeights ? SaveWeights() : null;
        }

        TrainingLog.Validated(_logger, _update.Kind, iteration, score, best);
        return score;
    }

    private byte[] SaveWeights()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            _model.WriteWeights(writer);
        }

        return buffer.ToArray();
    }

    private void LoadWeights(byte[] weights)
    {
        using var stream = new MemoryStream(weights, writable: false);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8);
        _model.ReadWeights(reader, "(best validation weights)");
    }

    public void Dispose()
    {
        _stepObservations.Dispose();
        _actorOptimizer.Dispose();
        _criticOptimizer.Dispose();
    }

    private async Task<int> InitializeAsync(CancellationToken cancellationToken)
    {
        if (_options.CheckpointPath is string path && _options.ResumeFromCheckpoint && File.Exists(path))
        {
            bool restoredEnvironments = ReadCheckpoint(path);
            TrainingLog.Resumed(_logger, _update.Kind, path, _completedIterations, restoredEnvironments);
            if (!restoredEnvironments)
            {
                for (int i = 0; i < _environments.Length; i++)
                {
                    await ResetAsync(i, cancellationToken).ConfigureAwait(false);
                }
            }

            return _completedIterations;
        }

        for (int i = 0; i < _environments.Length; i++)
        {
            await ResetAsync(i, cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    private double SetLearningRates(int iteration)
    {
        double fraction = _options.AnnealLearningRate ? 1.0 - ((iteration - 1.0) / _options.Iterations) : 1.0;
        double actor = _options.ActorLearningRate * fraction;
        foreach (ParamGroup group in _actorOptimizer.ParamGroups)
        {
            group.LearningRate = actor;
        }

        foreach (ParamGroup group in _criticOptimizer.ParamGroups)
        {
            group.LearningRate = _options.CriticLearningRate * fraction;
        }

        return actor;
    }

    private async Task<RolloutStatistics> CollectRolloutAsync(CancellationToken cancellationToken)
    {
        var stats = new RolloutStatistics();
        int environments = _environments.Length;
        int agents = _model.AgentCount;
        int observationSize = _model.ObservationSize;
        RolloutBuffer buffer = _buffer;
        Array.Clear(_stepRecorded);
        for (int t = 0; t < buffer.Steps; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            StageObservations(buffer.Observations.AsSpan(t * environments * observationSize, environments * observationSize));

            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                for (int i = 0; i < agents; i++)
                {
                    _model.Logits(i, _stepObservations).to_type(ScalarType.Float32).contiguous().data<float>().CopyTo(_logits[i]);
                }

                CopyValues(_stepObservations, buffer.Values.AsSpan(t * environments, environments));
            }

            for (int e = 0; e < environments; e++)
            {
                int slot = (t * environments) + e;
                for (int i = 0; i < agents; i++)
                {
                    int count = _model.ActionCounts[i];
                    ReadOnlySpan<float> logits = _logits[i].AsSpan(e * count, count);
                    Span<bool> mask = default;
                    if (buffer.Masks is bool[] masks)
                    {
                        mask = masks.AsSpan((slot * buffer.TotalActions) + buffer.ActionOffsets[i], count);
                        if (_environments[e] is IMaskedEnvironment masked)
                        {
                            masked.GetActionMask(i, mask);
                        }
                        else
                        {
                            mask.Fill(true);
                        }
                    }

                    int action = PolicyMath.Sample(logits, _random, mask);
                    buffer.Actions[(slot * agents) + i] = action;
                    buffer.LogProbabilities[(slot * agents) + i] = PolicyMath.LogProbability(logits, action, mask);
                }

                int[] actions = _actions[e];
                for (int i = 0; i < agents; i++)
                {
                    actions[i] = (int)buffer.Actions[(slot * agents) + i];
                }

                _tasks[e] = StepWithRetriesAsync(_environments[e], actions, cancellationToken);
            }

            await Task.WhenAll(_tasks).ConfigureAwait(false);
            for (int e = 0; e < environments; e++)
            {
                int slot = (t * environments) + e;
                (EnvironmentStep step, int faults) = await _tasks[e].ConfigureAwait(false);
                _totalSteps++;
                stats.FaultedSteps += faults;
                _totalFaults += faults;
                if (step.IsFaulted && _options.FaultPolicy != RolloutFaultPolicy.ZeroReward)
                {
                    // Dropped: no weight, and the episode ends at the previous recorded step, bootstrapped from V(s).
                    stats.DroppedSteps++;
                    buffer.Weights[slot] = 0;
                    buffer.Rewards[slot] = 0;
                    buffer.EpisodeEnds[slot] = 1;
                    if (t > 0 && _stepRecorded[e] && buffer.EpisodeEnds[slot - environments] == 0)
                    {
                        buffer.Rewards[slot - environments] += (float)(_options.Gamma * buffer.Values[slot]);
                        buffer.EpisodeEnds[slot - environments] = 1;
                    }

                    TrainingLog.StepDropped(_logger, _update.Kind, e, step.FaultReason ?? "fault");
                    await ResetAsync(e, cancellationToken).ConfigureAwait(false);
                    _stepRecorded[e] = false;
                    continue;
                }

                _stepRecorded[e] = true;
                buffer.Weights[slot] = 1;
                float reward = step.IsFaulted ? 0f : (float)step.Reward;
                stats.RewardSum += reward;
                stats.RecordedSteps++;
                _episodeReturns[e] += reward;
                _episodeLengths[e]++;
                if (step.IsFaulted)
                {
                    // ZeroReward: the state is unchanged, the episode goes on.
                    buffer.Rewards[slot] = 0;
                    buffer.EpisodeEnds[slot] = 0;
                    continue;
                }

                CopyObservation(step, e);
                if (step.IsDone)
                {
                    if (step.IsTruncated && !step.IsTerminal)
                    {
                        reward += (float)(_options.Gamma * EstimateValue(_observations[e]));
                    }

                    buffer.Rewards[slot] = reward;
                    buffer.EpisodeEnds[slot] = 1;
                    stats.AddEpisode(_episodeReturns[e], _episodeLengths[e]);
                    _totalEpisodes++;
                    await ResetAsync(e, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    buffer.Rewards[slot] = reward;
                    buffer.EpisodeEnds[slot] = 0;
                }
            }
        }

        StageObservations(_lastObservations);
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            CopyValues(_stepObservations, buffer.LastValues);
        }

        return stats;
    }

    /// <summary>Copies every slot's current observation into <paramref name="destination"/> and into the step tensor.</summary>
    private void StageObservations(Span<float> destination)
    {
        int observationSize = _model.ObservationSize;
        for (int e = 0; e < _environments.Length; e++)
        {
            _observations[e].CopyTo(destination.Slice(e * observationSize, observationSize));
        }

        _stepObservations.data<float>().CopyFrom(destination);
    }

    private void CopyValues(Tensor observations, Span<float> destination) =>
        _model.Values(observations).to_type(ScalarType.Float32).contiguous().data<float>().CopyTo(destination);

    private async Task<(EnvironmentStep Step, int Faults)> StepWithRetriesAsync(IEnvironment environment, int[] actions, CancellationToken cancellationToken)
    {
        int faults = 0;
        int retries = _options.FaultPolicy == RolloutFaultPolicy.Retry ? _options.MaxFaultRetries : 0;
        while (true)
        {
            EnvironmentStep step = await environment.StepAsync(actions, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"{environment.GetType().Name}.{nameof(IEnvironment.StepAsync)} returned null.");
            if (!step.IsFaulted)
            {
                return (step, faults);
            }

            faults++;
            if (faults > retries)
            {
                return (step, faults);
            }
        }
    }

    private async Task ResetAsync(int slot, CancellationToken cancellationToken)
    {
        IEnvironment environment = _environments[slot];
        EnvironmentStep first = await environment.ResetAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{environment.GetType().Name}.{nameof(IEnvironment.ResetAsync)} returned null.");
        if (first.IsFaulted || first.IsDone)
        {
            throw new InvalidOperationException($"{environment.GetType().Name}.{nameof(IEnvironment.ResetAsync)} returned a {(first.IsFaulted ? "faulted" : "finished")} step for slot {slot}; a reset must start a running episode.");
        }

        CopyObservation(first, slot);
        _episodeReturns[slot] = 0;
        _episodeLengths[slot] = 0;
    }

    private void CopyObservation(EnvironmentStep step, int slot)
    {
        if (step.Observation.Length != _model.ObservationSize)
        {
            throw new InvalidOperationException($"Environment slot {slot} returned an observation of length {step.Observation.Length}; the model expects {_model.ObservationSize}.");
        }

        float[] destination = _observations[slot] ??= new float[_model.ObservationSize];
        step.Observation.AsSpan().CopyTo(destination);
    }

    private float EstimateValue(float[] observation)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor input = tensor(observation, [1, observation.Length]);
        return _model.Values(input).to_type(ScalarType.Float32).item<float>();
    }

    private void ComputeAdvantages()
    {
        RolloutBuffer b = _buffer;
        AdvantageEstimation.ComputeGae(b.Rewards, b.Values, b.EpisodeEnds, b.LastValues, _options.Gamma, _options.GaeLambda, b.Advantages, b.Returns);
        if (_options.CenterAdvantagesPerEpisode)
        {
            AdvantageEstimation.CenterPerEpisode(b.Advantages, b.EpisodeEnds, b.Weights, b.Environments);
        }
    }

    private TrainingProgress CreateProgress(int iteration, RolloutStatistics rollout, UpdateStatistics update, double learningRate, long started, double? validationScore) => new()
    {
        Iteration = iteration,
        TotalIterations = _options.Iterations,
        TotalSteps = _totalSteps,
        TotalEpisodes = _totalEpisodes,
        Episodes = rollout.Episodes,
        MeanEpisodeReturn = rollout.Episodes == 0 ? null : rollout.ReturnSum / rollout.Episodes,
        MeanEpisodeLength = rollout.Episodes == 0 ? null : (double)rollout.LengthSum / rollout.Episodes,
        MeanStepReward = rollout.RecordedSteps == 0 ? 0 : rollout.RewardSum / rollout.RecordedSteps,
        PolicyLoss = update.PolicyLoss,
        ValueLoss = update.ValueLoss,
        Entropy = update.Entropy,
        ApproximateKl = update.ApproximateKl,
        ClipFraction = update.ClipFraction,
        ReferenceKl = update.ReferenceKl,
        KlCoefficient = _update.KlCoefficient,
        ExplainedVariance = ExplainedVariance(),
        LearningRate = learningRate,
        UpdateEpochs = update.Epochs,
        FaultedSteps = rollout.FaultedSteps,
        DroppedSteps = rollout.DroppedSteps,
        TotalFaultedSteps = _totalFaults,
        Elapsed = _timeProvider.GetElapsedTime(started),
        ValidationScore = validationScore,
    };

    private double ExplainedVariance()
    {
        RolloutBuffer b = _buffer;
        double n = 0, meanReturn = 0, meanError = 0;
        for (int i = 0; i < b.Size; i++)
        {
            if (b.Weights[i] > 0)
            {
                n++;
                meanReturn += b.Returns[i];
                meanError += b.Returns[i] - b.Values[i];
            }
        }

        if (n < 2)
        {
            return 0;
        }

        meanReturn /= n;
        meanError /= n;
        double varReturn = 0, varError = 0;
        for (int i = 0; i < b.Size; i++)
        {
            if (b.Weights[i] > 0)
            {
                double r = b.Returns[i] - meanReturn;
                double err = b.Returns[i] - b.Values[i] - meanError;
                varReturn += r * r;
                varError += err * err;
            }
        }

        return varReturn == 0 ? 0 : 1.0 - (varError / varReturn);
    }

    private void ValidateEnvironment(IEnvironment environment, int slot)
    {
        if (environment.ObservationSize != _model.ObservationSize)
        {
            throw new InvalidOperationException($"Environment slot {slot} has observation size {environment.ObservationSize}; the model expects {_model.ObservationSize}.");
        }

        IReadOnlyList<int> counts = environment.ActionCounts;
        if (counts is null || counts.Count != _model.AgentCount)
        {
            throw new InvalidOperationException($"Environment slot {slot} has {counts?.Count ?? 0} agent(s); the model has {_model.AgentCount}.");
        }

        for (int i = 0; i < counts.Count; i++)
        {
            if (counts[i] != _model.ActionCounts[i])
            {
                throw new InvalidOperationException($"Environment slot {slot} gives agent {i} {counts[i]} actions; the model's actor {i} has {_model.ActionCounts[i]}.");
            }
        }
    }

    private ResumeState CaptureResumeState()
    {
        var state = new ResumeState
        {
            Iteration = _completedIterations,
            TotalSteps = _totalSteps,
            TotalEpisodes = _totalEpisodes,
            TotalFaults = _totalFaults,
            KlCoefficient = _update.KlCoefficient,
            Random = new byte[TrainingRandom.StateSize],
            Environments = new byte[_environments.Length][],
            Observations = new float[_environments.Length][],
            EpisodeReturns = (double[])_episodeReturns.Clone(),
            EpisodeLengths = (int[])_episodeLengths.Clone(),
        };
        _random.GetState(state.Random);
        bool all = true;
        for (int i = 0; i < _environments.Length; i++)
        {
            state.Observations[i] = (float[])_observations[i].Clone();
            if (_environments[i] is ICheckpointableEnvironment checkpointable)
            {
                using var buffer = new MemoryStream();
                using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
                {
                    checkpointable.SaveState(writer);
                }

                state.Environments[i] = buffer.ToArray();
            }
            else
            {
                all = false;
            }
        }

        state.HasEnvironments = all;
        return state;
    }

    private string Fingerprint() =>
        $"{_update.Kind};envs={_options.EnvironmentCount};steps={_options.StepsPerEnvironment};{_model.ArchitectureFingerprint()}";

    private void WriteCheckpoint(string path, ResumeState state)
    {
        CheckpointFile.Write(path, CheckpointFile.TrainerKind, writer =>
        {
            writer.Write(Fingerprint());
            writer.Write(state.Iteration);
            writer.Write(state.TotalSteps);
            writer.Write(state.TotalEpisodes);
            writer.Write(state.TotalFaults);
            writer.Write(state.KlCoefficient);
            writer.Write(state.Random);
            _model.WriteWeights(writer);
            CheckpointFile.WriteOptimizer(writer, _actorOptimizer);
            CheckpointFile.WriteOptimizer(writer, _criticOptimizer);
            writer.Write(state.HasEnvironments);
            for (int i = 0; i < _environments.Length; i++)
            {
                foreach (float value in state.Observations[i])
                {
                    writer.Write(value);
                }

                writer.Write(state.EpisodeReturns[i]);
                writer.Write(state.EpisodeLengths[i]);
                if (state.HasEnvironments)
                {
                    writer.Write(state.Environments[i].Length);
                    writer.Write(state.Environments[i]);
                }
            }

            writer.Write(_lastValidated);
            writer.Write(_bestIteration);
            writer.Write(_bestScore);
            writer.Write(_bestWeights?.Length ?? -1);
            if (_bestWeights is not null)
            {
                writer.Write(_bestWeights);
            }
        });
        TrainingLog.CheckpointWritten(_logger, _update.Kind, path, state.Iteration);
    }

    // The first few entries in which a checkpoint's fingerprint differs from this run's (the whole strings list every
    // parameter's shape and are too long to read).
    private static string FingerprintDifference(string saved, string expected)
    {
        string[] a = saved.Split(';');
        string[] b = expected.Split(';');
        var differences = new List<string>(3);
        for (int i = 0; i < Math.Max(a.Length, b.Length) && differences.Count < 3; i++)
        {
            string left = i < a.Length ? a[i] : "(nothing)";
            string right = i < b.Length ? b[i] : "(nothing)";
            if (!string.Equals(left, right, StringComparison.Ordinal))
            {
                differences.Add($"'{left}' in the checkpoint, '{right}' in this run");
            }
        }

        string counts = a.Length == b.Length ? string.Empty : $"; {a.Length} entries against {b.Length}";
        return string.Join("; ", differences) + counts;
    }

    private bool ReadCheckpoint(string path)
    {
        bool restored = false;
        CheckpointFile.Read(path, CheckpointFile.TrainerKind, reader =>
        {
            string fingerprint = reader.ReadString();
            string expected = Fingerprint();
            if (!string.Equals(fingerprint, expected, StringComparison.Ordinal))
            {
                throw new CheckpointException($"The checkpoint '{path}' was written by another trainer configuration ({FingerprintDifference(fingerprint, expected)}). Delete it or set another CheckpointPath.", path);
            }

            _completedIterations = reader.ReadInt32();
            _totalSteps = reader.ReadInt64();
            _totalEpisodes = reader.ReadInt64();
            _totalFaults = reader.ReadInt64();
            _update.KlCoefficient = reader.ReadDouble();
            _random.SetState(reader.ReadBytes(TrainingRandom.StateSize));
            _model.ReadWeights(reader, path);
            CheckpointFile.ReadOptimizer(reader, _actorOptimizer);
            CheckpointFile.ReadOptimizer(reader, _criticOptimizer);
            bool hasEnvironments = reader.ReadBoolean();
            var saved = new byte[_environments.Length][];
            for (int i = 0; i < _environments.Length; i++)
            {
                float[] observation = _observations[i] = new float[_model.ObservationSize];
                for (int j = 0; j < observation.Length; j++)
                {
                    observation[j] = reader.ReadSingle();
                }

                _episodeReturns[i] = reader.ReadDouble();
                _episodeLengths[i] = reader.ReadInt32();
                if (hasEnvironments)
                {
                    saved[i] = reader.ReadBytes(reader.ReadInt32());
                }
            }

            _lastValidated = reader.ReadInt32();
            _bestIteration = reader.ReadInt32();
            _bestScore = reader.ReadDouble();
            int bestLength = reader.ReadInt32();
            _bestWeights = bestLength < 0 ? null : reader.ReadBytes(bestLength);
            restored = hasEnvironments && Array.TrueForAll(_environments, static e => e is ICheckpointableEnvironment);
            if (restored)
            {
                for (int i = 0; i < _environments.Length; i++)
                {
                    using var stream = new MemoryStream(saved[i], writable: false);
                    using var environmentReader = new BinaryReader(stream, System.Text.Encoding.UTF8);
                    ((ICheckpointableEnvironment)_environments[i]).LoadState(environmentReader);
                }
            }
        });

        if (_completedIterations > _options.Iterations)
        {
            throw new CheckpointException($"The checkpoint '{path}' is at iteration {_completedIterations}, past the {_options.Iterations} iterations configured.", path);
        }

        return restored;
    }

    private sealed class RolloutStatistics
    {
        public int Episodes { get; private set; }

        public double ReturnSum { get; private set; }

        public long LengthSum { get; private set; }

        public double RewardSum { get; set; }

        public int RecordedSteps { get; set; }

        public int FaultedSteps { get; set; }

        public int DroppedSteps { get; set; }

        public void AddEpisode(double episodeReturn, int length)
        {
            Episodes++;
            ReturnSum += episodeReturn;
            LengthSum += length;
        }
    }

    private sealed class ResumeState
    {
        public int Iteration { get; init; }

        public long TotalSteps { get; init; }

        public long TotalEpisodes { get; init; }

        public long TotalFaults { get; init; }

        public double KlCoefficient { get; init; }

        public required byte[] Random { get; init; }

        public required byte[][] Environments { get; init; }

        public required float[][] Observations { get; init; }

        public required double[] EpisodeReturns { get; init; }

        public required int[] EpisodeLengths { get; init; }

        public bool HasEnvironments { get; set; }
    }
}
