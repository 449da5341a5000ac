using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PromptKit.Training;

/// <summary>Trains Reinforced Prompt Personalization: four pattern agents (role-playing, history records, reasoning
/// guidance, output format) with multi-agent actor-critic — centralized critic, decentralized actors, the textbook
/// TD error r + γV(s') − V(s) as the advantage — on episodes of training users against a frozen model.</summary>
/// <remarks>
/// <para>Each training iteration runs one full episode per environment slot (so checkpoints fall between episodes).
/// <see cref="RppTrainerOptions.UpdateRule"/> chooses how the rollout updates the networks: the paper's one
/// actor-critic step (<see cref="ActorCriticTrainer"/>), or PPO's clipped steps over several epochs of minibatches
/// (<see cref="PpoTrainer"/>) on the same TD-error advantages. RPP+ is the same with an <see cref="RppRefiner"/>.</para>
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
        _options = options ?? new RppTrainerOptions();
        RppTrainerOptionsValidator.ThrowIfInvalid(_options);
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
        return ActorCriticModel.CreateGru(encoder.StaticDimension, encoder.RankedItems, encoder.ItemDimension, spaces.ActionCounts, _options.GruHiddenSize, _options.HiddenSizes, MlpActivation.Tanh, _options.Seed);
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
    /// <param name="progress">Receives one report per iteration, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>The training history.</returns>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="trainUsers"/> is empty.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the checkpoint keeps the last finished iteration).</exception>
    public Task<TrainingResult> TrainAsync(
        ActorCriticModel model,
        IReadOnlyList<RecommendationExample> trainUsers,
        RppStateEncoder encoder,
        RppPromptComposer composer,
        PromptEvaluator evaluator,
        RppRefiner? refiner = null,
        CandidateResampler? negatives = null,
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

        var scorer = new PromptScorer<RankingTarget>(evaluator, new NdcgReward(10), composer.Format);
        long seed = _options.Seed;
        Func<int, IEnvironment> environments = slot => new RppEnvironment(trainUsers, encoder, composer, scorer, TrainingRandom.DeriveSeed(seed, slot), refiner, negatives);
        if (_options.UpdateRule == RppUpdateRule.Ppo)
        {
            var ppo = new PpoTrainer(
                Configure(new PpoTrainerOptions
                {
                    Epochs = _options.PpoEpochs,
                    MiniBatchSize = (int)Math.Min(_options.PpoMiniBatchSize, (long)_options.EnvironmentCount * encoder.Iterations),
                    ClipRange = _options.PpoClipRange,
                    NormalizeAdvantages = _options.NormalizeAdvantages,
                }, encoder),
                _loggerFactory);
            return ppo.TrainAsync(model, environments, progress: progress, cancellationToken: cancellationToken);
        }

        var trainer = new ActorCriticTrainer(Configure(new ActorCriticTrainerOptions { NormalizeAdvantages = _options.NormalizeAdvantages }, encoder), _loggerFactory);
        return trainer.TrainAsync(model, environments, progress, cancellationToken);
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

    // The settings both update rules share: one full episode per slot per iteration, the TD error (λ = 0) as advantage.
    private T Configure<T>(T options, RppStateEncoder encoder)
        where T : OnPolicyTrainerOptions
    {
        options.EnvironmentCount = _options.EnvironmentCount;
        options.StepsPerEnvironment = encoder.Iterations;
        options.Iterations = _options.TrainingIterations;
        options.Gamma = _options.Gamma;
        options.GaeLambda = 0;
        options.ActorLearningRate = _options.ActorLearningRate;
        options.CriticLearningRate = _options.CriticLearningRate;
        options.EntropyCoefficient = _options.EntropyCoefficient;
        options.MaxGradientNorm = _options.MaxGradientNorm;
        options.CenterAdvantagesPerEpisode = _options.CenterAdvantagesPerUser;
        options.Seed = _options.Seed;
        options.FaultPolicy = _options.FaultPolicy;
        options.CheckpointPath = _options.CheckpointPath;
        options.LearningCurvePath = _options.LearningCurvePath;
        options.CheckpointInterval = 1;
        return options;
    }
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

        return result.Build();
    }
}
