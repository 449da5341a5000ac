using System.Collections.Immutable;

namespace PromptKit.Training;

/// <summary>The supervised label of one example: the best of several randomized rewrites of its prompt, as scored
/// through the frozen model.</summary>
/// <param name="Example">The example.</param>
/// <param name="Sequence">The best rewrite as element indices in emission order (see <see cref="PointerRewriteLayout"/>).</param>
/// <param name="Reward">The best rewrite's reward.</param>
/// <param name="OriginalReward">The original prompt's reward (the first candidate; it wins ties).</param>
/// <param name="CandidatesScored">How many candidates were scored successfully, the original included.</param>
public sealed record RewriteLabel(RewritingExample Example, ImmutableArray<int> Sequence, double Reward, double OriginalReward, int CandidatesScored);
