using static TorchSharp.torch;

namespace PromptKit.Training;

/// <summary>A rollout copied into tensors for an update; disposed after it.</summary>
internal sealed class RolloutTensors : IDisposable
{
    public RolloutTensors(RolloutBuffer buffer)
    {
        int n = buffer.Size;
        Size = n;
        Observations = tensor(buffer.Observations, [n, buffer.ObservationSize]);
        Actions = tensor(buffer.Actions, [n, buffer.AgentCount]);
        LogProbabilities = tensor(buffer.LogProbabilities, [n, buffer.AgentCount]);
        Values = tensor(buffer.Values, [n]);
        Advantages = tensor(buffer.Advantages, [n]);
        Returns = tensor(buffer.Returns, [n]);
        Weights = tensor(buffer.Weights, [n]);
        Masks = new Tensor?[buffer.AgentCount];
        if (buffer.Masks is bool[] masks)
        {
            using Tensor all = tensor(masks, [n, buffer.TotalActions]);
            for (int i = 0; i < buffer.AgentCount; i++)
            {
                Masks[i] = all.narrow(1, buffer.ActionOffsets[i], buffer.ActionCounts[i]).contiguous();
            }
        }
    }

    public int Size { get; }

    public Tensor Observations { get; }

    public Tensor Actions { get; }

    public Tensor LogProbabilities { get; }

    public Tensor Values { get; }

    public Tensor Advantages { get; }

    public Tensor Returns { get; }

    public Tensor Weights { get; }

    public Tensor?[] Masks { get; }

    public void Dispose()
    {
        Observations.Dispose();
        Actions.Dispose();
        LogProbabilities.Dispose();
        Values.Dispose();
        Advantages.Dispose();
        Returns.Dispose();
        Weights.Dispose();
        foreach (Tensor? mask in Masks)
        {
            mask?.Dispose();
        }
    }
}
