using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace PromptKit.Training;

/// <summary>Trains a learned prompt rewriter for personalized text generation (Li et al., 2023, "Learning to Rewrite
/// Prompts for Personalized Text Generation"): a pointer policy rewrites a prompt's editable components (summary,
/// synthesis) as a sequence of copied elements, first by supervised learning on the best of randomized rewrites, then
/// by PPO on the frozen model's reward with a KL penalty toward the supervised policy.</summary>
/// <remarks>
/// <para>The stages are separate calls so that each can be run, skipped or repeated: <see cref="LabelAsync"/> scores
/// randomized candidates through the frozen model and keeps the best per example; <see cref="TrainSupervised"/> clones
/// it; <see cref="TrainReinforcedAsync"/> runs PPO (from the supervised model with a reference for the KL penalty, or
/// from scratch without one), keeping the weights that scored best on validation examples; <see cref="EvaluateAsync"/>
/// scores any rewriter's prompts. <see cref="CreateRewriter"/> gives the trained policy as an <see cref="IPromptRewriter"/>.</para>
/// <para>The frozen model is whatever <see cref="PromptScorer{TTarget}"/> wraps; <see cref="CreateReward"/> builds the
/// paper's reward, BLEU + ROUGE-1 + ROUGE-2 + ROUGE-L of the output against the user's real text.</para>
/// </remarks>
public sealed class PromptRewriterTrainer
{
    private readonly PromptRewriterTrainerOptions _options;
    private readonly PromptScorer<IReadOnlyList<string>> _scorer;
    private readonly ILoggerFactory? _loggerFactory;

    /// <summary>Initializes a new instance of the <see cref="PromptRewriterTrainer"/> class.</summary>
    /// <param name="scorer">Runs prompts through the frozen model and scores the output against the references.</param>
    /// <param name="textEncoder">Encodes the context and the elements (e.g. <see cref="HashedTextEncoder"/>).</param>
    /// <param name="options">The settings; <see langword="null"/> for the defaults. The trainer keeps a copy.</param>
    /// <param name="loggerFactory">Logs the trainers' progress, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="scorer"/> or <paramref name="textEncoder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid; the message lists every problem.</exception>
    public PromptRewriterTrainer(PromptScorer<IReadOnlyList<string>> scorer, IStateEncoder<string> textEncoder, PromptRewriterTrainerOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(textEncoder);
        options ??= new PromptRewriterTrainerOptions();
        ThrowIfInvalid(options);
        Layout = new PointerRewriteLayout(textEncoder, options.Rewriter);
        _options = new PromptRewriterTrainerOptions
        {
            HiddenSize = options.HiddenSize,
            CandidatesPerExample = options.CandidatesPerExample,
            MinKeepProbability = options.MinKeepProbability,
            ShuffleProbability = options.ShuffleProbability,
            RepeatProbability = options.RepeatProbability,
            RewardRelativeToOriginal = options.RewardRelativeToOriginal,
            Supervised = OptionsCopy.Clone(options.Supervised),
            Reinforcement = OptionsCopy.Clone(options.Reinforcement),
            Seed = options.Seed,
        };
        _scorer = scorer;
        _loggerFactory = loggerFactory;
    }

    /// <summary>Gets the rewriter's layout (observations and actions).</summary>
    public PointerRewriteLayout Layout { get; }

    /// <summary>Builds the paper's reward: a weighted sum of BLEU (0–1), ROUGE-1, ROUGE-2 and ROUGE-L F-measures of the
    /// output against the references; equal weights by default.</summary>
    /// <param name="bleu">The BLEU weight.</param>
    /// <param name="rouge1">The ROUGE-1 weight.</param>
    /// <param name="rouge2">The ROUGE-2 weight.</param>
    /// <param name="rougeL">The ROUGE-L weight.</param>
    /// <returns>The reward.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A weight is negative or not finite, or all are zero.</exception>
    public static IReward<IReadOnlyList<string>> CreateReward(double bleu = 1, double rouge1 = 1, double rouge2 = 1, double rougeL = 1)
    {
        var builder = new WeightedRewardBuilder<IReadOnlyList<string>>();
        (IReward<IReadOnlyList<string>> Reward, double Weight, string Name)[] parts =
        [
            (new BleuReward(), bleu, nameof(bleu)),
            (new RougeReward(RougeType.Rouge1), rouge1, nameof(rouge1)),
            (new RougeReward(RougeType.Rouge2), rouge2, nameof(rouge2)),
            (new RougeReward(RougeType.RougeL), rougeL, nameof(rougeL)),
        ];
        bool any = false;
        foreach ((IReward<IReadOnlyList<string>> reward, double weight, string name) in parts)
        {
            if (!double.IsFinite(weight) || weight < 0)
            {
                throw new ArgumentOutOfRangeException(name, weight, "A reward weight must be finite and not negative.");
            }

            if (weight > 0)
            {
                builder.Add(reward, weight);
                any = true;
            }
        }

        return any ? builder.Build() : throw new ArgumentOutOfRangeException(nameof(bleu), "At least one reward weight must be positive.");
    }

