namespace PromptKit.Training;

/// <summary>Checks lists of per-agent action counts.</summary>
internal static class ActionSpaceValidation
{
    public static void ThrowIfInvalid(IReadOnlyList<int> actionCounts, string paramName)
    {
        if (actionCounts.Count == 0)
        {
            throw new ArgumentException("At least one agent (one action count) is required.", paramName);
        }

        for (int i = 0; i < actionCounts.Count; i++)
        {
            if (actionCounts[i] <= 0)
            {
                throw new ArgumentOutOfRangeException(paramName, actionCounts[i], $"Agent {i} has {actionCounts[i]} actions; every agent needs at least one action.");
            }
        }
    }
}
