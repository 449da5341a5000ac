using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PromptKit.Training;

/// <summary>Trains Reinforced Prompt Personalization: four pattern agents (role-playing, history records, reasoning
/// guidance, output format) with multi-agent actor-critic — centralized critic, decentralized actors, the textbook
/// TD error r + γV(s') − V(s) as the advantage — on episodes of training users against a frozen model.</summary>
/// <remarks>
/// <para>Each training iteration runs one full episode per environment slot (so checkpoints fall between episodes).
/// The type of <see cref="RppTrainerOptions.Trainer"/> chooses how the rollout updates the networks: the paper's one
/// actor-critic step (<see cref="ActorCriticTrainerOptions"/>), or PPO's clipped steps over several epochs of minibatches
/// (<see cref="PpoTrainerOptions"/>). RPP+ is the same with an <see cref="RppRefiner"/>.</para>
/// <para>An answer that names no candidate (a parse failure) is rewarded 0 and the episode goes on, in training as in
/// <see cref="ScoreAsync"/>; only a failed model call (transport fault, timeout, filter) is a faulted step for
/// <see cref="OnPolicyTrainerOptions.FaultPolicy"/>, counted in <see cref="TrainingProgress.FaultedSteps"/>.</para>
/// <para>With validation users, the trainer scores the greedy personalized prompts on them every
/// <see cref="OnPolicyTrainerOptions.ValidateEvery"/> iterations (mean NDCG@10) and, with
/// <see cref="OnPolicyTrainerOptions.KeepBestWeights"/>, ends with the best-scoring weights (checkpointed with the run).</para>
/// <para>Every actor and the critic is a <see cref="GruPolicyNetwork"/>: a GRU over the ranked items of the
/// <see cref="RppStateEncoder"/> observation, and an MLP head over its static part and the GRU's encoding.</para>
/// </remarks>
public sealed class RppTrainer
{
    private readonly RppTrainerOptions _options;
    private readonly ILoggerFactory? _loggerFactory;

    /// <summary>Initializes a new instance of the <see cref="RppTrainer"/> class.</summary>
    /// <param name="options">The settings; validated now.</param>
    /// <param name="loggerFactory">The logger factory, or <see langword="null"/> for none.</param>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public RppTrainer(RppTrainerOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        options ??= new RppTrainerOptions();
        RppTrainerOptionsValidator.ThrowIfInvalid(options);

