using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using PromptKit.OnnxRuntime;

namespace PromptKit.Training;

/// <summary>A pointer (additive attention) actor for a rewriter that writes a prompt section as a sequence of copied
/// elements: at each step it points at one of up to <see cref="MaxElements"/> elements (the same element again is a
/// repeat) or stops. It fits every trainer and <see cref="ActorCriticModel"/> as is, since it reads the flat observation
/// vectors the trainers feed.</summary>
/// <remarks>
/// <para>Observation layout (<see cref="InputSize"/> values), with D = <see cref="ContextSize"/>, P =
/// <see cref="ProgressSize"/>, F = <see cref="ElementFeatureSize"/> and E = <see cref="MaxElements"/>:</para>
/// <code>
/// [ context c (D) | progress p (P) | element 0: [ encoding e_0 (D) | features g_0 (F) ] | ... | element E-1 ]
/// </code>
/// <para>Feature <c>g_i[0]</c> is the element's validity flag m_i (1 for a real element, 0 for padding). With
/// q = [c ; p] and k_i = [e_i ; g_i ; e_i ⊙ c]:</para>
/// <code>
/// h_i     = tanh(W_k·k_i + W_q·q + b)                     (Bahdanau attention, hidden size H)
/// score_i = v·h_i + b_v                                   (logit of action i: point at element i)
/// pooled  = Σ_i m_i·h_i / max(Σ_i m_i, 1)
/// stop    = w_2·tanh(W_1·[q ; pooled] + b_1) + b_2        (logit of action E: stop)
/// </code>
/// <para>The output is <c>[batch, E + 1]</c>: the E element scores, then the stop logit. Scores are equivariant under
/// a permutation of the element blocks and the stop logit is invariant under it; padding elements never reach the stop
/// logit. The network does not mask invalid elements itself: the environment's action mask (which the trainers and
/// <see cref="IDiscretePolicy"/> selection apply) does.</para>
/// <para>Initialization follows <see cref="MlpNetwork"/>: orthogonal weights, zero biases, hidden layers
/// (<see cref="ElementProjection"/>, <see cref="QueryProjection"/>, the stop head's hidden layer) with gain
/// <see cref="MlpNetwork.DefaultHiddenGain"/>, and the output layers (<see cref="Score"/> and the stop head's last
/// layer) with the output gain, 0.01 by default, so that the first policy is close to uniform.</para>
/// <para>Parameters are named <c>key.weight</c>, <c>key.bias</c> (W_k, b), <c>query.weight</c> (W_q, no bias),
/// <c>score.weight</c>, <c>score.bias</c> (v, b_v) and <c>stop.layers.{index}.*</c> (the stop head).</para>
/// </remarks>
public sealed class PointerPolicyNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Linear _key;
    private readonly Linear _query;
    private readonly Linear _score;
    private readonly MlpNetwork _stop;

    /// <summary>Initializes a new instance of the <see cref="PointerPolicyNetwork"/> class on the CPU.</summary>
    /// <param name="contextSize">D: the length of the context vector and of each element's encoding.</param>
    /// <param name="progressSize">P: the number of progress features (0 for none).</param>
    /// <param name="elementFeatureSize">F: the number of features of each element; the first is its validity flag.</param>
    /// <param name="maxElements">E: the number of element slots; the network writes E + 1 logits.</param>
    /// <param name="hiddenSize">H: the width of the attention and of the stop head's hidden layer.</param>
    /// <param name="outputGain">The orthogonal-initialization gain of the output layers (v and w_2).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range (<paramref name="progressSize"/> negative,
    /// another size zero or negative, or the observation longer than <see cref="int.MaxValue"/>), or
    /// <paramref name="outputGain"/> is negative, NaN or infinite.</exception>
    public PointerPolicyNetwork(int contextSize, int progressSize, int elementFeatureSize, int maxElements, int hiddenSize = 64, double outputGain = 0.01)
        : base(nameof(PointerPolicyNetwork))
    {
        InputSize = PointerPolicyWeights.GetObservationSize(contextSize, progressSize, elementFeatureSize, maxElements);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        MlpNetwork.ValidateGain(outputGain, nameof(outputGain));
        ContextSize = contextSize;
        ProgressSize = progressSize;
        ElementFeatureSize = elementFeatureSize;
        MaxElements = maxElements;
        HiddenSize = hiddenSize;
        OutputGain = outputGain;

        _key = MlpNetwork.CreateLinear((2 * contextSize) + elementFeatureSize, hiddenSize, MlpNetwork.DefaultHiddenGain);
        _query = MlpNetwork.CreateLinear(contextSize + progressSize, hiddenSize, MlpNetwork.DefaultHiddenGain, hasBias: false);
        _score = MlpNetwork.CreateLinear(hiddenSize, 1, outputGain);
        _stop = new MlpNetwork(contextSize + progressSize + hiddenSize, [hiddenSize], 1, MlpActivation.Tanh, outputGain);
        register_module("key", _key);
        register_module("query", _query);
        register_module("score", _score);
        register_module("stop", _stop);
    }

    /// <summary>Gets D: the length of the context vector and of each element's encoding.</summary>
    public int ContextSize { get; }

    /// <summary>Gets P: the number of progress features.</summary>
    public int ProgressSize { get; }

    /// <summary>Gets F: the number of features of each element, the validity flag first.</summary>
    public int ElementFeatureSize { get; }

    /// <summary>Gets E: the number of element slots.</summary>
    public int MaxElements { get; }

    /// <summary>Gets H: the width of the attention and of the stop head's hidden layer.</summary>
    public int HiddenSize { get; }

    /// <summary>Gets the orthogonal-initialization gain of the output layers.</summary>
    public double OutputGain { get; }

    /// <summary>Gets the length of the observation vectors: D + P + E × (D + F).</summary>
    public int InputSize { get; }

    /// <summary>Gets the number of outputs: E element logits and the stop logit.</summary>
    public int OutputSize => MaxElements + 1;

    /// <summary>Gets the action index that stops: <see cref="MaxElements"/>.</summary>
    public int StopAction => MaxElements;

    /// <summary>Gets W_k and b: the projection of each key [e_i ; g_i ; e_i ⊙ c] (2D + F values) to H.</summary>
    public Linear ElementProjection => _key;

    /// <summary>Gets W_q: the projection of the query [c ; p] (D + P values) to H, without a bias.</summary>
    public Linear QueryProjection => _query;

    /// <summary>Gets v and b_v: the projection of each attention state h_i to its score.</summary>
    public Linear Score => _score;

    /// <summary>Gets the stop head: [q ; pooled] (D + P + H values) → H (tanh) → 1.</summary>
    public MlpNetwork StopHead => _stop;

    /// <summary>Runs the network.</summary>
    /// <param name="input">A tensor of shape <c>[batch, InputSize]</c>.</param>
    /// <returns>A tensor of shape <c>[batch, MaxElements + 1]</c>: the element scores, then the stop logit.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="input"/> does not have shape <c>[batch, InputSize]</c>.</exception>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dimensions != 2 || input.shape[1] != InputSize)
        {
            throw new ArgumentException($"The input has shape [{string.Join(", ", input.shape)}]; expected [batch, {InputSize}].", nameof(input));
        }

        int d = ContextSize;
        int block = d + ElementFeatureSize;
        long batch = input.shape[0];
        Tensor query = input.narrow(1, 0, d + ProgressSize);
        Tensor context = input.narrow(1, 0, d);
        Tensor elements = input.narrow(1, d + ProgressSize, (long)MaxElements * block).reshape(batch, MaxElements, block);
        Tensor encodings = elements.narrow(2, 0, d);
        Tensor validity = elements.narrow(2, d, 1);

        // k_i = [e_i ; g_i ; e_i ⊙ c]; [e_i ; g_i] is the element block itself.
        Tensor keys = cat([elements, encodings * context.unsqueeze(1)], 2);
        Tensor attention = tanh(_key.forward(keys) + _query.forward(query).unsqueeze(1));
        Tensor scores = _score.forward(attention).squeeze(2);

        Tensor pooled = (attention * validity).sum(1) / validity.sum(1).clamp_min(1);
        Tensor stop = _stop.forward(cat([query, pooled], 1));
        return cat([scores, stop], 1);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _key.Dispose();
            _query.Dispose();
            _score.Dispose();
            _stop.Dispose();
        }

        base.Dispose(disposing);
    }
}
