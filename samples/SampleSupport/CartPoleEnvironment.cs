using System.Collections.Immutable;
using PromptKit.Training;

namespace PromptKit.Samples;

/// <summary>The classic cart-pole balancing task, CartPole-v1, with the dynamics of Gymnasium's <c>CartPoleEnv</c>.</summary>
/// <remarks>
/// <para>State (x, ẋ, θ, θ̇) is kept in double precision and observed as four floats, as Gymnasium does. Action 0 pushes
/// the cart left with 10 N, action 1 right. The physics (Barto, Sutton and Anderson, 1983, with the correction of
/// Florian, 2007, as Gymnasium writes it): gravity 9.8, cart mass 1.0, pole mass 0.1, pole half-length 0.5, τ = 0.02 s,
/// explicit Euler integration.</para>
/// <para>Every step pays 1, the terminating one included. The episode terminates when |x| &gt; 2.4 or |θ| &gt; 12°, and
/// is truncated (Gymnasium's <c>TimeLimit</c>, <c>max_episode_steps=500</c>) after 500 steps; both flags can be set on the
/// same step. A reset draws each state variable uniformly from [−0.05, 0.05) with the environment's seeded
/// <see cref="TrainingRandom"/>.</para>
/// <para><see cref="SaveState"/> writes the physical state, the step count, whether an episode is running and the random
/// generator's state, so a trainer checkpoint resumes the exact trajectory. Not thread-safe: one instance per episode
/// slot.</para>
/// </remarks>
public sealed class CartPoleEnvironment : ICheckpointableEnvironment
{
    /// <summary>The number of steps after which an episode is truncated.</summary>
    public const int MaxEpisodeSteps = 500;

    /// <summary>The gravitational acceleration, in m/s².</summary>
    public const double Gravity = 9.8;

    /// <summary>The cart's mass, in kg.</summary>
    public const double CartMass = 1.0;

    /// <summary>The pole's mass, in kg.</summary>
    public const double PoleMass = 0.1;

    /// <summary>Half the pole's length, in m (Gymnasium's <c>length</c>).</summary>
    public const double PoleHalfLength = 0.5;

    /// <summary>The magnitude of the force an action applies, in N.</summary>
    public const double ForceMagnitude = 10.0;

    /// <summary>The time step, in s.</summary>
    public const double Tau = 0.02;

    /// <summary>The cart position beyond which the episode terminates, in m.</summary>
    public const double PositionThreshold = 2.4;

    /// <summary>The pole angle beyond which the episode terminates: 12°, in radians.</summary>
    public const double AngleThreshold = 12 * 2 * Math.PI / 360;

    private const double TotalMass = CartMass + PoleMass;
    private const double PoleMassLength = PoleMass * PoleHalfLength;
    private const int StateVersion = 1;
    private static readonly ImmutableArray<int> Actions = [2];

    private readonly TrainingRandom _random;
    private double _x;
    private double _xDot;
    private double _theta;
    private double _thetaDot;
    private int _steps;
    private bool _running;

    /// <summary>Initializes a new instance of the <see cref="CartPoleEnvironment"/> class.</summary>
    /// <param name="seed">The seed of the initial states; equal seeds give equal episodes for equal actions.</param>
    public CartPoleEnvironment(long seed) => _random = new TrainingRandom(seed);

    /// <inheritdoc />
    public int ObservationSize => 4;

    /// <inheritdoc />
    public IReadOnlyList<int> ActionCounts => Actions;

    /// <summary>Gets the current physical state: cart position and velocity, pole angle and angular velocity.</summary>
    public (double X, double XDot, double Theta, double ThetaDot) State => (_x, _xDot, _theta, _thetaDot);

    /// <summary>Gets the number of steps taken in the current episode.</summary>
    public int EpisodeSteps => _steps;

