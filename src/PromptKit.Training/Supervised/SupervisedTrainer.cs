using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptKit.Training;

/// <summary>Behaviour cloning: fits the actors of an <see cref="ActorCriticModel"/> to labelled best actions with
/// (optionally label-smoothed) cross-entropy under action masks — the supervised stage before RL fine-tuning.</summary>
/// <remarks>
/// <para>Only the actors are trained; the critic is left as it is. Each agent's loss covers the examples that label it.
/// With <see cref="SupervisedTrainerOptions.LabelSmoothing"/> ε, the target puts 1 − ε on the label and spreads ε over
/// the allowed actions (never over masked ones).</para>
/// <para>The work is CPU- (or GPU-) bound and runs on the calling thread; cancellation is checked at every minibatch and
/// leaves the model with the weights of the last finished minibatch. The trainer is stateless and thread-safe.</para>
/// </remarks>
public sealed class SupervisedTrainer
{
    private const float MaskedLogit = -1e9f;
    private readonly SupervisedTrainerOptions _options;
    private readonly ILogger _logger;
    private readonly IMeterFactory? _meterFactory;

    /// <summary>Initializes a new instance of the <see cref="SupervisedTrainer"/> class.</summary>
    /// <param name="options">The settings; validated now, and copied.</param>
    /// <param name="loggerFactory">The logger factory, or <see langword="null"/> for none.</param>
    /// <param name="meterFactory">The meter factory for the <c>PromptKit.Training</c> meter, or <see langword="null"/>.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    public SupervisedTrainer(SupervisedTrainerOptions? options = null, ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
    {
        _options = OptionsCopy.Clone(options ?? new SupervisedTrainerOptions());
        SupervisedTrainerOptionsValidator.ThrowIfInvalid(_options);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SupervisedTrainer>();
        _meterFactory = meterFactory;
    }

    /// <summary>Gets a copy of the settings.</summary>
    public SupervisedTrainerOptions Options => OptionsCopy.Clone(_options);

