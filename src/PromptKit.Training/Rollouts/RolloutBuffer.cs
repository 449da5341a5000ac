namespace PromptKit.Training;

/// <summary>One rollout's transitions, laid out step-major (<c>[steps, environments]</c>), in flat arrays reused
/// from iteration to iteration.</summary>
internal sealed class RolloutBuffer
{
    public RolloutBuffer(int steps, int environments, int observationSize, IReadOnlyList<int> actionCounts, bool masked)
    {
        Steps = steps;
        Environments = environments;
        ObservationSize = observationSize;
        AgentCount = actionCounts.Count;
        ActionCounts = [.. actionCounts];
        ActionOffsets = new int[AgentCount];
        int total = 0;
        for (int i = 0; i < AgentCount; i++)
        {
            ActionOffsets[i] = total;
            total += actionCounts[i];
        }

        TotalActions = total;
        int n = steps * environments;
        Observations = new float[n * observationSize];
        Actions = new long[n * AgentCount];
        LogProbabilities = new float[n * AgentCount];
        Values = new float[n];
        Rewards = new float[n];
        EpisodeEnds = new float[n];
        Weights = new float[n];
        Advantages = new float[n];
        Returns = new float[n];
        LastValues = new float[environments];
        Masks = masked ? new bool[n * total] : null;
    }

    public int Steps { get; }

    public int Environments { get; }

    public int Size => Steps * Environments;

    public int ObservationSize { get; }

    public int AgentCount { get; }

    public int[] ActionCounts { get; }

    /// <summary>Where each agent's flags start within one transition's <see cref="TotalActions"/> mask flags.</summary>
    public int[] ActionOffsets { get; }

    public int TotalActions { get; }

    public float[] Observations { get; }

    public long[] Actions { get; }

    public float[] LogProbabilities { get; }

    public float[] Values { get; }

    public float[] Rewards { get; }

    public float[] EpisodeEnds { get; }

    /// <summary>1 for a recorded transition, 0 for a slot dropped after a fault.</summary>
    public float[] Weights { get; }

    public float[] Advantages { get; }

    public float[] Returns { get; }

    public float[] LastValues { get; }

    public bool[]? Masks { get; }
}
