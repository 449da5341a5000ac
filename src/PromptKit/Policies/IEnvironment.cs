namespace PromptKit;

/// <summary>An episodic environment with discrete actions, in which one or more agents act at each step.</summary>
/// <remarks>
/// <para>Prompt-learning environments wrap a frozen model: an action edits or selects part of a prompt, the environment
/// runs the prompt through the model (usually a <see cref="PromptEvaluator"/>) and the reward scores the output. Each
/// step may therefore make model calls, which is why the methods are asynchronous.</para>
/// <para>With several agents (as in Reinforced Prompt Personalization, one agent per prompt pattern), every step takes
/// one action per agent; <see cref="ActionCounts"/> has one entry per agent. A single-agent environment has one entry.</para>
/// <para>An instance holds one episode's state and is not thread-safe; run episodes in parallel with one instance each.</para>
/// </remarks>
public interface IEnvironment
{
    /// <summary>Gets the length of the observation vectors.</summary>
    int ObservationSize { get; }

    /// <summary>Gets the number of actions of each agent.</summary>
    IReadOnlyList<int> ActionCounts { get; }

    /// <summary>Starts a new episode.</summary>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>The first observation (reward 0, not terminal).</returns>
    ValueTask<EnvironmentStep> ResetAsync(CancellationToken cancellationToken = default);

    /// <summary>Applies one action per agent.</summary>
    /// <param name="actions">One action index per agent, in the order of <see cref="ActionCounts"/>.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <returns>The next observation, the shared reward and whether the episode ended.</returns>
    /// <exception cref="ArgumentException"><paramref name="actions"/> does not hold one action per agent.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An action is outside its agent's range.</exception>
    /// <exception cref="InvalidOperationException">No episode is running: call <see cref="ResetAsync"/> first, or again after a terminal step.</exception>
    ValueTask<EnvironmentStep> StepAsync(ReadOnlyMemory<int> actions, CancellationToken cancellationToken = default);
}
