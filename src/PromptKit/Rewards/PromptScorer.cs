using System.Collections.Immutable;
using Microsoft.Extensions.AI;

namespace PromptKit;

/// <summary>Scores prompts with a frozen model: renders each prompt, runs it through a <see cref="PromptEvaluator"/> and rewards the output against a target.</summary>
/// <typeparam name="TTarget">The reward's target type.</typeparam>
/// <remarks>
/// <para>This is the reward signal of every prompt learner: an environment step builds a prompt and asks a scorer for
/// its reward. Rewards are computed only from successful responses; see <see cref="PromptScore"/>.</para>
/// <para>Thread-safe when the evaluator and reward are (PromptKit's are).</para>
/// </remarks>
public sealed class PromptScorer<TTarget>
{
    private readonly PromptEvaluator _evaluator;
    private readonly IReward<TTarget> _reward;
    private readonly PromptFormat? _format;
    private readonly ChatOptions? _chatOptions;

    /// <summary>Initializes a new instance of the <see cref="PromptScorer{TTarget}"/> class.</summary>
    /// <param name="evaluator">The evaluator that calls the frozen model.</param>
    /// <param name="reward">The reward of an output.</param>
    /// <param name="format">How prompts are rendered, or <see langword="null"/> for <see cref="PromptFormat.Default"/>.</param>
    /// <param name="chatOptions">The chat options, or <see langword="null"/> for the evaluator's defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="evaluator"/> or <paramref name="reward"/> is <see langword="null"/>.</exception>
    public PromptScorer(PromptEvaluator evaluator, IReward<TTarget> reward, PromptFormat? format = null, ChatOptions? chatOptions = null)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(reward);
        _evaluator = evaluator;
        _reward = reward;
        _format = format;
        _chatOptions = chatOptions;
    }

    /// <summary>Gets the reward.</summary>
    public IReward<TTarget> Reward => _reward;

    /// <summary>Scores one prompt.</summary>
    /// <param name="prompt">The prompt.</param>
    /// <param name="target">The target the output is compared with.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>The score; its reward is <see langword="null"/> when the model call did not succeed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> or <paramref name="target"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The reward returned NaN or infinity.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<PromptScore> ScoreAsync(Prompt prompt, TTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(target);
        PromptEvaluation evaluation = await _evaluator.EvaluateAsync(prompt, _format, _chatOptions, cancellationToken).ConfigureAwait(false);
        return Score(prompt, evaluation, target);
    }

    /// <summary>Scores many prompts, each against its own target, with the evaluator's concurrency bound.</summary>
    /// <param name="prompts">The prompts.</param>
    /// <param name="targets">One target per prompt.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>One score per prompt, in input order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompts"/> or <paramref name="targets"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The counts differ, or a prompt or target is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The reward returned NaN or infinity.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ImmutableArray<PromptScore>> ScoreManyAsync(IReadOnlyList<Prompt> prompts, IReadOnlyList<TTarget> targets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(targets);
        if (prompts.Count != targets.Count)
        {
            throw new ArgumentException($"Target count {targets.Count} does not match prompt count {prompts.Count}: pass one target per prompt.", nameof(targets));
        }

        for (int i = 0; i < targets.Count; i++)
        {
            if (targets[i] is null)
            {
                throw new ArgumentException($"The target at index {i} is null.", nameof(targets));
            }
        }

        ImmutableArray<PromptEvaluation> evaluations = await _evaluator.EvaluateManyAsync(prompts, _format, _chatOptions, cancellationToken).ConfigureAwait(false);
        var scores = ImmutableArray.CreateBuilder<PromptScore>(evaluations.Length);
        for (int i = 0; i < evaluations.Length; i++)
        {
            scores.Add(Score(prompts[i], evaluations[i], targets[i]));
        }

        return scores.MoveToImmutable();
    }

    private PromptScore Score(Prompt prompt, PromptEvaluation evaluation, TTarget target)
    {
        if (!evaluation.IsSuccess || evaluation.Text is null)
        {
            return new PromptScore(prompt, evaluation, reward: null);
        }

        double reward;
        if (_reward is IRejectingReward<TTarget> rejecting)
        {
            if (!rejecting.TryCompute(evaluation.Text, target, out reward))
            {
                return new PromptScore(prompt, evaluation, reward: null, isRejected: true);
            }
        }
        else
        {
            reward = _reward.Compute(evaluation.Text, target);
        }

        if (!double.IsFinite(reward))
        {
            throw new InvalidOperationException($"Reward '{_reward.Name}' returned {reward} for a model output; rewards must be finite.");
        }

        return new PromptScore(prompt, evaluation, reward);
    }
}