        // A copy, held settings included, so that later changes to the caller's objects cannot bypass validation.
        _options = new RppTrainerOptions
        {
            Trainer = options.Trainer is PpoTrainerOptions ppo ? OptionsCopy.Clone(ppo) : OptionsCopy.Clone((ActorCriticTrainerOptions)options.Trainer),
            GruHiddenSize = options.GruHiddenSize,
            HiddenSizes = options.HiddenSizes,
        };
        _loggerFactory = loggerFactory;
    }

    /// <summary>Creates the untrained model for an encoder and action spaces.</summary>
    /// <param name="encoder">The state encoder.</param>
    /// <param name="spaces">The action spaces.</param>
    /// <returns>Four GRU actors and a GRU critic (<see cref="ActorCriticModel.CreateGru"/> over the encoder's packed
    /// layout), seeded from the options.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public ActorCriticModel CreateModel(RppStateEncoder encoder, RppActionSpaces spaces)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(spaces);
        return ActorCriticModel.CreateGru(encoder.StaticDimension, encoder.RankedItems, encoder.ItemDimension, spaces.ActionCounts, _options.GruHiddenSize, _options.HiddenSizes, MlpActivation.Tanh, _options.Trainer.Seed);
    }

    /// <summary>Trains the pattern agents on the training users.</summary>
    /// <param name="model">The model from <see cref="CreateModel"/> (trained in place).</param>
    /// <param name="trainUsers">The training users (never the test users).</param>
    /// <param name="encoder">The state encoder.</param>
    /// <param name="composer">Builds prompts.</param>
    /// <param name="evaluator">Sends prompts to the frozen model.</param>
    /// <param name="refiner">Refines the chosen sentences (RPP+), or <see langword="null"/>.</param>
    /// <param name="negatives">Draws fresh negatives for every training episode (dynamic negative sampling), or
    /// <see langword="null"/> to keep each training user's fixed candidates.</param>
    /// <param name="validationUsers">Users disjoint from <paramref name="trainUsers"/> on which the greedy prompts are scored
    /// (mean NDCG@10) every <see cref="OnPolicyTrainerOptions.ValidateEvery"/> iterations, to keep the best weights;
    /// <see langword="null"/> or empty for none (then <see cref="OnPolicyTrainerOptions.Validation"/> of the held settings,
    /// if any, is used).</param>
    /// <param name="progress">Receives one report per iteration, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>The training history.</returns>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="trainUsers"/> is empty, or a validation user is also a training user.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the checkpoint keeps the last finished iteration).</exception>
    /// <exception cref="CallBudgetExceededException">The evaluator's <see cref="PromptEvaluatorOptions.Budget"/> was spent: a clean stop, with the checkpoint written as for a cancellation.</exception>
    public Task<TrainingResult> TrainAsync(
        ActorCriticModel model,
        IReadOnlyList<RecommendationExample> trainUsers,
        RppStateEncoder encoder,
        RppPromptComposer composer,
        PromptEvaluator evaluator,
        RppRefiner? refiner = null,
        CandidateResampler? negatives = null,
        IReadOnlyList<RecommendationExample>? validationUsers = null,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trainUsers);
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(composer);
        ArgumentNullException.ThrowIfNull(evaluator);
        if (trainUsers.Count == 0)
        {
            throw new ArgumentException("At least one training user is required.", nameof(trainUsers));
        }

        if (validationUsers is not null)
        {
            CheckDisjoint(trainUsers, validationUsers);
        }

        var reward = new NdcgReward(10);

        // A parse failure is a reward (0), never a dropped step: only transport faults reach the fault policy.
        var scorer = new PromptScorer<RankingTarget>(evaluator, new ParseFailureScoresZero(reward), composer.Format);
        long seed = _options.Trainer.Seed;
        Func<int, IEnvironment> environments = slot => new RppEnvironment(trainUsers, encoder, composer, scorer, TrainingRandom.DeriveSeed(seed, slot), refiner, negatives);
        Func<ActorCriticModel, CancellationToken, ValueTask<double>>? validation = validationUsers is null or { Count: 0 }
            ? null
            : (m, ct) => ValidateAsync(CreatePersonalizer(m, encoder, composer, evaluator, refiner), validationUsers, reward, ct);
        if (_options.Trainer is PpoTrainerOptions ppoOptions)
        {
            PpoTrainerOptions settings = Configure(ppoOptions, encoder, validation);
            settings.MiniBatchSize = (int)Math.Min(settings.MiniBatchSize, settings.RolloutSize);
            return new PpoTrainer(settings, _loggerFactory).TrainAsync(model, environments, progress: progress, cancellationToken: cancellationToken);
        }

        var trainer = new ActorCriticTrainer(Configure((ActorCriticTrainerOptions)_options.Trainer, encoder, validation), _loggerFactory);
        return trainer.TrainAsync(model, environments, progress, cancellationToken);
    }

    /// <summary>Scores a personalizer on users: the mean NDCG@10 of the frozen model's answers to the prompts it builds
    /// (greedy actions; a parse failure scores 0, as in training).</summary>
    /// <param name="personalizer">The personalizer of the policy to score.</param>
    /// <param name="users">The users, e.g. validation users; none of them may be a training user.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>The mean NDCG@10 over <paramref name="users"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="users"/> is empty.</exception>
    public static ValueTask<double> ScoreAsync(PromptPersonalizer personalizer, IReadOnlyList<RecommendationExample> users, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(personalizer);
        ArgumentNullException.ThrowIfNull(users);
        if (users.Count == 0)
        {
            throw new ArgumentException("At least one user is required.", nameof(users));
        }

        return ValidateAsync(personalizer, users, new NdcgReward(10), cancellationToken);
    }

    private static async ValueTask<double> ValidateAsync(PromptPersonalizer personalizer, IReadOnlyList<RecommendationExample> users, NdcgReward reward, CancellationToken cancellationToken)
    {
        var answers = new Task<PersonalizedPrompt>[users.Count];
        for (int i = 0; i < answers.Length; i++)
        {
            answers[i] = personalizer.PersonalizeAsync(users[i], cancellationToken);
        }

        PersonalizedPrompt[] results = await Task.WhenAll(answers).ConfigureAwait(false);
        double sum = 0;
        for (int i = 0; i < results.Length; i++)
        {
            sum += reward.Evaluate(results[i].Answer.Text ?? string.Empty, users[i].RankingTarget).Reward;
        }

        return sum / results.Length;
    }

    private static void CheckDisjoint(IReadOnlyList<RecommendationExample> trainUsers, IReadOnlyList<RecommendationExample> validationUsers)
    {
        var training = new HashSet<string>(StringComparer.Ordinal);
        foreach (RecommendationExample user in trainUsers)
        {
            training.Add(user.UserId);
        }

        foreach (RecommendationExample user in validationUsers)
        {
            if (user is null)
            {
                throw new ArgumentException("A validation user is null.", nameof(validationUsers));
            }

            if (training.Contains(user.UserId))
            {
                throw new ArgumentException($"User '{user.UserId}' is both a training and a validation user; the two sets must be disjoint.", nameof(validationUsers));
            }
        }
    }

    /// <summary>Creates the inference-time personalizer over a trained model's actors.</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="encoder">The state encoder it was trained with.</param>
    /// <param name="composer">Builds prompts.</param>
    /// <param name="evaluator">Sends prompts to the frozen model.</param>
    /// <param name="refiner">Refines the chosen sentences (RPP+), or <see langword="null"/>.</param>
    /// <returns>The personalizer.</returns>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    public static PromptPersonalizer CreatePersonalizer(ActorCriticModel model, RppStateEncoder encoder, RppPromptComposer composer, PromptEvaluator evaluator, RppRefiner? refiner = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var agents = new IDiscretePolicy[model.AgentCount];
        for (int i = 0; i < agents.Length; i++)
        {
            agents[i] = model.GetPolicy(i);
        }

        return new PromptPersonalizer(agents, encoder, composer, evaluator, refiner);
    }

    // A copy of the held settings with what RPP fixes: one whole episode per environment and iteration, the
    // validation over validation users.
    private static T Configure<T>(T options, RppStateEncoder encoder, Func<ActorCriticModel, CancellationToken, ValueTask<double>>? validation)
        where T : OnPolicyTrainerOptions, new()
    {
        T copy = OptionsCopy.Clone(options);
        copy.StepsPerEnvironment = encoder.Iterations;
        copy.Validation = validation ?? options.Validation;
        return copy;
    }
}

