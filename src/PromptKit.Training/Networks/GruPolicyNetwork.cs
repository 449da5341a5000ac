using TorchSharp;
using static TorchSharp.torch;

namespace PromptKit.Training;

/// <summary>An actor or critic over a flat observation that carries a sequence: a <see cref="GruSequenceEncoder"/>
/// encodes the sequence part, and an <see cref="MlpNetwork"/> head maps the static features and the encoding to the
/// outputs. It fits every trainer and <see cref="ActorCriticModel"/> as is, since the trainers see only flat
/// observation vectors.</summary>
/// <remarks>
/// <para>Observation layout (<see cref="InputSize"/> values): the <see cref="StaticSize"/> static features, then the
/// number of valid steps (0 to <see cref="SequenceLength"/>), then <see cref="SequenceLength"/> × <see cref="FeatureSize"/>
/// sequence values, step-major, padded with anything after the valid steps. <see cref="PackObservation"/> writes it.</para>
/// <para>This is the shape of RPP's state: static user features next to a sequence of item or text embeddings.</para>
/// </remarks>
public sealed class GruPolicyNetwork : nn.Module<Tensor, Tensor>
{
    private readonly GruSequenceEncoder _encoder;
    private readonly MlpNetwork _head;

    /// <summary>Initializes a new instance of the <see cref="GruPolicyNetwork"/> class on the CPU.</summary>
    /// <param name="staticSize">The number of static features (0 for none).</param>
    /// <param name="sequenceLength">The maximum number of sequence steps.</param>
    /// <param name="featureSize">The length of each step's feature vector.</param>
    /// <param name="gruHiddenSize">The length of the GRU's encoding.</param>
    /// <param name="headHiddenSizes">The hidden widths of the head.</param>
    /// <param name="outputSize">The number of outputs (actions for an actor, 1 for a critic).</param>
    /// <param name="activation">The head's hidden nonlinearity.</param>
    /// <param name="outputGain">The orthogonal gain of the head's output layer: 0.01 for an actor, 1 for a critic.</param>
    /// <exception cref="ArgumentNullException"><paramref name="headHiddenSizes"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public GruPolicyNetwork(int staticSize, int sequenceLength, int featureSize, int gruHiddenSize, IReadOnlyList<int> headHiddenSizes, int outputSize, MlpActivation activation = MlpActivation.Tanh, double outputGain = 1.0)
        : base(nameof(GruPolicyNetwork))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(staticSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequenceLength);
        StaticSize = staticSize;
        SequenceLength = sequenceLength;
        _encoder = new GruSequenceEncoder(featureSize, gruHiddenSize);
        _head = new MlpNetwork(staticSize + gruHiddenSize, headHiddenSizes, outputSize, activation, outputGain);
        register_module("encoder", _encoder);
        register_module("head", _head);
    }

    /// <summary>Gets the number of static features.</summary>
    public int StaticSize { get; }

    /// <summary>Gets the maximum number of sequence steps.</summary>
    public int SequenceLength { get; }

    /// <summary>Gets the length of each step's feature vector.</summary>
    public int FeatureSize => _encoder.FeatureSize;

    /// <summary>Gets the length of the observation vectors.</summary>
    public int InputSize => StaticSize + 1 + (SequenceLength * FeatureSize);

    /// <summary>Gets the number of outputs.</summary>
    public int OutputSize => _head.OutputSize;

    /// <summary>Gets the sequence encoder.</summary>
    public GruSequenceEncoder Encoder => _encoder;

    /// <summary>Gets the head.</summary>
    public MlpNetwork Head => _head;

    /// <summary>Writes an observation in this network's layout.</summary>
    /// <param name="staticFeatures">Exactly <see cref="StaticSize"/> values.</param>
    /// <param name="sequence">The valid steps, step-major: a multiple of <see cref="FeatureSize"/>, at most <see cref="SequenceLength"/> steps.</param>
    /// <param name="destination">Exactly <see cref="InputSize"/> values; the padding is zeroed.</param>
    /// <exception cref="ArgumentException">A length does not fit the layout.</exception>
    public void PackObservation(ReadOnlySpan<float> staticFeatures, ReadOnlySpan<float> sequence, Span<float> destination)
    {
        if (staticFeatures.Length != StaticSize)
        {
            throw new ArgumentException($"{staticFeatures.Length} static features were given; the network reads {StaticSize}.", nameof(staticFeatures));
        }

        if (sequence.Length % FeatureSize != 0 || sequence.Length / FeatureSize > SequenceLength)
        {
            throw new ArgumentException($"The sequence has {sequence.Length} values; give up to {SequenceLength} steps of {FeatureSize}.", nameof(sequence));
        }

        if (destination.Length != InputSize)
        {
            throw new ArgumentException($"The destination has length {destination.Length}; expected {InputSize}.", nameof(destination));
        }

        destination.Clear();
        staticFeatures.CopyTo(destination);
        destination[StaticSize] = sequence.Length / FeatureSize;
        sequence.CopyTo(destination[(StaticSize + 1)..]);
    }

    /// <summary>Runs the network.</summary>
    /// <param name="input">A tensor of shape <c>[batch, InputSize]</c>.</param>
    /// <returns>A tensor of shape <c>[batch, OutputSize]</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="input"/> does not have shape <c>[batch, InputSize]</c>.</exception>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dimensions != 2 || input.shape[1] != InputSize)
        {
            throw new ArgumentException($"The input has shape [{string.Join(", ", input.shape)}]; expected [batch, {InputSize}].", nameof(input));
        }

        long batch = input.shape[0];
        Tensor lengths = input.narrow(1, StaticSize, 1).squeeze(1).round().clamp(0, SequenceLength);
        Tensor sequences = input.narrow(1, StaticSize + 1, SequenceLength * FeatureSize).reshape(batch, SequenceLength, FeatureSize);
        Tensor encoding = _encoder.forward(sequences, lengths);
        Tensor features = StaticSize == 0 ? encoding : cat([input.narrow(1, 0, StaticSize), encoding], 1);
        return _head.forward(features);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _encoder.Dispose();
            _head.Dispose();
        }

        base.Dispose(disposing);
    }
}
