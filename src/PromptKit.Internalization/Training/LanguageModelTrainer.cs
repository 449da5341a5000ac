using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PromptKit.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptKit.Internalization;

/// <summary>Fine-tunes a <see cref="CausalLanguageModel"/> on <see cref="LanguageModelingExample"/>s by next-token cross
/// entropy on the target tokens: the LoRA adapters when the model has them (the base stays frozen), otherwise every
/// weight (e.g. to pretrain a tiny model). AdamW, linear warm-up then cosine decay, global gradient-norm clipping.</summary>
/// <remarks>
/// <para>Deterministic: the example order of each epoch and the dropout of each step are drawn from seeds derived from
/// <see cref="LanguageModelTrainerOptions.Seed"/> and the epoch or step, so a run resumed from a checkpoint reaches
/// exactly the weights of an uninterrupted run.</para>
/// <para>Checkpoints use the Training package's container (SHA-256 checked, written to a temporary file and renamed), so
/// a crash or cancellation leaves the previous or the new checkpoint, never a torn one.</para>
/// </remarks>
public sealed partial class LanguageModelTrainer
{
    private const string CheckpointKind = "language-model-trainer";
    private readonly LanguageModelTrainerOptions _options;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="LanguageModelTrainer"/> class.</summary>
    /// <param name="options">The options; their values are copied.</param>
    /// <param name="logger">Where to log progress and checkpoints, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> break a rule; every failure is listed.</exception>
    public LanguageModelTrainer(LanguageModelTrainerOptions options, ILogger? logger = null)
    {
        OptionsValidation.ThrowIfInvalidArgument(options, nameof(options), new LanguageModelTrainerOptionsValidator());
        _options = new LanguageModelTrainerOptions
        {
            Epochs = options.Epochs,
            BatchSize = options.BatchSize,
            LearningRate = options.LearningRate,
            WarmupRatio = options.WarmupRatio,
            WeightDecay = options.WeightDecay,
            MaxGradientNorm = options.MaxGradientNorm,
            GroupByLength = options.GroupByLength,
            Seed = options.Seed,
            CheckpointPath = options.CheckpointPath,
            CheckpointInterval = options.CheckpointInterval,
            ResumeFromCheckpoint = options.ResumeFromCheckpoint,
        };
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Trains <paramref name="model"/> on <paramref name="examples"/>.</summary>
    /// <param name="model">The model; its trainable parameters change in place.</param>
    /// <param name="examples">The training sequences.</param>
    /// <param name="progress">Receives each finished step, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Checked before every step; on cancellation the finished steps are checkpointed first.</param>
    /// <returns>What the run did.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="examples"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="examples"/> is empty, or a sequence is longer than the model's positions or has an id outside its vocabulary.</exception>
    /// <exception cref="CheckpointException">The checkpoint is corrupt or was written by another configuration.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public LanguageModelTrainingResult Train(CausalLanguageModel model, IReadOnlyList<LanguageModelingExample> examples, IProgress<LanguageModelTrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        CheckExamples(model, examples);
        if (model.IsAdapterMerged)
        {
            throw new InvalidOperationException("The model's adapters are merged into its weights, so training them would change nothing. Call UnmergeAdapter() first.");
        }

        if (model.IsQuantized && !model.HasAdapter)
        {
            throw new InvalidOperationException("The model's linear weights are NF4 (frozen); add adapters (AddAdapter) to train it.");
        }

        var stopwatch = Stopwatch.StartNew();
        List<(string Name, Parameter Parameter)> trainable = [.. model.Network.named_parameters().Where(static p => p.parameter.requires_grad)];
        if (trainable.Count == 0)
        {
            throw new ArgumentException("The model has no trainable parameters.", nameof(model));
        }

        int stepsPerEpoch = (examples.Count + _options.BatchSize - 1) / _options.BatchSize;
        int totalSteps = stepsPerEpoch * _options.Epochs;
        int warmup = (int)Math.Ceiling(_options.WarmupRatio * totalSteps);
        using var optimizer = optim.AdamW(trainable.Select(static p => p.Parameter), _options.LearningRate, weight_decay: _options.WeightDecay);
        string fingerprint = Fingerprint(model, examples, trainable);
        var stepLosses = new List<double>(totalSteps);
        int completed = 0;
        if (_options.CheckpointPath is string resumePath && _options.ResumeFromCheckpoint && File.Exists(resumePath))
        {
            completed = ReadCheckpoint(resumePath, fingerprint, trainable, optimizer, stepLosses, totalSteps);
            LogResumed(_logger, resumePath, completed, totalSteps);
        }

        int resumedFrom = completed;
        int lastCheckpoint = completed;
        model.Network.train();
        int[] order = [];
        int orderEpoch = -1;
        try
        {
            while (completed < totalSteps)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                int epoch = completed / stepsPerEpoch;
                if (epoch != orderEpoch)
                {
                    order = EpochOrder(examples, epoch);
                    orderEpoch = epoch;
                }

                int first = (completed % stepsPerEpoch) * _options.BatchSize;
                var batch = new LanguageModelingExample[Math.Min(_options.BatchSize, examples.Count - first)];
                for (int i = 0; i < batch.Length; i++)
                {
                    batch[i] = examples[order[first + i]];
                }

                double rate = LearningRateAt(completed, totalSteps, warmup);
                foreach (ParamGroup group in optimizer.ParamGroups)
                {
                    group.LearningRate = rate;
                }

                model.DropoutSource.Reseed(TrainingRandom.DeriveSeed(_options.Seed, completed)); // this step's dropout, the same after a resume
                double loss;
                using (var scope = NewDisposeScope())
                {
                    optimizer.zero_grad();
                    Tensor value = Loss(model.Network, batch);
                    loss = value.item<float>();
                    if (!double.IsFinite(loss))
                    {
                        // Stop before the step: the weights and the last checkpoint stay as the last finite step left them.
                        throw new InvalidOperationException($"The loss became {loss} at step {completed + 1}; lower the learning rate or check the examples. The model and checkpoint hold step {completed}.");
                    }

                    value.backward();
                    if (_options.MaxGradientNorm > 0)
                    {
                        _ = nn.utils.clip_grad_norm_(trainable.Select(static p => p.Parameter), _options.MaxGradientNorm);
                    }

                    _ = optimizer.step();
                }

                stepLosses.Add(loss);
                completed++;
                progress?.Report(new LanguageModelTrainingProgress(completed, totalSteps, epoch + 1, loss, rate));
                if (_options.CheckpointPath is string path && (completed % _options.CheckpointInterval == 0 || completed == totalSteps))
                {
                    WriteCheckpoint(path, fingerprint, completed, stepLosses, trainable, optimizer);
                    lastCheckpoint = completed;
                }
            }
        }
        finally
        {
            model.Network.eval();
            if (_options.CheckpointPath is string path && completed > lastCheckpoint)
            {
                WriteCheckpoint(path, fingerprint, completed, stepLosses, trainable, optimizer);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var epochLosses = new List<double>(_options.Epochs);
        for (int e = 0; e < _options.Epochs; e++)
        {
            int from = e * stepsPerEpoch;
            epochLosses.Add(stepLosses.Skip(from).Take(stepsPerEpoch).Average());
        }

        return new LanguageModelTrainingResult(totalSteps, resumedFrom, epochLosses, stopwatch.Elapsed);
    }

    /// <summary>Computes the weighted mean target-token cross entropy of <paramref name="model"/> on <paramref name="examples"/>, without training.</summary>
    /// <param name="model">The model.</param>
    /// <param name="examples">The sequences.</param>
    /// <param name="batchSize">Sequences per forward pass.</param>
    /// <returns>The loss in nats per target token.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="examples"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="examples"/> is empty or invalid for the model.</exception>
    public static double EvaluateLoss(CausalLanguageModel model, IReadOnlyList<LanguageModelingExample> examples, int batchSize = 8)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        CheckExamples(model, examples);
        model.Network.eval();
        using var noGrad = no_grad();
        double total = 0, weight = 0;
        for (int start = 0; start < examples.Count; start += batchSize)
        {
            var batch = examples.Skip(start).Take(batchSize).ToArray();
            using var scope = NewDisposeScope();
            total += Loss(model.Network, batch).item<float>() * batch.Sum(static e => e.TargetCount); // the weighted token sum
            weight += batch.Sum(static e => e.Weight * e.TargetCount);
        }

        return weight > 0 ? total / weight : 0;
    }