    /// <summary>Trains the model's actors on <paramref name="examples"/>.</summary>
    /// <param name="model">The model whose actors are fitted in place.</param>
    /// <param name="examples">The training examples.</param>
    /// <param name="validation">Held-out examples for the validation figures and early stopping, or <see langword="null"/>.</param>
    /// <param name="progress">Receives one report per epoch, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>The per-epoch history.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="examples"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="examples"/> is empty, or an example does not fit the model
    /// (observation size, label count, a label out of range or masked out, mask length); the message names its index.</exception>
    /// <exception cref="InvalidOperationException">Early stopping is configured but no validation examples are given.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public SupervisedTrainingResult Train(
        ActorCriticModel model,
        IReadOnlyList<SupervisedExample> examples,
        IReadOnlyList<SupervisedExample>? validation = null,
        IProgress<SupervisedEpoch>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0)
        {
            throw new ArgumentException("At least one training example is required.", nameof(examples));
        }

        if (_options.EarlyStoppingPatience is not null && (validation is null || validation.Count == 0))
        {
            throw new InvalidOperationException("EarlyStoppingPatience is set, which needs validation examples; pass some or set EarlyStoppingPatience to null.");
        }

        using var metrics = new TrainingMetrics("supervised", _meterFactory);
        using var train = ExampleTensors.Create(model, examples, nameof(examples));
        using var held = validation is { Count: > 0 } ? ExampleTensors.Create(model, validation, nameof(validation)) : null;
        var parameters = new List<Parameter>();
        for (int i = 0; i < model.AgentCount; i++)
        {
            parameters.AddRange(model.GetActor(i).parameters());
        }

        using Adam optimizer = optim.Adam(parameters, _options.LearningRate, weight_decay: _options.WeightDecay);
        var random = new TrainingRandom(_options.Seed);
        int[] order = new int[train.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var history = ImmutableArray.CreateBuilder<SupervisedEpoch>();
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, sinceBest = 0;
        byte[]? bestWeights = null;
        bool stoppedEarly = false;
        model.train();
        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            PolicyEvaluation.Shuffle(order, random);
            using Tensor permutation = tensor(order, ScalarType.Int64);
            for (int start = 0; start < order.Length; start += _options.MiniBatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                int count = Math.Min(_options.MiniBatchSize, order.Length - start);
                Tensor index = permutation.narrow(0, start, count);
                (Tensor loss, _) = Loss(model, train.Select(index), _options.LabelSmoothing);
                optimizer.zero_grad();
                loss.backward();
                if (_options.MaxGradientNorm > 0)
                {
                    nn.utils.clip_grad_norm_(parameters, _options.MaxGradientNorm);
                }

                optimizer.step();
            }

            (double trainLoss, double trainAccuracy) = Measure(model, train);
            (double validationLoss, double validationAccuracy) = held is null ? (double.NaN, double.NaN) : Measure(model, held);
            var report = new SupervisedEpoch
            {
                Epoch = epoch,
                Loss = trainLoss,
                Accuracy = trainAccuracy,
                ValidationLoss = held is null ? null : validationLoss,
                ValidationAccuracy = held is null ? null : validationAccuracy,
            };
            history.Add(report);
            metrics.RecordSupervisedEpoch(trainLoss);
            TrainingLog.SupervisedEpoch(_logger, epoch, _options.Epochs, trainLoss, trainAccuracy, validationLoss, validationAccuracy);
            progress?.Report(report);
            if (_options.EarlyStoppingPatience is int patience && held is not null)
            {
                if (validationLoss < bestLoss)
                {
                    bestLoss = validationLoss;
                    bestEpoch = epoch;
                    sinceBest = 0;
                    bestWeights = SaveWeights(model);
                }
                else if (++sinceBest >= patience)
                {
                    stoppedEarly = epoch < _options.Epochs;
                    break;
                }
            }
        }

        if (bestWeights is not null)
        {
            RestoreWeights(model, bestWeights);
        }
        else
        {
            bestEpoch = history.Count;
        }

        return new SupervisedTrainingResult(history.ToImmutable(), bestEpoch, stoppedEarly);
    }

    private static (Tensor Loss, Tensor Correct) Loss(ActorCriticModel model, ExampleBatch batch, double smoothing)
    {
        Tensor total = zeros(1, ScalarType.Float32).squeeze();
        Tensor labelled = zeros(1, ScalarType.Float32).squeeze();
        Tensor correct = zeros(1, ScalarType.Float32).squeeze();
        int offset = 0;
        for (int i = 0; i < model.AgentCount; i++)
        {
            int count = model.ActionCounts[i];
            Tensor mask = batch.Masks.narrow(1, offset, count);
            offset += count;
            Tensor labels = batch.Labels.narrow(1, i, 1).squeeze(1);
            Tensor has = labels.ge(0);
            Tensor safeLabels = labels.clamp_min(0);
            Tensor logits = model.Logits(i, batch.Observations).masked_fill(mask.logical_not(), MaskedLogit);
            Tensor logSoftmax = nn.functional.log_softmax(logits, 1);
            Tensor picked = logSoftmax.gather(1, safeLabels.unsqueeze(1)).squeeze(1);
            Tensor perExample = -picked;
            if (smoothing > 0)
            {
                Tensor allowed = mask.to_type(ScalarType.Float32);
                Tensor uniform = -(logSoftmax * allowed).sum(1) / allowed.sum(1).clamp_min(1f);
                perExample = ((1 - smoothing) * perExample) + (smoothing * uniform);
            }

            Tensor weight = has.to_type(ScalarType.Float32);
            total += (perExample * weight).sum();
            labelled += weight.sum();
            correct += (logits.argmax(1).eq(safeLabels).to_type(ScalarType.Float32) * weight).sum();
        }

        Tensor denominator = labelled.clamp_min(1f);
        return (total / denominator, correct / denominator);
    }

    private static (double Loss, double Accuracy) Measure(ActorCriticModel model, ExampleTensors data)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        (Tensor loss, Tensor accuracy) = Loss(model, data.All, 0);
        return (loss.item<float>(), accuracy.item<float>());
    }

    private static byte[] SaveWeights(ActorCriticModel model)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            model.WriteWeights(writer);
        }

        return buffer.ToArray();
    }

    private static void RestoreWeights(ActorCriticModel model, byte[] weights)
    {
        using var stream = new MemoryStream(weights, writable: false);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8);
        model.ReadWeights(reader, "(best epoch in memory)");
    }

    private readonly record struct ExampleBatch(Tensor Observations, Tensor Labels, Tensor Masks);

    private sealed class ExampleTensors : IDisposable
    {
        private ExampleTensors(int count, Tensor observations, Tensor labels, Tensor masks)
        {
            Count = count;
            All = new ExampleBatch(observations, labels, masks);
        }

        public int Count { get; }

        public ExampleBatch All { get; }

        public static ExampleTensors Create(ActorCriticModel model, IReadOnlyList<SupervisedExample> examples, string paramName)
        {
            int n = examples.Count;
            int d = model.ObservationSize;
            int agents = model.AgentCount;
            int totalActions = 0;
            foreach (int count in model.ActionCounts)
            {
                totalActions += count;
            }

            var observations = new float[n * d];
            var labels = new long[n * agents];
            var masks = new bool[n * totalActions];
            for (int k = 0; k < n; k++)
            {
                SupervisedExample example = examples[k] ?? throw new ArgumentException($"Example {k} is null.", paramName);
                if (example.Observation.Length != d)
                {
                    throw new ArgumentException($"Example {k} has an observation of length {example.Observation.Length}; the model expects {d}.", paramName);
                }

                if (example.Labels.Length != agents)
                {
                    throw new ArgumentException($"Example {k} has {example.Labels.Length} label(s); the model has {agents} agent(s).", paramName);
                }

                if (!example.Mask.IsEmpty && example.Mask.Length != totalActions)
                {
                    throw new ArgumentException($"Example {k} has a mask of length {example.Mask.Length}; the model's agents have {totalActions} actions together.", paramName);
                }

                example.Observation.AsSpan().CopyTo(observations.AsSpan(k * d, d));
                Span<bool> mask = masks.AsSpan(k * totalActions, totalActions);
                if (example.Mask.IsEmpty)
                {
                    mask.Fill(true);
                }
                else
                {
                    example.Mask.AsSpan().CopyTo(mask);
                }

                int offset = 0;
                for (int i = 0; i < agents; i++)
                {
                    int label = example.Labels[i];
                    int count = model.ActionCounts[i];
                    if (label >= count)
                    {
                        throw new ArgumentException($"Example {k} labels agent {i} with action {label}; that agent has {count} actions.", paramName);
                    }

                    if (label >= 0 && !mask[offset + label])
                    {
                        throw new ArgumentException($"Example {k} labels agent {i} with action {label}, which its mask forbids.", paramName);
                    }

                    if (!mask.Slice(offset, count).Contains(true))
                    {
                        throw new ArgumentException($"Example {k}'s mask allows no action of agent {i}.", paramName);
                    }

                    labels[(k * agents) + i] = label;
                    offset += count;
                }
            }

            return new ExampleTensors(n, tensor(observations, [n, d]), tensor(labels, [n, agents]), tensor(masks, [n, totalActions]));
        }

        public ExampleBatch Select(Tensor index) =>
            new(All.Observations.index_select(0, index), All.Labels.index_select(0, index), All.Masks.index_select(0, index));

        public void Dispose()
        {
            All.Observations.Dispose();
            All.Labels.Dispose();
            All.Masks.Dispose();
        }
    }
}