/// <summary>NDCG@k that scores an answer naming no candidate 0 instead of rejecting it, so that a prompt whose answers do
/// not parse is penalized in training exactly as in evaluation (a rejected answer would be a faulted step, retried and
/// then dropped with no weight, and a format that never parses would never be punished).</summary>
internal sealed class ParseFailureScoresZero(NdcgReward inner) : IReward<RankingTarget>
{
    public string Name => inner.Name;

    public double Compute(string output, RankingTarget target) => inner.Evaluate(output, target).Reward;
}

/// <summary>Validates <see cref="RppTrainerOptions"/> from its data annotations (source-generated).</summary>
[OptionsValidator]
internal sealed partial class RppTrainerOptionsValidator : IValidateOptions<RppTrainerOptions>
{
    public static void ThrowIfInvalid(RppTrainerOptions options) =>
        OptionsValidation.ThrowIfInvalid(options, new RppTrainerOptionsValidator(), new RppTrainerOptionsCrossValidator());
}

/// <summary>The rules of <see cref="RppTrainerOptions"/> that the annotations cannot express.</summary>
internal sealed class RppTrainerOptionsCrossValidator : IValidateOptions<RppTrainerOptions>
{
    public ValidateOptionsResult Validate(string? name, RppTrainerOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        if (options.HiddenSizes.IsDefaultOrEmpty)
        {
            result.AddError("HiddenSizes is empty; give at least one hidden width.", nameof(options.HiddenSizes));
        }
        else if (options.HiddenSizes.Any(static h => h <= 0))
        {
            result.AddError("Every HiddenSizes width must be positive.", nameof(options.HiddenSizes));
        }

        // The held trainer settings' own annotations (their cross rules need the episode length: checked in TrainAsync).
        ValidateOptionsResult? trainer = options.Trainer switch
        {
            null => null, // [Required] reports it
            PpoTrainerOptions ppo => new PpoTrainerOptionsValidator().Validate(name, ppo),
            ActorCriticTrainerOptions actorCritic => new ActorCriticTrainerOptionsValidator().Validate(name, actorCritic),
            _ => ValidateOptionsResult.Fail($"Trainer is a {options.Trainer.GetType().Name}; RPP runs with {nameof(ActorCriticTrainerOptions)} or {nameof(PpoTrainerOptions)}."),
        };
        if (trainer is { Failed: true })
        {
            foreach (string failure in trainer.Failures ?? [])
            {
                result.AddError($"Trainer: {failure}");
            }
        }

        if (options.Trainer is not null)
        {
            // The path rules; the rollout-size rules need the episode length and are checked when training starts.
            options.Trainer.AddCommonCrossErrors(result);
        }

        if (options.Trainer is PpoTrainerOptions { KlPenalty: not KlPenaltyMode.None })
        {
            result.AddError("Trainer.KlPenalty needs a reference policy, which RPP training does not take; use KlPenaltyMode.None.", nameof(RppTrainerOptions.Trainer));
        }

        return result.Build();
    }
}
