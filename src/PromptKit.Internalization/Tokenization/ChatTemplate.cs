using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace PromptKit.Internalization;

/// <summary>How a model's chat turns are laid out as text: ChatML (SmolLM, Qwen2), Llama 3 headers, or Zephyr
/// (TinyLlama-Chat). A Hugging Face checkpoint's Jinja <c>chat_template</c> is recognized by <see cref="Detect"/>; this
/// library does not run Jinja.</summary>
/// <remarks>Roles are written as <see cref="ChatRole.Value"/> (<c>system</c>, <c>user</c>, <c>assistant</c>, or a custom
/// role such as <c>environment</c>). Text content is joined; other content is ignored.</remarks>
public sealed partial class ChatTemplate
{
    private readonly Func<string, string> _turnStart;
    private readonly string _turnEnd;
    private readonly string _prefix;

    private ChatTemplate(string name, string prefix, Func<string, string> turnStart, string turnEnd, string? defaultSystemPrompt)
    {
        Name = name;
        _prefix = prefix;
        _turnStart = turnStart;
        _turnEnd = turnEnd;
        DefaultSystemPrompt = defaultSystemPrompt;
    }

    /// <summary>Gets ChatML: <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c>.</summary>
    public static ChatTemplate ChatMl { get; } = new("chatml", string.Empty, static role => $"<|im_start|>{role}\n", "<|im_end|>\n", null);

    /// <summary>Gets Llama 3's layout: <c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\ncontent&lt;|eot_id|&gt;</c> after <c>&lt;|begin_of_text|&gt;</c>.</summary>
    public static ChatTemplate Llama3 { get; } = new("llama3", "<|begin_of_text|>", static role => $"<|start_header_id|>{role}<|end_header_id|>\n\n", "<|eot_id|>", null);

    /// <summary>Gets Zephyr's layout (TinyLlama-Chat): <c>&lt;|role|&gt;\ncontent&lt;/s&gt;\n</c>.</summary>
    public static ChatTemplate Zephyr { get; } = new("zephyr", string.Empty, static role => $"<|{role}|>\n", "</s>\n", null);

    /// <summary>Gets the layout's name (<c>chatml</c>, <c>llama3</c> or <c>zephyr</c>).</summary>
    public string Name { get; }

    /// <summary>Gets the text that ends a turn, without the trailing newline (e.g. <c>&lt;|im_end|&gt;</c>): a model stops generating at it.</summary>
    public string EndOfTurn => _turnEnd.TrimEnd('\n');

    /// <summary>Gets the system prompt the checkpoint's template adds when the conversation has none, or <see langword="null"/>.</summary>
    public string? DefaultSystemPrompt { get; }

    /// <summary>Recognizes a Hugging Face Jinja chat template by its markers (and its default system prompt, for ChatML).</summary>
    /// <param name="jinjaTemplate">The template text (<c>chat_template</c> of <c>tokenizer_config.json</c>).</param>
    /// <returns>The layout.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="jinjaTemplate"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotSupportedException">The template is none of ChatML, Llama 3 or Zephyr; render turns yourself and pass a custom template where an API takes one.</exception>
    public static ChatTemplate Detect(string jinjaTemplate)
    {
        ArgumentNullException.ThrowIfNull(jinjaTemplate);
        if (jinjaTemplate.Contains("<|im_start|>", StringComparison.Ordinal))
        {
            Match system = DefaultChatMlSystem().Match(jinjaTemplate);
            return system.Success
                ? new ChatTemplate(ChatMl.Name, string.Empty, ChatMl._turnStart, ChatMl._turnEnd, system.Groups[1].Value.Replace("\\n", "\n", StringComparison.Ordinal))
                : ChatMl;
        }

        if (jinjaTemplate.Contains("<|start_header_id|>", StringComparison.Ordinal))
        {
            return Llama3;
        }

        if (jinjaTemplate.Contains("<|user|>", StringComparison.Ordinal) || jinjaTemplate.Contains("'<|' + message['role'] + '|>", StringComparison.Ordinal))
        {
            return Zephyr;
        }

        throw new NotSupportedException("The chat template is none of ChatML, Llama 3 or Zephyr, the layouts this library renders (it does not run Jinja).");
    }

    /// <summary>Renders a conversation.</summary>
    /// <param name="messages">The turns, in order.</param>
    /// <param name="addGenerationPrompt">Whether to end with the start of an assistant turn, for the model to continue.</param>
    /// <returns>The text to tokenize.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    public string Format(IEnumerable<ChatMessage> messages, bool addGenerationPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return Render(messages, addGenerationPrompt, spanRole: null, spans: null);
    }

    /// <summary>Renders a conversation; when <paramref name="spans"/> is given, adds the [start, end) character range of
    /// the text and end-of-turn marker (not the header) of every turn of <paramref name="spanRole"/>.</summary>
    internal string Render(IEnumerable<ChatMessage> messages, bool addGenerationPrompt, ChatRole? spanRole, List<(int Start, int End)>? spans)
    {
        var text = new StringBuilder(_prefix);
        bool first = true;
        foreach (ChatMessage message in messages)
        {
            if (first && DefaultSystemPrompt is not null && message.Role != ChatRole.System)
            {
                AppendTurn(text, ChatRole.System.Value, DefaultSystemPrompt);
            }

            first = false;
            int start = text.Length + _turnStart(message.Role.Value).Length;
            AppendTurn(text, message.Role.Value, message.Text);
            if (spans is not null && message.Role == spanRole)
            {
                spans.Add((start, text.Length));
            }
        }

        if (addGenerationPrompt)
        {
            text.Append(_turnStart(ChatRole.Assistant.Value));
        }

        return text.ToString();
    }

    /// <summary>Renders one turn as it appears inside a conversation.</summary>
    /// <param name="role">The role.</param>
    /// <param name="content">The text.</param>
    /// <returns>The turn's text, end-of-turn marker included.</returns>
    public string FormatTurn(string role, string content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        ArgumentNullException.ThrowIfNull(content);
        var text = new StringBuilder();
        AppendTurn(text, role, content);
        return text.ToString();
    }

    /// <summary>Gets the text that starts a turn of <paramref name="role"/>.</summary>
    /// <param name="role">The role.</param>
    /// <returns>The opening text (e.g. <c>&lt;|im_start|&gt;assistant\n</c>).</returns>
    public string TurnStart(string role)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        return _turnStart(role);
    }

    private void AppendTurn(StringBuilder text, string role, string content) => text.Append(_turnStart(role)).Append(content).Append(_turnEnd);

    [GeneratedRegex(@"<\|im_start\|>system\\n([^'""{}<]*)<\|im_end\|>")]
    private static partial Regex DefaultChatMlSystem();
}
