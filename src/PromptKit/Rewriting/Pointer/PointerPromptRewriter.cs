namespace PromptKit;

/// <summary>A learned <see cref="IPromptRewriter"/>: a pointer policy rewrites a prompt's editable components as a
/// sequence of copied elements (see <see cref="PointerRewriteLayout"/>), decoding greedily (the most probable allowed
/// action at each step), so the same prompt always gets the same rewrite.</summary>
/// <remarks>
/// <para>The policy is any <see cref="IDiscretePolicy"/> over the layout's observations: a TorchSharp actor while
/// training (<c>ActorCriticModel.GetPolicy</c> in PromptKit.Training) or an exported ONNX file in production
/// (<c>OnnxPolicy</c> in PromptKit.OnnxRuntime). A prompt without editable content is returned unchanged.</para>
/// <para>Thread-safe when the policy and the text encoder are. The rewriter does not own the policy; dispose it yourself.</para>
/// </remarks>
public sealed class PointerPromptRewriter : IPromptRewriter
{
    private readonly IDiscretePolicy _policy;

    /// <summary>Initializes a new instance of the <see cref="PointerPromptRewriter"/> class.</summary>
    /// <param name="policy">The trained policy.</param>
    /// <param name="layout">The layout the policy was trained with.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The policy's observation size or action count differs from the layout's.</exception>
    public PointerPromptRewriter(IDiscretePolicy policy, PointerRewriteLayout layout)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(layout);
        if (policy.ObservationSize != layout.ObservationSize || policy.ActionCount != layout.ActionCount)
        {
            throw new ArgumentException($"The policy reads {policy.ObservationSize} values and writes {policy.ActionCount} actions, but the layout needs {layout.ObservationSize} and {layout.ActionCount}; use the layout (encoder dimension and options) the policy was trained with.", nameof(policy));
        }

        _policy = policy;
        Layout = layout;
    }

    /// <summary>Gets the layout.</summary>
    public PointerRewriteLayout Layout { get; }

    /// <inheritdoc/>
    public ValueTask<Prompt> RewriteAsync(Prompt prompt, PromptRewriteContext? context = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        cancellationToken.ThrowIfCancellationRequested();
        PointerRewriteEpisode episode = Layout.Begin(prompt);
        if (episode.Elements.IsEmpty)
        {
            return ValueTask.FromResult(prompt);
        }

        Decode(episode, cancellationToken);
        return ValueTask.FromResult(episode.Compose());
    }

    /// <summary>Runs the policy greedily on an episode until it stops.</summary>
    /// <param name="episode">An unfinished episode of this rewriter's layout.</param>
    /// <param name="cancellationToken">The <see cref="CancellationToken"/> to monitor for cancellation requests. The default is <see cref="CancellationToken.None"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="episode"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="episode"/> belongs to another layout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public void Decode(PointerRewriteEpisode episode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(episode);
        if (!ReferenceEquals(episode.Layout, Layout))
        {
            throw new ArgumentException("The episode was begun by another layout; begin it with this rewriter's Layout.", nameof(episode));
        }

        float[] observation = new float[Layout.ObservationSize];
        bool[] mask = new bool[Layout.ActionCount];
        while (!episode.IsFinished)
        {
            cancellationToken.ThrowIfCancellationRequested();
            episode.Observe(observation);
            episode.GetMask(mask);
            PolicyDecision decision = _policy.SelectAction(observation, ActionSelection.Greedy, mask: mask);
            episode.Apply(decision.Action);
        }
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(_policy) ? _policy
            : serviceType.IsInstanceOfType(Layout) ? Layout
            : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
