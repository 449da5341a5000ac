using System.Collections.Immutable;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using PromptKit.OnnxRuntime;

namespace PromptKit.Training;

/// <summary>The trainable networks of one or more cooperating agents: one actor per agent (decentralized execution:
/// each agent's actor maps the observation to logits over that agent's own actions) and one centralized critic that
/// estimates the value of the observation for the shared reward.</summary>
/// <remarks>
/// <para>A single-agent model has one actor. Actors and the critic are any TorchSharp modules mapping
/// <c>[batch, ObservationSize]</c> to <c>[batch, ActionCounts[i]]</c> and <c>[batch, 1]</c> respectively, so a
/// network with a GRU over a sequence packed into the observation works as well as an MLP;
/// <see cref="CreateMlp"/> builds the usual MLP heads with orthogonal initialization, <see cref="CreateGru"/> GRU
/// networks over a packed sequence, and <see cref="CreatePointer"/> a pointer actor for a prompt rewriter.</para>
/// <para>The model owns its modules and disposes them. It is not thread-safe while a trainer updates it; the
/// <see cref="GetPolicy"/> views are safe for concurrent inference between updates.</para>
/// </remarks>
public sealed class ActorCriticModel : nn.Module
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _actors;
    private readonly nn.Module<Tensor, Tensor> _critic;
    private readonly Func<ActorCriticModel>? _createSameArchitecture;

    /// <summary>Initializes a new instance of the <see cref="ActorCriticModel"/> class from networks you built.</summary>
    /// <param name="observationSize">The length of the observation vectors.</param>
    /// <param name="actors">One actor per agent; actor <c>i</c> outputs <c>actors[i]</c>'s action count of logits.</param>
    /// <param name="actionCounts">The number of actions of each agent, in agent order.</param>
    /// <param name="critic">The centralized critic: one value per observation.</param>
    /// <exception cref="ArgumentNullException">An argument or an actor is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The actor and action-count lists differ in length or are empty, or an actor
    /// appears twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="observationSize"/> or an action count is zero or negative.</exception>
    public ActorCriticModel(int observationSize, IReadOnlyList<nn.Module<Tensor, Tensor>> actors, IReadOnlyList<int> actionCounts, nn.Module<Tensor, Tensor> critic)
        : this(observationSize, actors, actionCounts, critic, null)
    {
    }

    private ActorCriticModel(int observationSize, IReadOnlyList<nn.Module<Tensor, Tensor>> actors, IReadOnlyList<int> actionCounts, nn.Module<Tensor, Tensor> critic, Func<ActorCriticModel>? createSameArchitecture)
        : base(nameof(ActorCriticModel))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentNullException.ThrowIfNull(actors);
        ArgumentNullException.ThrowIfNull(actionCounts);
        ArgumentNullException.ThrowIfNull(critic);
        ActionSpaceValidation.ThrowIfInvalid(actionCounts, nameof(actionCounts));
        if (actors.Count != actionCounts.Count)
        {
            throw new ArgumentException($"There are {actors.Count} actors but {actionCounts.Count} action counts; give one actor per agent.", nameof(actors));
        }

        for (int i = 0; i < actors.Count; i++)
        {
            if (actors[i] is null)
            {
                throw new ArgumentException($"Actor {i} is null.", nameof(actors));
            }

            for (int j = 0; j < i; j++)
            {
                if (ReferenceEquals(actors[i], actors[j]))
                {
                    throw new ArgumentException($"Actors {j} and {i} are the same module; each agent needs its own actor.", nameof(actors));
                }
            }
        }

        ObservationSize = observationSize;
        ActionCounts = [.. actionCounts];
        _createSameArchitecture = createSameArchitecture;
        _actors = new ModuleList<nn.Module<Tensor, Tensor>>([.. actors]);
        _critic = critic;
        register_module("actors", _actors);
        register_module("critic", _critic);
    }

    /// <summary>Gets the length of the observation vectors.</summary>
    public int ObservationSize { get; }

    /// <summary>Gets the number of actions of each agent.</summary>
    public ImmutableArray<int> ActionCounts { get; }

    /// <summary>Gets the number of agents (actors).</summary>
    public int AgentCount => ActionCounts.Length;

    /// <summary>Gets the centralized critic network.</summary>
    public nn.Module<Tensor, Tensor> Critic => _critic;

    /// <summary>Builds MLP actors (output gain 0.01, so the first policy is near uniform) and an MLP critic (output gain 1),
    /// every layer orthogonally initialized, as the strong PPO implementations do.</summary>
    /// <param name="observationSize">The length of the observation vectors.</param>
    /// <param name="actionCounts">The number of actions of each agent; one entry for a single agent.</param>
    /// <param name="hiddenSizes">The hidden widths of every network; <see langword="null"/> gives 64 × 64.</param>
    /// <param name="activation">The hidden nonlinearity.</param>
    /// <param name="seed">Seeds TorchSharp's generator before the weights are drawn, so equal seeds give equal networks.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="actionCounts"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="actionCounts"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or count is zero or negative.</exception>
    public static ActorCriticModel CreateMlp(int observationSize, IReadOnlyList<int> actionCounts, IReadOnlyList<int>? hiddenSizes = null, MlpActivation activation = MlpActivation.Tanh, long seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(observationSize);
        ArgumentNullException.ThrowIfNull(actionCounts);
        ActionSpaceValidation.ThrowIfInvalid(actionCounts, nameof(actionCounts));
        ImmutableArray<int> hidden = hiddenSizes is null ? [64, 64] : [.. hiddenSizes];
        ImmutableArray<int> counts = [.. actionCounts];
        return Build(
            observationSize,
            counts,
            seed,
            (outputs, gain) => new MlpNetwork(observationSize, hidden, outputs, activation, gain),
            () => CreateMlp(observationSize, counts, hidden, activation));
    }

    /// <summary>Builds <see cref="GruPolicyNetwork"/> actors (output gain 0.01) and a <see cref="GruPolicyNetwork"/>
    /// critic (output gain 1) over observations that carry static features and a sequence of feature vectors.</summary>
    /// <param name="staticSize">The number of static features (0 for none).</param>
    /// <param name="sequenceLength">The maximum number of sequence steps.</param>
    /// <param name="featureSize">The length of each step's feature vector.</param>
    /// <param name="actionCounts">The number of actions of each agent.</param>
    /// <param name="gruHiddenSize">The length of each network's GRU encoding.</param>
    /// <param name="hiddenSizes">The hidden widths of every head; <see langword="null"/> gives 64 × 64.</param>
    /// <param name="activation">The heads' hidden nonlinearity.</param>
    /// <param name="seed">Seeds TorchSharp's generator before the weights are drawn.</param>
    /// <returns>The model; its observation size is the networks' <see cref="GruPolicyNetwork.InputSize"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="actionCounts"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="actionCounts"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or count is out of range.</exception>
    public static ActorCriticModel CreateGru(int staticSize, int sequenceLength, int featureSize, IReadOnlyList<int> actionCounts, int gruHiddenSize = 32, IReadOnlyList<int>? hiddenSizes = null, MlpActivation activation = MlpActivation.Tanh, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(actionCounts);
        ActionSpaceValidation.ThrowIfInvalid(actionCounts, nameof(actionCounts));
        ImmutableArray<int> hidden = hiddenSizes is null ? [64, 64] : [.. hiddenSizes];
        ImmutableArray<int> counts = [.. actionCounts];
        ArgumentOutOfRangeException.ThrowIfNegative(staticSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequenceLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureSize);
        return Build(
            staticSize + 1 + (sequenceLength * featureSize),
            counts,
            seed,
            (outputs, gain) => new GruPolicyNetwork(staticSize, sequenceLength, featureSize, gruHiddenSize, hidden, outputs, activation, gain),
            () => CreateGru(staticSize, sequenceLength, featureSize, counts, gruHiddenSize, hidden, activation));
    }

    /// <summary>Builds a single-agent model for a learned prompt rewriter: a <see cref="PointerPolicyNetwork"/> actor that
    /// points at one of <paramref name="maxElements"/> elements or stops (output gain 0.01, so the first policy is near
    /// uniform), and an <see cref="MlpNetwork"/> critic over the whole observation (output gain 1).</summary>
    /// <param name="contextSize">D: the length of the context vector and of each element's encoding.</param>
    /// <param name="progressSize">P: the number of progress features (0 for none).</param>
    /// <param name="elementFeatureSize">F: the number of features of each element, its validity flag first.</param>
    /// <param name="maxElements">E: the number of element slots; the agent has E + 1 actions, the last one stops.</param>
    /// <param name="hiddenSize">H: the actor's attention width.</param>
    /// <param name="criticHiddenSizes">The critic's hidden widths; <see langword="null"/> gives 64 × 64.</param>
    /// <param name="seed">Seeds TorchSharp's generator before the weights are drawn, so equal seeds give equal networks.</param>
    /// <returns>The model; its observation size is the actor's <see cref="PointerPolicyNetwork.InputSize"/>, laid out as
    /// that class describes.</returns>
    /// <remarks>The critic is a plain MLP over the flat observation rather than an attention-pooled value head: it only
    /// steers PPO's advantages during training, is never served, and exports with <see cref="TrainingOnnxExport.ExportCriticToOnnx"/>
    /// as is. It is not permutation-invariant over the elements; the actor is.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range (<paramref name="progressSize"/> negative, another
    /// size or a critic width zero or negative, or the observation longer than <see cref="int.MaxValue"/>); the exception names
    /// the argument.</exception>
    public static ActorCriticModel CreatePointer(int contextSize, int progressSize, int elementFeatureSize, int maxElements, int hiddenSize = 64, IReadOnlyList<int>? criticHiddenSizes = null, long seed = 0)
    {
        int observationSize = PointerPolicyWeights.GetObservationSize(contextSize, progressSize, elementFeatureSize, maxElements);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenSize);
        ImmutableArray<int> criticHidden = criticHiddenSizes is null ? [64, 64] : [.. criticHiddenSizes];
        for (int i = 0; i < criticHidden.Length; i++)
        {
            if (criticHidden[i] <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(criticHiddenSizes), criticHidden[i], $"Critic hidden layer {i} has width {criticHidden[i]}; every width must be positive.");
            }
        }

        return Build(
            observationSize,
            [maxElements + 1],
            seed,
            _ => new PointerPolicyNetwork(contextSize, progressSize, elementFeatureSize, maxElements, hiddenSize),
            () => new MlpNetwork(observationSize, criticHidden, 1, MlpActivation.Tanh, outputGain: 1.0),
            () => CreatePointer(contextSize, progressSize, elementFeatureSize, maxElements, hiddenSize, criticHidden));
    }

    /// <summary>Gets the actor network of one agent.</summary>
    /// <param name="agent">The agent index.</param>
    /// <returns>The actor.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="agent"/> is not an agent index.</exception>
    public nn.Module<Tensor, Tensor> GetActor(int agent)
    {
        ThrowIfNotAgent(agent);
        return _actors[agent];
    }

    /// <summary>Gets an inference view of one agent's actor (no gradients; one dispose scope per call).</summary>
    /// <param name="agent">The agent index.</param>
    /// <returns>The policy; it does not own the network, and reads the current weights on each call.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="agent"/> is not an agent index.</exception>
    public IDiscretePolicy GetPolicy(int agent)
    {
        ThrowIfNotAgent(agent);
        return new TorchDiscretePolicy(_actors[agent], ObservationSize, ActionCounts[agent]);
    }

    /// <summary>Gets an inference view of the critic.</summary>
    /// <returns>The value function; it does not own the network.</returns>
    public IValueFunction GetValueFunction() => new TorchValueFunction(_critic, ObservationSize);

    /// <summary>Creates an independent copy with the same architecture and weights, for example the frozen reference
    /// policy of a KL penalty after supervised pre-training.</summary>
    /// <returns>The copy; dispose it yourself.</returns>
    /// <exception cref="InvalidOperationException">The model was not built by <see cref="CreateMlp"/>, <see cref="CreateGru"/> or <see cref="CreatePointer"/>: build a second
    /// model the same way and copy the weights with <see cref="CopyWeightsTo"/>.</exception>
    public ActorCriticModel Clone()
    {
        if (_createSameArchitecture is null)
        {
            throw new InvalidOperationException($"Only models built by {nameof(CreateMlp)}, {nameof(CreateGru)} or {nameof(CreatePointer)} can be cloned. Build a second model with the same networks and call {nameof(CopyWeightsTo)}.");
        }

        ActorCriticModel copy = _createSameArchitecture();
        CopyWeightsTo(copy);
        return copy;
    }

    /// <summary>Copies every parameter and buffer into a model with the same architecture.</summary>
    /// <param name="destination">The model to overwrite.</param>
    /// <exception cref="ArgumentNullException"><paramref name="destination"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The models' parameters differ in names or shapes.</exception>
    public void CopyWeightsTo(ActorCriticModel destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var noGrad = no_grad();
        var source = state_dict();
        var target = destination.state_dict();
        if (source.Count != target.Count)
        {
            throw new ArgumentException($"The source has {source.Count} tensors and the destination {target.Count}; the architectures differ.", nameof(destination));
        }

        foreach (var (name, tensor) in source)
        {
            if (!target.TryGetValue(name, out Tensor? other) || !other.shape.SequenceEqual(tensor.shape))
            {
                throw new ArgumentException($"The destination has no tensor '{name}' of shape [{string.Join(", ", tensor.shape)}]; the architectures differ.", nameof(destination));
            }

            other.copy_(tensor);
        }
    }

    /// <summary>Saves the weights to a file, atomically (a temporary file renamed over the target) with a SHA-256
    /// checksum that <see cref="LoadWeights"/> verifies.</summary>
    /// <param name="path">The file to write.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    public void SaveWeights(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        CheckpointFile.Write(path, CheckpointFile.WeightsKind, writer => WriteWeights(writer));
    }

    /// <summary>Loads weights saved by <see cref="SaveWeights"/> into this model.</summary>
    /// <param name="path">The file to read.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointException">The file is truncated, corrupt, of another kind, or for another architecture.</exception>
    public void LoadWeights(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        CheckpointFile.Read(path, CheckpointFile.WeightsKind, reader => ReadWeights(reader, path));
    }

    internal string ArchitectureFingerprint()
    {
        var parts = new List<string> { $"obs={ObservationSize}", $"actions={string.Join('x', ActionCounts)}" };
        foreach (var (name, parameter) in named_parameters())
        {
            parts.Add($"{name}:{string.Join('x', parameter.shape)}");
        }

        return string.Join(';', parts);
    }

    internal void WriteWeights(BinaryWriter writer)
    {
        writer.Write(ArchitectureFingerprint());
        using var buffer = new MemoryStream();
        using (var inner = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            save(inner);
        }

        writer.Write(checked((int)buffer.Length));
        writer.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    internal void ReadWeights(BinaryReader reader, string path)
    {
        string fingerprint = reader.ReadString();
        string expected = ArchitectureFingerprint();
        if (!string.Equals(fingerprint, expected, StringComparison.Ordinal))
        {
            throw new CheckpointException($"The weights in '{path}' are for another architecture ({fingerprint}); this model is {expected}.", path);
        }

        int length = reader.ReadInt32();
        byte[] bytes = reader.ReadBytes(length);
        using var stream = new MemoryStream(bytes, writable: false);
        using var inner = new BinaryReader(stream, System.Text.Encoding.UTF8);
        load(inner);
    }

    /// <summary>Builds one actor per agent (output gain 0.01) and a critic (output gain 1) under one seed. TorchSharp's
    /// generator is global: the lock is held from seeding to the last draw, so concurrent callers cannot interleave
    /// draws and every seed gives the same weights.</summary>
    private static ActorCriticModel Build(int observationSize, ImmutableArray<int> counts, long seed, Func<int, double, nn.Module<Tensor, Tensor>> createNetwork, Func<ActorCriticModel> createSameArchitecture) =>
        Build(observationSize, counts, seed, count => createNetwork(count, 0.01), () => createNetwork(1, 1.0), createSameArchitecture);

    /// <summary>Builds one actor per agent (given its action count) and then the critic under one seed, holding the
    /// initialization lock from seeding to the last draw.</summary>
    private static ActorCriticModel Build(int observationSize, ImmutableArray<int> counts, long seed, Func<int, nn.Module<Tensor, Tensor>> createActor, Func<nn.Module<Tensor, Tensor>> createCritic, Func<ActorCriticModel> createSameArchitecture)
    {
        lock (MlpNetwork.InitializationLock)
        {
            torch.manual_seed(seed);
            var actors = new List<nn.Module<Tensor, Tensor>>(counts.Length);
            foreach (int count in counts)
            {
                actors.Add(createActor(count));
            }

            return new ActorCriticModel(observationSize, actors, counts, createCritic(), createSameArchitecture);
        }
    }

    /// <summary>Computes one agent's logits.</summary>
    internal Tensor Logits(int agent, Tensor observations) => _actors[agent].forward(observations);

    /// <summary>Computes the critic's values as a <c>[batch]</c> tensor.</summary>
    internal Tensor Values(Tensor observations) => _critic.forward(observations).reshape(-1);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _actors.Dispose();
            _critic.Dispose();
        }

        base.Dispose(disposing);
    }

    private void ThrowIfNotAgent(int agent)
    {
        if ((uint)agent >= (uint)AgentCount)
        {
            throw new ArgumentOutOfRangeException(nameof(agent), agent, $"The model has {AgentCount} agent(s); use an index from 0 to {AgentCount - 1}.");
        }
    }

}
