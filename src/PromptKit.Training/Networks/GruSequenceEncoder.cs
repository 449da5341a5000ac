using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using PromptKit.OnnxRuntime;

namespace PromptKit.Training;

/// <summary>A one-layer GRU that encodes a padded batch of sequences of feature vectors (item or text embeddings) into
/// one hidden vector per sequence: the hidden state after each sequence's own last step.</summary>
/// <remarks>
/// <para>Initialization follows the recurrent-policy practice of the strong PPO implementations: each gate's recurrent
/// matrix orthogonal, each gate's input matrix orthogonal, biases zero. The GRU's parameters are named
/// <c>gru.weight_ih_l0</c>, <c>gru.weight_hh_l0</c>, <c>gru.bias_ih_l0</c>, <c>gru.bias_hh_l0</c> (PyTorch's gate order
/// r, z, n), so <see cref="GruPolicyWeights.ReorderPyTorchGates"/> converts them for ONNX.</para>
/// <para>A sequence of length 0 encodes as the zero vector.</para>
/// </remarks>
public sealed class GruSequenceEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly GRU _gru;

    /// <summary>Initializes a new instance of the <see cref="GruSequenceEncoder"/> class on the CPU.</summary>
    /// <param name="featureSize">The length of each feature vector.</param>
    /// <param name="hiddenSize">The length of the encoding.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is zero or negative.</exception>
    public GruSequenceEncoder(int featureSize, int hiddenSize)
        : base(nameof(GruSequenceEncoder))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        FeatureSize = featureSize;
        HiddenSize = hiddenSize;
        lock (MlpNetwork.InitializationLock)
        {
            _gru = nn.GRU(featureSize, hiddenSize, numLayers: 1, bias: true, batchFirst: true);
            using (no_grad())
            {
                foreach (var (name, parameter) in _gru.named_parameters())
                {
                    if (name.StartsWith("weight", StringComparison.Ordinal))
                    {
                        for (int gate = 0; gate < 3; gate++)
                        {
                            using Tensor block = parameter.narrow(0, gate * hiddenSize, hiddenSize);
                            nn.init.orthogonal_(block);
                        }
                    }
                    else
                    {
                        nn.init.zeros_(parameter);
                    }
                }
            }
        }

        register_module("gru", _gru);
    }

    /// <summary>Gets the length of each feature vector.</summary>
    public int FeatureSize { get; }

    /// <summary>Gets the length of the encoding.</summary>
    public int HiddenSize { get; }

    /// <summary>Gets the underlying GRU (for export).</summary>
    internal GRU Gru => _gru;

    /// <summary>Encodes a padded batch.</summary>
    /// <param name="sequences">A tensor of shape <c>[batch, steps, FeatureSize]</c>; steps past a sequence's length are ignored.</param>
    /// <param name="lengths">The valid length of each sequence, shape <c>[batch]</c>, integers from 0 to <c>steps</c>.</param>
    /// <returns>A tensor of shape <c>[batch, HiddenSize]</c>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A shape does not match.</exception>
    public override Tensor forward(Tensor sequences, Tensor lengths)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentNullException.ThrowIfNull(lengths);
        if (sequences.Dimensions != 3 || sequences.shape[2] != FeatureSize)
        {
            throw new ArgumentException($"The sequences have shape [{string.Join(", ", sequences.shape)}]; expected [batch, steps, {FeatureSize}].", nameof(sequences));
        }

        if (lengths.Dimensions != 1 || lengths.shape[0] != sequences.shape[0])
        {
            throw new ArgumentException($"The lengths have shape [{string.Join(", ", lengths.shape)}]; expected [{sequences.shape[0]}].", nameof(lengths));
        }

        (Tensor outputs, Tensor finalState) = _gru.forward(sequences);
        finalState.Dispose();
        Tensor steps = lengths.to_type(ScalarType.Int64);
        Tensor last = (steps - 1).clamp_min(0).view(-1, 1, 1).expand(-1, 1, HiddenSize);
        Tensor picked = outputs.gather(1, last).squeeze(1);
        return picked * steps.gt(0).to_type(picked.dtype).unsqueeze(1);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gru.Dispose();
        }

        base.Dispose(disposing);
    }
}