    /// <summary>Creates a new pointer model for this layout (weights drawn from <paramref name="seed"/>).</summary>
    /// <param name="seed">The weights' seed.</param>
    /// <returns>The model; dispose it yourself.</returns>
    public ActorCriticModel CreateModel(long seed) =>
        ActorCriticModel.CreatePointer(Layout.ContextSize, PointerRewriteLayout.ProgressSize, PointerRewriteLayout.ElementFeatureSize, Layout.MaxElements, _options.HiddenSize, seed: seed);

    /// <summary>Wraps a trained model's actor as a rewriter (greedy decoding).</summary>
    /// <param name="model">The model (its weights are read at each call).</param>
    /// <returns>The rewriter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The model does not fit the layout.</exception>
    public PointerPromptRewriter CreateRewriter(ActorCriticModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new PointerPromptRewriter(model.GetPolicy(0), Layout);
    }

    /// <summary>The supervised stage's labels: per example, the original rewrite and
    /// <see cref="PromptRewriterTrainerOptions.CandidatesPerExample"/> randomized ones are scored through the frozen
    /// model; the best is the label (the original wins ties). Examples whose every candidate failed are left out and
    /// counted in the log.</summary>
    /// <param name="examples">The training examples.</param>
    /// <param name="progress">Receives the number of examples labelled so far, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>One label per example that had a successful candidate, in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="examples"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="examples"/> is empty or holds <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ImmutableArray<RewriteLabel>> LabelAsync(IReadOnlyList<RewritingExample> examples, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalid(examples, nameof(examples));
        var labels = ImmutableArray.CreateBuilder<RewriteLabel>(examples.Count);
        int skipped = 0;
        for (int e = 0; e < examples.Count; e++)
        {
            RewritingExample example = examples[e];
            ImmutableArray<RewriteElement> elements = Layout.GetElements(example.Prompt);
            var random = new TrainingRandom(TrainingRandom.DeriveSeed(_options.Seed, e));
            var sequences = new List<ImmutableArray<int>>(_options.CandidatesPerExample + 1) { RewriteVariants.Original(elements, Layout.MaxLength) };
            for (int i = 0; i < _options.CandidatesPerExample; i++)
            {
                sequences.Add(RewriteVariants.Sample(elements, Layout, random, _options.MinKeepProbability, _options.ShuffleProbability, _options.RepeatProbability));
            }

            var prompts = new Prompt[sequences.Count];
            var targets = new IReadOnlyList<string>[sequences.Count];
            for (int i = 0; i < sequences.Count; i++)
            {
                prompts[i] = PointerRewriteEpisode.Compose(example.Prompt, elements, sequences[i]);
                targets[i] = example.References;
            }

            ImmutableArray<PromptScore> scores = await _scorer.ScoreManyAsync(prompts, targets, cancellationToken).ConfigureAwait(false);
            int best = -1;
            int scored = 0;
            for (int i = 0; i < scores.Length; i++)
            {
                if (scores[i].Reward is double reward)
                {
                    scored++;
                    if (best < 0 || reward > scores[best].Reward!.Value)
                    {
                        best = i;
                    }
                }
            }

            if (best < 0)
            {
                skipped++;
            }
            else
            {
                labels.Add(new RewriteLabel(example, sequences[best], scores[best].Reward!.Value, scores[0].Reward ?? double.NaN, scored));
            }

            progress?.Report(e + 1);
        }

        if (skipped > 0)
        {
            TrainingLog.UnlabelledExamples((_loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger<PromptRewriterTrainer>(), skipped, examples.Count);
        }

        return labels.ToImmutable();
    }

    /// <summary>The supervised stage: fits the model's actor to emit each label's sequence, step by step (behaviour
    /// cloning with the action masks).</summary>
    /// <param name="model">The model, trained in place.</param>
    /// <param name="labels">The training labels.</param>
    /// <param name="validation">Held-out labels for the validation loss (and early stopping when configured), or <see langword="null"/>.</param>
    /// <param name="progress">Receives one report per epoch, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>The per-epoch history.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="labels"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="labels"/> is empty, or the model does not fit the layout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public SupervisedTrainingResult TrainSupervised(ActorCriticModel model, IReadOnlyList<RewriteLabel> labels, IReadOnlyList<RewriteLabel>? validation = null, IProgress<SupervisedEpoch>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count == 0)
        {
            throw new ArgumentException("At least one label is required; label examples with LabelAsync first.", nameof(labels));
        }