    /// <summary>The cross entropy of the target tokens of a batch, each weighted by its example's weight, divided by the
    /// number of target tokens (right-padded; padding is never a target). With weights r and 1 − r on two kinds of
    /// examples this is r·(their token sum) + (1 − r)·(the others') over all target tokens: the weights change the mix
    /// even when a batch holds one kind only.</summary>
    internal static Tensor Loss(LlamaNetwork network, IReadOnlyList<LanguageModelingExample> batch)
    {
        int length = batch.Max(static e => e.Tokens.Length) - 1;
        var inputs = new long[batch.Count * length];
        var labels = new long[batch.Count * length];
        var weights = new float[batch.Count * length];
        int targetCount = 0;
        for (int b = 0; b < batch.Count; b++)
        {
            LanguageModelingExample example = batch[b];
            for (int t = 0; t < example.Tokens.Length - 1; t++)
            {
                inputs[(b * length) + t] = example.Tokens[t];
                labels[(b * length) + t] = example.Tokens[t + 1];
                weights[(b * length) + t] = example.Targets[t + 1] ? (float)example.Weight : 0f;
                targetCount += example.Targets[t + 1] ? 1 : 0;
            }
        }

        using var scope = NewDisposeScope();
        Tensor logits = network.Forward(tensor(inputs, [batch.Count, length]));
        Tensor losses = nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), tensor(labels), reduction: nn.Reduction.None);
        return losses.mul(tensor(weights)).sum().div(Math.Max(1, targetCount)).MoveToOuterDisposeScope();
    }

    private static void CheckExamples(CausalLanguageModel model, IReadOnlyList<LanguageModelingExample> examples)
    {
        if (examples.Count == 0)
        {
            throw new ArgumentException("At least one example is needed.", nameof(examples));
        }

        for (int i = 0; i < examples.Count; i++)
        {
            LanguageModelingExample example = examples[i] ?? throw new ArgumentException($"Example {i} is null.", nameof(examples));
            try
            {
                model.CheckTokens(example.Tokens.AsSpan(), nameof(examples));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Example {i}: {e.Message}", nameof(examples), e);
            }
        }
    }

    private double LearningRateAt(int step, int totalSteps, int warmup)
    {
        if (step < warmup)
        {
            return _options.LearningRate * (step + 1) / warmup;
        }

        double progress = totalSteps == warmup ? 1 : (double)(step - warmup) / (totalSteps - warmup);
        return _options.LearningRate * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    internal int[] EpochOrder(IReadOnlyList<LanguageModelingExample> examples, int epoch)
    {
        int[] order = [.. Enumerable.Range(0, examples.Count)];
        var random = new Random(unchecked((int)TrainingRandom.DeriveSeed(_options.Seed, -1 - epoch)));
        random.Shuffle(order);
        if (!_options.GroupByLength || _options.BatchSize == 1)
        {
            return order;
        }

        // Length-grouped batches (as Hugging Face's group_by_length): sort each run of 50 batches of the shuffled order by
        // length, so a batch pads to lengths close to its own, then shuffle the full batches; a partial batch stays last.
        int batch = _options.BatchSize;
        int megabatch = batch * 50;
        var byLength = Comparer<int>.Create((a, b) => examples[b].Tokens.Length.CompareTo(examples[a].Tokens.Length));
        for (int start = 0; start < order.Length; start += megabatch)
        {
            Array.Sort(order, start, Math.Min(megabatch, order.Length - start), byLength);
        }

        int fullBatches = order.Length / batch;
        int[] batches = [.. Enumerable.Range(0, fullBatches)];
        random.Shuffle(batches);
        int[] grouped = new int[order.Length];
        for (int b = 0; b < fullBatches; b++)
        {
            Array.Copy(order, batches[b] * batch, grouped, b * batch, batch);
        }

        Array.Copy(order, fullBatches * batch, grouped, fullBatches * batch, order.Length - (fullBatches * batch));
        return grouped;
    }

    private string Fingerprint(CausalLanguageModel model, IReadOnlyList<LanguageModelingExample> examples, List<(string Name, Parameter Parameter)> trainable)
    {
        long hash = 17;
        foreach (LanguageModelingExample example in examples)
        {
            for (int i = 0; i < example.Tokens.Length; i++)
            {
                hash = unchecked((hash * 31) + (example.Tokens[i] * 2) + (example.Targets[i] ? 1 : 0));
            }

            hash = unchecked((hash * 31) + BitConverter.DoubleToInt64Bits(example.Weight));
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"adapter={model.AdapterDescription};nf4={model.IsQuantized};examples={examples.Count};hash={hash};epochs={_options.Epochs};batch={_options.BatchSize};lr={_options.LearningRate};warmup={_options.WarmupRatio};decay={_options.WeightDecay};clip={_options.MaxGradientNorm};group={_options.GroupByLength};seed={_options.Seed};trainable={trainable.Count}");
        foreach ((string name, Parameter parameter) in trainable)
        {
            text.Append(CultureInfo.InvariantCulture, $";{name}[{string.Join("x", parameter.shape)}]");
        }

        return text.ToString();
    }

    private void WriteCheckpoint(string path, string fingerprint, int completed, List<double> stepLosses, List<(string Name, Parameter Parameter)> trainable, OptimizerHelper optimizer)
    {
        CheckpointFile.Write(path, CheckpointKind, writer =>
        {
            writer.Write(fingerprint);
            writer.Write(completed);
            writer.Write(stepLosses.Count);
            foreach (double loss in stepLosses)
            {
                writer.Write(loss);
            }

            foreach ((_, Parameter parameter) in trainable)
            {
                using var scope = NewDisposeScope();
                float[] values = parameter.detach().contiguous().data<float>().ToArray();
                writer.Write(values.Length);
                foreach (float v in values)
                {
                    writer.Write(v);
                }
            }

            CheckpointFile.WriteOptimizer(writer, optimizer);
        });
        LogCheckpoint(_logger, path, completed);
    }

    private static int ReadCheckpoint(string path, string fingerprint, List<(string Name, Parameter Parameter)> trainable, OptimizerHelper optimizer, List<double> stepLosses, int totalSteps)
    {
        int completed = 0;
        CheckpointFile.Read(path, CheckpointKind, reader =>
        {
            string saved = reader.ReadString();
            if (!string.Equals(saved, fingerprint, StringComparison.Ordinal))
            {
                throw new CheckpointException($"The checkpoint '{path}' was written for other examples, options or adapters. Delete it or set another CheckpointPath.", path);
            }

            completed = reader.ReadInt32();
            int losses = reader.ReadInt32();
            for (int i = 0; i < losses; i++)
            {
                stepLosses.Add(reader.ReadDouble());
            }

            using (no_grad())
            {
                foreach ((string name, Parameter parameter) in trainable)
                {
                    int count = reader.ReadInt32();
                    if (count != parameter.numel())
                    {
                        throw new CheckpointException($"The checkpoint '{path}' holds {count} values for '{name}', expected {parameter.numel()}.", path);
                    }

                    var values = new float[count];
                    for (int i = 0; i < count; i++)
                    {
                        values[i] = reader.ReadSingle();
                    }

                    using Tensor flat = tensor(values);
                    using Tensor loaded = flat.view(parameter.shape);
                    parameter.copy_(loaded);
                }
            }

            CheckpointFile.ReadOptimizer(reader, optimizer);
        });
        if (completed > totalSteps)
        {
            throw new CheckpointException($"The checkpoint '{path}' is at step {completed}, past the {totalSteps} steps configured.", path);
        }

        return completed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed language-model training from {Path} at step {Step} of {Total}.")]
    private static partial void LogResumed(ILogger logger, string path, int step, int total);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checkpoint {Path} written at step {Step}.")]
    private static partial void LogCheckpoint(ILogger logger, string path, int step);
}