    /// <inheritdoc />
    public ValueTask<EnvironmentStep> ResetAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        double x = Uniform(), xDot = Uniform(), theta = Uniform(), thetaDot = Uniform();
        return ValueTask.FromResult(ResetTo(x, xDot, theta, thetaDot));
    }

    /// <summary>Starts a new episode from a given state, without drawing from the random generator (for tests and
    /// demonstrations; Gymnasium's equivalent is assigning <c>env.unwrapped.state</c> after a reset).</summary>
    /// <param name="x">The cart position.</param>
    /// <param name="xDot">The cart velocity.</param>
    /// <param name="theta">The pole angle, in radians.</param>
    /// <param name="thetaDot">The pole's angular velocity.</param>
    /// <returns>The first observation.</returns>
    /// <exception cref="ArgumentException">A value is NaN or infinite.</exception>
    public EnvironmentStep ResetTo(double x, double xDot, double theta, double thetaDot)
    {
        RequireFinite(x, nameof(x));
        RequireFinite(xDot, nameof(xDot));
        RequireFinite(theta, nameof(theta));
        RequireFinite(thetaDot, nameof(thetaDot));
        (_x, _xDot, _theta, _thetaDot) = (x, xDot, theta, thetaDot);
        _steps = 0;
        _running = true;
        return new EnvironmentStep(Observe());
    }

    /// <inheritdoc />
    public ValueTask<EnvironmentStep> StepAsync(ReadOnlyMemory<int> actions, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (actions.Length != 1)
        {
            throw new ArgumentException($"CartPole has one agent; got {actions.Length} actions.", nameof(actions));
        }

        int action = actions.Span[0];
        if ((uint)action > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(actions), action, "CartPole's action is 0 (push left) or 1 (push right).");
        }

        if (!_running)
        {
            throw new InvalidOperationException("No episode is running: call ResetAsync first, or again after the episode ended.");
        }

        // Gymnasium's CartPoleEnv.step, term for term (kinematics_integrator = "euler").
        double force = action == 1 ? ForceMagnitude : -ForceMagnitude;
        double cosTheta = Math.Cos(_theta);
        double sinTheta = Math.Sin(_theta);
        double temp = (force + (PoleMassLength * _thetaDot * _thetaDot * sinTheta)) / TotalMass;
        double thetaAcc = ((Gravity * sinTheta) - (cosTheta * temp))
            / (PoleHalfLength * ((4.0 / 3.0) - (PoleMass * cosTheta * cosTheta / TotalMass)));
        double xAcc = temp - (PoleMassLength * thetaAcc * cosTheta / TotalMass);
        _x += Tau * _xDot;
        _xDot += Tau * xAcc;
        _theta += Tau * _thetaDot;
        _thetaDot += Tau * thetaAcc;
        _steps++;

        bool terminated = _x < -PositionThreshold || _x > PositionThreshold || _theta < -AngleThreshold || _theta > AngleThreshold;
        bool truncated = _steps >= MaxEpisodeSteps;
        _running = !(terminated || truncated);
        return ValueTask.FromResult(new EnvironmentStep(Observe(), reward: 1.0, isTerminal: terminated, isTruncated: truncated));
    }

    /// <inheritdoc />
    public void SaveState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> random = stackalloc byte[TrainingRandom.StateSize];
        _random.GetState(random);
        writer.Write(StateVersion);
        writer.Write(random);
        writer.Write(_x);
        writer.Write(_xDot);
        writer.Write(_theta);
        writer.Write(_thetaDot);
        writer.Write(_steps);
        writer.Write(_running);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidDataException">The state was written by another version of this class.</exception>
    public void LoadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int version = reader.ReadInt32();
        if (version != StateVersion)
        {
            throw new InvalidDataException($"The saved CartPole state has version {version}; this build reads version {StateVersion}.");
        }

        _random.SetState(reader.ReadBytes(TrainingRandom.StateSize));
        _x = reader.ReadDouble();
        _xDot = reader.ReadDouble();
        _theta = reader.ReadDouble();
        _thetaDot = reader.ReadDouble();
        _steps = reader.ReadInt32();
        _running = reader.ReadBoolean();
    }

    private double Uniform() => -0.05 + (0.1 * _random.NextDouble());

    private ImmutableArray<float> Observe() => [(float)_x, (float)_xDot, (float)_theta, (float)_thetaDot];

    private static void RequireFinite(double value, string name)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"The state value {value} is not finite.", name);
        }
    }
}
