using System.ComponentModel.DataAnnotations;

namespace PromptKit.Internalization;

/// <summary>Options of a LoRA adapter (Hu et al., 2021) on a <see cref="CausalLanguageModel"/>: <c>W x + (α/r) B A x</c>
/// with the base weight <c>W</c> frozen. The defaults are QLoRA's and GenPI's: r = 16, α = 32, dropout 0.05, all linear modules.</summary>
public sealed class LoraOptions
{
    /// <summary>The module names of every linear layer of a Llama-family decoder (PEFT's <c>all-linear</c>, without the output head).</summary>
    public static readonly IReadOnlyList<string> AllLinearModules = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    /// <summary>Gets or sets the rank r of the adapter matrices.</summary>
    /// <value>The default value is 16.</value>
    [Range(1, 4096)]
    public int Rank { get; set; } = 16;

    /// <summary>Gets or sets α; the update is scaled by α / r.</summary>
    /// <value>The default value is 32.</value>
    [Range(1e-6, 1e6)]
    public double Alpha { get; set; } = 32;

    /// <summary>Gets or sets the dropout applied to the adapter's input while training.</summary>
    /// <value>The default value is 0.05.</value>
    [Range(0.0, 0.9)]
    public double Dropout { get; set; } = 0.05;

    /// <summary>Gets the module names that get an adapter (<c>q_proj</c>, …, <c>down_proj</c>, and <c>lm_head</c> if listed).</summary>
    /// <value>The default value is <see cref="AllLinearModules"/>.</value>
    [MinLength(1)]
    public IList<string> TargetModules { get; } = [.. AllLinearModules];

    /// <summary>Gets or sets the seed of the adapters' initial A matrices.</summary>
    /// <value>The default value is 0.</value>
    public int Seed { get; set; }
}
