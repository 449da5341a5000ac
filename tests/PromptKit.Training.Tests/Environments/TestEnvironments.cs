using System.Collections.Immutable;

namespace PromptKit.Training.Tests;

/// <summary>A contextual bandit: one of <c>contexts</c> one-hot observations per episode, one step; reward 1 for the
/// context's best action ((context * 3 + 1) % actions), else a small noisy amount.</summary>
internal sealed class ContextualBandit(int contexts, int actions, long seed) : ICheckpointableEnvironment
{
    private readonly TrainingRandom _random = new(seed);
    private int _context = -1;

    public int ObservationSize => contexts;

    public IReadOnlyList<int> ActionCounts => [actions];

    public int BestAction(int context) => ((context * 3) + 1) % actions;

    public ValueTask<EnvironmentStep> ResetAsync(CancellationToken cancellationToken = default)
    {
        _context = _random.Next(contexts);
        return ValueTask.FromResult(new EnvironmentStep(Observe(_context)));
    }

    public ValueTask<EnvironmentStep> StepAsync(ReadOnlyMemory<int> actions, CancellationToken cancellationToken = default)
    {
        if (_context < 0)
        {
            throw new InvalidOperationException("Reset first.");
        }

        double reward = actions.Span[0] == BestAction(_context) ? 1.0 : 0.1 * _random.NextDouble();
        var step = new EnvironmentStep(Observe(_context), reward, isTerminal: true);
        _context = -1;
        return ValueTask.FromResult(step);
    }

    public ImmutableArray<float> Observe(int context)
    {
        var observation = new float[contexts];
        observation[context] = 1;
        return [.. observation];
    }

    public void SaveState(BinaryWriter writer)
    {
        Span<byte> state = stackalloc byte[TrainingRandom.StateSize];
        _random.GetState(state);
        writer.Write(state);
        writer.Write(_context);
    }

    public void LoadState(BinaryReader reader)
    {
        _random.SetState(reader.ReadBytes(TrainingRandom.StateSize));
        _context = reader.ReadInt32();
    }
}

/// <summary>A cooperative matrix game of two agents with three actions each and a shared reward: (2, 2) pays 1, (0, 0)
/// pays 0.6 (the easy local optimum), a miscoordinated pair pays 0, and a lone 2 pays −0.2.</summary>
internal sealed class CoordinationGame : IEnvironment
{
    public static readonly double[,] Payoff =
    {
        { 0.6, 0.0, -0.2 },
        { 0.0, 0.3, -0.2 },
        { -0.2, -0.2, 1.0 },
    };

    private bool _running;

    public int ObservationSize => 1;

    public IReadOnlyList<int> ActionCounts => [3, 3];

    public ValueTask<EnvironmentStep> ResetAsync(CancellationToken cancellationToken = default)
    {
        _running = true;
        return ValueTask.FromResult(new EnvironmentStep([1f]));
    }

    public ValueTask<EnvironmentStep> StepAsync(ReadOnlyMemory<int> actions, CancellationToken cancellationToken = default)
    {
        if (!_running)
        {
            throw new InvalidOperationException("Reset first.");
        }

        _running = false;
        return ValueTask.FromResult(new EnvironmentStep([1f], Payoff[actions.Span[0], actions.Span[1]], isTerminal: true));
    }
}

/// <summary>A corridor of <c>length</c> cells: the agent starts at 0 and moves left or right; reaching the end pays 1
/// and ends the episode; every step costs 0.01; after <c>limit</c> steps the episode is truncated. Multi-step episodes
/// with discrete action sequences.</summary>
internal sealed class Corridor(int length, int limit) : ICheckpointableEnvironment
{
    private int _position;
    private int _steps;

    public int ObservationSize => length;

    public IReadOnlyList<int> ActionCounts => [2];

    public ValueTask<EnvironmentStep> ResetAsync(CancellationToken cancellationToken = default)
    {
        _position = 0;
        _steps = 0;
        return ValueTask.FromResult(new EnvironmentStep(Observe()));
    }

    public ValueTask<EnvironmentStep> StepAsync(ReadOnlyMemory<int> actions, CancellationToken cancellationToken = default)
    {
        _position = Math.Clamp(_position + (actions.Span[0] == 1 ? 1 : -1), 0, length - 1);
        _steps++;
        bool done = _position == length - 1;
        return ValueTask.FromResult(new EnvironmentStep(Observe(), done ? 1.0 : -0.01, isTerminal: done, isTruncated: !done && _steps >= limit));
    }

    public void SaveState(BinaryWriter writer)
    {
        writer.Write(_position);
        writer.Write(_steps);
    }

    public void LoadState(BinaryReader reader)
    {
        _position = reader.ReadInt32();
        _steps = reader.ReadInt32();
    }

    private ImmutableArray<float> Observe()
    {
        var observation = new float[length];
        observation[_position] = 1;
        return [.. observation];
    }
}

/// <summary>Wraps an environment and faults the steps whose global index is in a set (the state is left unchanged).</summary>
internal sealed class FaultingEnvironment(IEnvironment inner, Func<int, bool> faultAt) : IEnvironment
{
    private ImmutableArray<float> _last;
    private int _calls;

    public int ObservationSize => inner.ObservationSize;

    public IReadOnlyList<int> ActionCounts => inner.ActionCounts;

    public int Calls => _calls;

    public async ValueTask<EnvironmentStep> ResetAsync(CancellationToken cancellationToken = default)
    {
        EnvironmentStep step = await inner.ResetAsync(cancellationToken);
        _last = step.Observation;
        return step;
    }

    public async ValueTask<EnvironmentStep> StepAsync(ReadOnlyMemory<int> actions, CancellationToken cancellationToken = default)
    {
        if (faultAt(_calls++))
        {
            return EnvironmentStep.Faulted(_last, "simulated model failure");
        }

        EnvironmentStep step = await inner.StepAsync(actions, cancellationToken);
        _last = step.Observation;
        return step;
    }
}

internal static class Greedy
{
    public static double OptimalRate(ActorCriticModel model, ContextualBandit bandit, int contexts)
    {
        IDiscretePolicy policy = model.GetPolicy(0);
        int hits = 0;
        Span<float> logits = stackalloc float[policy.ActionCount];
        for (int c = 0; c < contexts; c++)
        {
            policy.ComputeLogits(bandit.Observe(c).AsSpan(), logits);
            hits += PolicyMath.ArgMax(logits) == bandit.BestAction(c) ? 1 : 0;
        }

        return (double)hits / contexts;
    }

    public static double OptimalProbability(ActorCriticModel model, ContextualBandit bandit, int contexts)
    {
        IDiscretePolicy policy = model.GetPolicy(0);
        double sum = 0;
        Span<float> p = stackalloc float[policy.ActionCount];
        for (int c = 0; c < contexts; c++)
        {
            policy.GetProbabilities(bandit.Observe(c).AsSpan(), p);
            sum += p[bandit.BestAction(c)];
        }

        return sum / contexts;
    }
}