        ThrowIfNotFitting(model, nameof(model));
        var trainer = new SupervisedTrainer(_options.Supervised, _loggerFactory);
        return trainer.Train(model, ToExamples(labels), validation is { Count: > 0 } ? ToExamples(validation) : null, progress, cancellationToken);
    }

    /// <summary>The reinforcement stage: PPO on the frozen model's reward. With a <paramref name="reference"/> (the
    /// supervised model, cloned) the configured KL penalty keeps the policy near it (SL→RL); without one the penalty is
    /// off (RL from scratch). With validation examples, the mean greedy reward on them picks the weights kept.</summary>
    /// <param name="model">The model, trained in place.</param>
    /// <param name="examples">The training examples.</param>
    /// <param name="reference">The frozen reference policy, or <see langword="null"/>.</param>
    /// <param name="validation">Validation examples (disjoint from training), or <see langword="null"/>.</param>
    /// <param name="progress">Receives one report per iteration, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>The run's history.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="examples"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="examples"/> is empty, a validation example is also a
    /// training example, or a model does not fit the layout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<TrainingResult> TrainReinforcedAsync(ActorCriticModel model, IReadOnlyList<RewritingExample> examples, ActorCriticModel? reference = null, IReadOnlyList<RewritingExample>? validation = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ThrowIfInvalid(examples, nameof(examples));
        ThrowIfNotFitting(model, nameof(model));
        if (reference is not null)
        {
            ThrowIfNotFitting(reference, nameof(reference));
        }

        if (validation is { Count: > 0 })
        {
            var training = new HashSet<string>(StringComparer.Ordinal);
            foreach (RewritingExample example in examples)
            {
                training.Add(example.Id);
            }

            foreach (RewritingExample example in validation)
            {
                if (example is null || training.Contains(example.Id))
                {
                    throw new ArgumentException($"Validation example '{example?.Id}' is null or also a training example; validation examples must be disjoint from training ones.", nameof(validation));
                }
            }
        }

        PpoTrainerOptions settings = OptionsCopy.Clone(_options.Reinforcement);
        if (reference is null)
        {
            settings.KlPenalty = KlPenaltyMode.None;
        }

        settings.MiniBatchSize = (int)Math.Min(settings.MiniBatchSize, settings.RolloutSize);
        if (validation is { Count: > 0 })
        {
            settings.Validation = async (m, ct) => (await EvaluateAsync(CreateRewriter(m), validation, ct).ConfigureAwait(false)).MeanReward;
        }

        long seed = settings.Seed;
        return new PpoTrainer(settings, _loggerFactory).TrainAsync(
            model,
            slot => new PromptRewritingEnvironment(examples, Layout, _scorer, TrainingRandom.DeriveSeed(seed, slot), _options.RewardRelativeToOriginal),
            reference,
            progress,
            cancellationToken);
    }

    /// <summary>Scores a rewriter's prompts: each example's prompt is rewritten, run through the frozen model and scored.</summary>
    /// <param name="rewriter">The rewriter (e.g. <see cref="CreateRewriter"/>, or a fixed edit, or an identity for the original prompt).</param>
    /// <param name="examples">The examples.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>The scores.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<RewriteEvaluation> EvaluateAsync(IPromptRewriter rewriter, IReadOnlyList<RewritingExample> examples, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rewriter);
        ArgumentNullException.ThrowIfNull(examples);
        var prompts = new Prompt[examples.Count];
        var targets = new IReadOnlyList<string>[examples.Count];
        for (int i = 0; i < examples.Count; i++)
        {
            prompts[i] = await rewriter.RewriteAsync(examples[i].Prompt, new PromptRewriteContext(examples[i].Id), cancellationToken).ConfigureAwait(false);
            targets[i] = examples[i].References;
        }

        return new RewriteEvaluation(await _scorer.ScoreManyAsync(prompts, targets, cancellationToken).ConfigureAwait(false));
    }

    private List<SupervisedExample> ToExamples(IReadOnlyList<RewriteLabel> labels)
    {
        var examples = new List<SupervisedExample>();
        foreach (RewriteLabel label in labels)
        {
            ArgumentNullException.ThrowIfNull(label, nameof(labels));
            examples.AddRange(RewriteVariants.ToSupervisedExamples(Layout, label.Example.Prompt, label.Sequence));
        }

        return examples;
    }

    private void ThrowIfNotFitting(ActorCriticModel model, string paramName)
    {
        if (model.AgentCount != 1 || model.ObservationSize != Layout.ObservationSize || model.ActionCounts[0] != Layout.ActionCount)
        {
            throw new ArgumentException($"The model has {model.AgentCount} agent(s), observation size {model.ObservationSize} and action counts [{string.Join(", ", model.ActionCounts)}]; this layout needs 1 agent, {Layout.ObservationSize} and [{Layout.ActionCount}]. Create it with {nameof(CreateModel)}.", paramName);
        }
    }

    private static void ThrowIfInvalid(IReadOnlyList<RewritingExample> examples, string paramName)
    {
        ArgumentNullException.ThrowIfNull(examples, paramName);
        if (examples.Count == 0)
        {
            throw new ArgumentException("At least one example is required.", paramName);
        }

        for (int i = 0; i < examples.Count; i++)
        {
            if (examples[i] is null)
            {
                throw new ArgumentException($"The example at index {i} is null.", paramName);
            }
        }
    }

    private static void ThrowIfInvalid(PromptRewriterTrainerOptions options)
    {
        OptionsValidation.ThrowIfInvalidArgument(options, nameof(options), new PromptRewriterTrainerOptionsValidator());
        SupervisedTrainerOptionsValidator.ThrowIfInvalid(options.Supervised);
        PpoTrainerOptionsValidator.ThrowIfInvalid(options.Reinforcement);
    }
}
