using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptKit.Internalization;

/// <summary>A linear layer <c>y = x Wᵀ + b</c> whose base weight is a trainable or frozen float parameter or frozen NF4
/// blocks dequantized on the fly, with an optional LoRA adapter <c>+ (α/r) · dropout(x) Aᵀ Bᵀ</c>. State-dict names
/// follow Hugging Face and PEFT: <c>weight</c>, <c>bias</c>, <c>lora_A.weight</c>, <c>lora_B.weight</c>.</summary>
internal sealed class AdaptableLinear : nn.Module<Tensor, Tensor>
{
    private readonly int _inFeatures;
    private readonly int _outFeatures;
    private Parameter? _weight;
    private Parameter? _bias;
    private Nf4Weight? _quantized;
    private WeightHolder? _loraA;
    private WeightHolder? _loraB;
    private double _loraScale;
    private double _loraDropout;
    private DropoutSource? _dropoutSource;
    private bool _merged;

    public AdaptableLinear(string name, int inFeatures, int outFeatures, bool hasBias)
        : base(name)
    {
        _inFeatures = inFeatures;
        _outFeatures = outFeatures;
        _weight = new Parameter(empty(outFeatures, inFeatures));
        register_parameter("weight", _weight);
        if (hasBias)
        {
            _bias = new Parameter(zeros(outFeatures));
            register_parameter("bias", _bias);
        }
    }

    public int InFeatures => _inFeatures;

    public int OutFeatures => _outFeatures;

    public bool HasAdapter => _loraA is not null;

    public bool IsMerged => _merged;

    public bool IsQuantized => _quantized is not null;

    public Tensor? Bias => _bias;

    public Tensor? LoraA => _loraA?.Weight;

    public Tensor? LoraB => _loraB?.Weight;

    /// <summary>Gets the bytes the base weight occupies (float32 or NF4 blocks).</summary>
    public long BaseWeightBytes => _quantized?.StoredBytes ?? ((long)_inFeatures * _outFeatures * sizeof(float));

    /// <summary>Gets the base weight as a float tensor (dequantized when stored as NF4; a new tensor then).</summary>
    public Tensor BaseWeight() => _quantized is { } q ? q.Dequantize() : _weight!;

    // Every component is registered by name in the constructor and methods; no field is registered by reflection.
    protected override void RegisterComponents()
    {
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor weight = BaseWeight();
        Tensor output = nn.functional.linear(input, weight, _bias);
        if (_loraA is not null && !_merged)
        {
            Tensor x = _loraDropout > 0 && training ? Dropout(input) : input;
            Tensor update = nn.functional.linear(nn.functional.linear(x, _loraA.Weight), _loraB!.Weight);
            output = output.add(update, alpha: _loraScale);
        }

        return output.MoveToOuterDisposeScope();
    }

    /// <summary>Replaces the float base weight with NF4 blocks (frozen).</summary>
    public void QuantizeBase()
    {
        if (_quantized is not null)
        {
            return;
        }

        if (_merged)
        {
            throw new InvalidOperationException("Unmerge the adapter before quantizing the base weight.");
        }

        float[] values;
        using (NewDisposeScope())
        {
            values = _weight!.detach().contiguous().data<float>().ToArray();
        }

        _quantized = new Nf4Weight(Nf4.Quantize(values), _outFeatures, _inFeatures);
        _weight.Dispose();
        _weight = null;
        // The name 'weight' stays free for a merged, dequantized weight; the NF4 blocks are buffers of their own.
        _ = _internal_params.Remove("weight");
        register_buffer("weight_nf4_codes", _quantized.Codes, persistent: false);
    }

    /// <summary>Adds a LoRA adapter: A from a Kaiming-uniform draw, B zero, so the layer starts out unchanged (PEFT's initialization).</summary>
    public void AddAdapter(int rank, double alpha, double dropout, Generator generator, DropoutSource dropoutSource)
    {
        if (_loraA is not null)
        {
            throw new InvalidOperationException($"The layer '{GetName()}' already has an adapter.");
        }

        double bound = 1.0 / Math.Sqrt(_inFeatures); // kaiming_uniform_(a = sqrt(5)) as PEFT and nn.Linear use
        // Kept by the model: out of any dispose scope of the caller's.
        Tensor a = rand([rank, _inFeatures], generator: generator).mul_(2 * bound).sub_(bound).DetachFromDisposeScope();
        _loraA = new WeightHolder("lora_A", a);
        _loraB = new WeightHolder("lora_B", zeros(_outFeatures, rank).DetachFromDisposeScope());
        register_module("lora_A", _loraA);
        register_module("lora_B", _loraB);
        _loraScale = alpha / rank;
        _loraDropout = dropout;
        _dropoutSource = dropoutSource;
    }

    /// <summary>Adds the adapter's update into the base weight (a quantized base is dequantized to float first).</summary>
    public void Merge()
    {
        if (_loraA is null || _merged)
        {
            return;
        }

        using var scope = NewDisposeScope();
        if (_quantized is not null)
        {
            DequantizeBase();
        }

        using (no_grad())
        {
            _weight!.add_(_loraB!.Weight.matmul(_loraA.Weight).mul_(_loraScale));
        }

        _merged = true;
    }

    /// <summary>Subtracts the adapter's update from the base weight again.</summary>
    public void Unmerge()
    {
        if (!_merged)
        {
            return;
        }

        using var scope = NewDisposeScope();
        using (no_grad())
        {
            _weight!.sub_(_loraB!.Weight.matmul(_loraA!.Weight).mul_(_loraScale));
        }

        _merged = false;
    }

    /// <summary>Removes the adapter (after a merge the update stays in the weight).</summary>
    public void RemoveAdapter()
    {
        if (_loraA is null)
        {
            return;
        }

        _ = _internal_submodules.Remove("lora_A");
        _ = _internal_submodules.Remove("lora_B");
        _loraA.Dispose();
        _loraB!.Dispose();
        _loraA = null;
        _loraB = null;
        _merged = false;
    }

    /// <summary>Inverted dropout drawn from the model's dropout generator (seeded per step by the trainer), so that
    /// training is reproducible whatever else uses TorchSharp's global generator at the same time.</summary>
    private Tensor Dropout(Tensor input)
    {
        Tensor draw = _dropoutSource?.Generator is { } generator ? rand(input.shape, generator: generator) : rand(input.shape);
        Tensor keep = draw.ge(_loraDropout).to(input.dtype);
        return input.mul(keep).div(1 - _loraDropout);
    }

    private void DequantizeBase()
    {
        Tensor full = _quantized!.Dequantize().DetachFromDisposeScope(); // kept by the model, whatever scope the caller has
        _ = _internal_buffers.Remove("weight_nf4_codes");
        _quantized.Dispose();
        _quantized = null;
        _weight = new Parameter(full, requires_grad: false);
        register_parameter("weight", _weight);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _quantized?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>A module with one parameter named <c>weight</c>, so adapter names read <c>lora_A.weight</c> as PEFT's do.</summary>
    internal sealed class WeightHolder : nn.Module
    {
        public WeightHolder(string name, Tensor weight)
            : base(name)
        {
            Weight = new Parameter(weight);
            register_parameter("weight", Weight);
        }

        protected override void RegisterComponents()
        {
        }

        public Parameter Weight { get; }
    }
}
