using System.Numerics.Tensors;

namespace PromptKit.OnnxRuntime;

/// <summary>Chooses the next token from logits: greedy (argmax), or temperature sampling restricted by top-k and top-p (nucleus).</summary>
/// <remarks>
/// Sampling follows Hugging Face <c>transformers</c>' order of logits warpers: divide by the temperature, keep the
/// <c>k</c> most likely tokens, then keep the smallest most-likely set whose probability reaches <c>p</c> (at least one
/// token), and draw from the renormalized distribution with one <see cref="Random.NextDouble"/>. Ties in the ordering
/// are broken by <see cref="Array.Sort{TKey, TValue}(TKey[], TValue[], int, int)"/>, deterministically for equal input.
/// One instance per generation (it owns scratch buffers); not thread-safe.
/// </remarks>
internal sealed class TokenSampler
{
    private readonly float _temperature;
    private readonly float _topP;
    private readonly int _topK;
    private readonly Random? _random;
    private float[] _keys = [];
    private int[] _order = [];

    /// <summary>Initializes a new instance of the <see cref="TokenSampler"/> class; a <see langword="null"/> <paramref name="random"/> means greedy.</summary>
    public TokenSampler(float temperature, float topP, int topK, Random? random)
    {
        _temperature = temperature;
        _topP = topP;
        _topK = topK;
        _random = random;
    }

    /// <summary>Gets a value indicating whether the sampler is greedy.</summary>
    public bool IsGreedy => _random is null;

    /// <summary>Returns the index of the largest logit (the first one on ties), as <c>torch.argmax</c>.</summary>
    public static int Greedy(ReadOnlySpan<float> logits) => TensorPrimitives.IndexOfMax(logits);

    /// <summary>Chooses the next token.</summary>
    public int Next(ReadOnlySpan<float> logits)
    {
        if (_random is null)
        {
            return Greedy(logits);
        }

        int n = logits.Length;
        if (_keys.Length != n)
        {
            _keys = new float[n];
            _order = new int[n];
        }

        for (int i = 0; i < n; i++)
        {
            _keys[i] = -logits[i];
            _order[i] = i;
        }

        Array.Sort(_keys, _order, 0, n);                        // ascending -logit = most likely first
        int kept = _topK > 0 && _topK < n ? _topK : n;
        double max = -_keys[0];
        double total = 0.0;
        for (int i = 0; i < kept; i++)
        {
            double weight = Math.Exp((-_keys[i] - max) / _temperature);
            _keys[i] = (float)weight;                           // reuse as unnormalized probabilities
            total += weight;
        }

        if (_topP < 1f)
        {
            double cumulative = 0.0;
            double threshold = _topP * total;
            int nucleus = 0;
            while (nucleus < kept)
            {
                cumulative += _keys[nucleus++];
                if (cumulative >= threshold)
                {
                    break;
                }
            }

            kept = nucleus;
            total = cumulative;
        }

        double u = _random.NextDouble() * total;
        double acc = 0.0;
        for (int i = 0; i < kept; i++)
        {
            acc += _keys[i];
            if (u < acc)
            {
                return _order[i];
            }
        }

        return _order[kept - 1];
    }
}
