using System.Collections.Immutable;

namespace PromptKit;

/// <summary>The prompt a <see cref="PromptPersonalizer"/> built for one user, and the model's answer to it.</summary>
public sealed class PersonalizedPrompt
{
    internal PersonalizedPrompt(Prompt prompt, RppSelection selection, PromptEvaluation answer, ImmutableArray<RppSelection> selections, int modelCalls, int failedCalls)
    {
        Prompt = prompt;
        Selection = selection;
        Answer = answer;
        Selections = selections;
        ModelCalls = modelCalls;
        FailedCalls = failedCalls;
    }

    /// <summary>Gets the final prompt: the one the policy built at the last iteration.</summary>
    public Prompt Prompt { get; }

    /// <summary>Gets the final selection (with refined texts under RPP+).</summary>
    public RppSelection Selection { get; }

    /// <summary>Gets the model's answer to <see cref="Prompt"/> — the recommendation to score.</summary>
    public PromptEvaluation Answer { get; }

    /// <summary>Gets the selection of every iteration, in order.</summary>
    public ImmutableArray<RppSelection> Selections { get; }

    /// <summary>Gets the number of ranking calls made (one per iteration; refinement calls are counted by the <see cref="RppRefiner"/>).</summary>
    public int ModelCalls { get; }

    /// <summary>Gets the number of ranking calls that failed (their iteration left the state unchanged).</summary>
    public int FailedCalls { get; }
}
