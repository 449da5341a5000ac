using System.Text;
using Microsoft.Extensions.AI;

namespace PromptKit.Internalization;

/// <summary>Builds GenPI's joint training data from the teacher's role-played conversations (Shin et al., 2024):
/// imitation examples without the prompt (SFT) and prompt-generation examples (PG) whose target is
/// "Based on the prompt &lt;prompt&gt; … The reason for the change is &lt;reason&gt;", the reason written by a commentator
/// that sees the prompt.</summary>
/// <remarks>For each of the first <see cref="GenPiOptions.PromptGenerationTurns"/> agent turns of a conversation the
/// student answers the same context without the prompt (AS-IS); where that differs from the teacher's turn (TO-BE), the
/// commentator explains the change and a PG example is made. With <see cref="LanguageModelTrainer"/>, whose loss weights
/// each example's target tokens, the loss is the token-weighted form of (1 − r)·PG + r·SFT.</remarks>
public sealed class GenPiDataBuilder
{
    /// <summary>The question that opens a prompt-generation example.</summary>
    public const string Question = "Why should the output be changed as shown below?";

    private readonly IChatClient _student;
    private readonly IChatClient _commentator;
    private readonly ModelTokenizer _tokenizer;
    private readonly GenPiOptions _options;

    /// <summary>Initializes a new instance of the <see cref="GenPiDataBuilder"/> class.</summary>
    /// <param name="student">The student before training (no system prompt is given to it).</param>
    /// <param name="commentator">The model that explains the change (e.g. the teacher).</param>
    /// <param name="tokenizer">The student's tokenizer and chat template.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="student"/>, <paramref name="commentator"/> or <paramref name="tokenizer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> break a rule.</exception>
    public GenPiDataBuilder(IChatClient student, IChatClient commentator, ModelTokenizer tokenizer, GenPiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(commentator);
        ArgumentNullException.ThrowIfNull(tokenizer);
        options ??= new GenPiOptions();
        OptionsValidation.ThrowIfInvalidArgument(options, nameof(options), new GenPiOptionsValidator());
        _student = student;
        _commentator = commentator;
        _tokenizer = tokenizer;
        _options = options;
    }

    /// <summary>Builds the imitation and prompt-generation examples.</summary>
    /// <param name="conversations">The teacher's conversations (finished ones; others are skipped).</param>
    /// <param name="cancellationToken">Checked before each call.</param>
    /// <returns>The data.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="conversations"/> is <see langword="null"/>.</exception>
    public async Task<GenPiData> BuildAsync(IReadOnlyList<RolePlayConversation> conversations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        double r = _options.ImitationWeight;
        var imitation = new List<LanguageModelingExample>();
        var generation = new List<LanguageModelingExample>();
        int unchanged = 0, noReason = 0;
        long calls = 0;
        var chat = new ChatOptions { Temperature = 0, MaxOutputTokens = _options.MaxOutputTokens };
        foreach (RolePlayConversation conversation in conversations)
        {
            if (conversation.Status != RolePlayStatus.Finished)
            {
                continue;
            }

            if (r > 0)
            {
                imitation.Add(LanguageModelingExample.FromChat(_tokenizer, conversation.Turns, ChatRole.Assistant, r));
            }

            if (r >= 1)
            {
                continue;
            }

            int made = 0;
            for (int t = 1; t < conversation.Turns.Length && made < _options.PromptGenerationTurns; t++)
            {
                if (conversation.Turns[t].Role != ChatRole.Assistant)
                {
                    continue;
                }

                made++;
                cancellationToken.ThrowIfCancellationRequested();
                ChatMessage[] context = [.. conversation.Turns.Take(t)];
                string toBe = conversation.Turns[t].Text;
                string asIs = (await _student.GetResponseAsync(context, chat, cancellationToken).ConfigureAwait(false)).Text.Trim();
                calls++;
                if (asIs == toBe.Trim())
                {
                    unchanged++;
                    continue;
                }

                IReadOnlyList<ChatMessage> commentary = CommentaryRequest(_options.CommentatorPrompt, conversation.SystemPrompt, context, asIs, toBe);
                string question = commentary[1].Text;
                string reason = (await _commentator.GetResponseAsync(commentary, chat, cancellationToken).ConfigureAwait(false)).Text.Trim();
                calls++;
                if (reason.Length == 0 || PromptKit.ModelAnswers.IsRefusalOrError(reason))
                {
                    noReason++;
                    continue;
                }

                generation.Add(LanguageModelingExample.FromChat(_tokenizer,
                    [new ChatMessage(ChatRole.User, question), new ChatMessage(ChatRole.Assistant, FormatAnswer(conversation.SystemPrompt, reason))],
                    ChatRole.Assistant, 1 - r));
            }
        }

        return new GenPiData(r, imitation, generation, unchanged, noReason, calls);
    }

    /// <summary>The messages the commentator is asked: its instructions with the prompt to internalize as the system
    /// turn, then the question of the prompt-generation example (<see cref="FormatQuestion"/>). Use it also to teach a
    /// model to comment.</summary>
    /// <param name="commentatorPrompt">The commentator's instructions (e.g. <see cref="GenPiOptions.DefaultCommentatorPrompt"/>).</param>
    /// <param name="systemPrompt">The prompt being internalized.</param>
    /// <param name="context">The conversation before the output (the input), without a system prompt.</param>
    /// <param name="asIs">The output without the prompt.</param>
    /// <param name="toBe">The output with the prompt.</param>
    /// <returns>The system and user messages.</returns>
    /// <exception cref="ArgumentException"><paramref name="commentatorPrompt"/> or <paramref name="systemPrompt"/> is null or blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="context"/>, <paramref name="asIs"/> or <paramref name="toBe"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<ChatMessage> CommentaryRequest(string commentatorPrompt, string systemPrompt, IEnumerable<ChatMessage> context, string asIs, string toBe)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commentatorPrompt);
        ArgumentException.ThrowIfNullOrWhiteSpace(systemPrompt);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(asIs);
        ArgumentNullException.ThrowIfNull(toBe);
        return [new ChatMessage(ChatRole.System, commentatorPrompt + "\n### System prompt\n" + systemPrompt), new ChatMessage(ChatRole.User, FormatQuestion(Transcript(context), asIs, toBe))];
    }

    /// <summary>Writes the question of a prompt-generation example.</summary>
    /// <param name="input">The input (the conversation so far).</param>
    /// <param name="asIs">The output without the prompt.</param>
    /// <param name="toBe">The output with the prompt.</param>
    /// <returns>The question text.</returns>
    public static string FormatQuestion(string input, string asIs, string toBe) =>
        $"{Question}\n### Input\n{input}\n### AS-IS\n{asIs}\n### TO-BE\n{toBe}";

    /// <summary>Writes the target of a prompt-generation example: the prompt, then the reason.</summary>
    /// <param name="prompt">The prompt being internalized.</param>
    /// <param name="reason">The commentator's reason.</param>
    /// <returns>The answer text.</returns>
    public static string FormatAnswer(string prompt, string reason) =>
        $"Based on the prompt {prompt}\nThe reason for the change is {reason}";

    private static string Transcript(IEnumerable<ChatMessage> turns)
    {
        var text = new StringBuilder();
        foreach (ChatMessage turn in turns)
        {
            text.Append(turn.Role.Value).Append(": ").Append(turn.Text).Append('\n');
        }

        return text.ToString().TrimEnd();
    }
}
