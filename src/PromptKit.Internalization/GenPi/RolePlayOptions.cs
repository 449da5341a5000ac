using System.ComponentModel.DataAnnotations;

namespace PromptKit.Internalization;

/// <summary>Options of <see cref="RolePlaySynthesizer"/>: the two roles' system prompts, how a conversation ends and the
/// limits that filter it.</summary>
public sealed class RolePlayOptions
{
    /// <summary>Gets or sets the agent's system prompt: the prompt to internalize. Required.</summary>
    [Required]
    public string? AgentPrompt { get; set; }

    /// <summary>Gets or sets the system prompt under which the same model plays the environment (user, shell, web page)
    /// with the roles swapped. Required.</summary>
    [Required]
    public string? EnvironmentPrompt { get; set; }

    /// <summary>Gets or sets the marker either role writes to end the conversation. It stays in the turn that wrote it:
    /// when the agent ends, a student imitating the agent's turns learns to end; when the environment ends, the marker is
    /// in a user turn, which imitation does not learn.</summary>
    /// <value>The default value is <c>&lt;END&gt;</c>.</value>
    [Required]
    public string EndOfConversation { get; set; } = "<END>";

    /// <summary>Gets or sets the most turns (agent and environment together, the task excluded); a conversation still
    /// going then is cut, counted as <see cref="RolePlayStatus.NeverEnded"/> and not kept.</summary>
    /// <value>The default value is 16.</value>
    [Range(1, 1000)]
    public int MaxTurns { get; set; } = 16;

    /// <summary>Gets or sets the most characters of all turns together; a longer conversation is <see cref="RolePlayStatus.TooLong"/>.</summary>
    /// <value>The default value is 8000.</value>
    [Range(1, 10_000_000)]
    public int MaxCharacters { get; set; } = 8000;

    /// <summary>Gets or sets the most tokens of one turn.</summary>
    /// <value>The default value is 256.</value>
    [Range(1, 100_000)]
    public int MaxTurnTokens { get; set; } = 256;

    /// <summary>Gets or sets the sampling temperature of the agent (and of the environment unless
    /// <see cref="EnvironmentTemperature"/> is set); 0 is greedy. Each turn samples with a seed derived from the task's
    /// index and the turn.</summary>
    /// <value>The default value is 0.</value>
    [Range(0.0, 2.0)]
    public float Temperature { get; set; }

    /// <summary>Gets or sets the sampling temperature of the environment's turns, or <see langword="null"/> to use
    /// <see cref="Temperature"/>. A greedy environment played by a model writes its most likely output every time (the
    /// same file content for every <c>cat</c>), so the synthesized data loses the variety a student must learn to read;
    /// sample the environment (e.g. 1.0) and keep the agent, whose turns are the targets, greedy.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    [Range(0.0, 2.0)]
    public float? EnvironmentTemperature { get; set; }

    /// <summary>Gets or sets a check of each agent turn (e.g. that it follows the prompt's protocol), or <see langword="null"/>
    /// for none; a turn it rejects makes the conversation <see cref="RolePlayStatus.Broken"/>.</summary>
    public Func<string, bool>? IsValidAgentTurn { get; set; }
}
