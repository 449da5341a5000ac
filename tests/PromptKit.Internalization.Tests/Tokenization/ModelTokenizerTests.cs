using Microsoft.Extensions.AI;

namespace PromptKit.Internalization.Tests;

public sealed class ModelTokenizerTests
{
    [Fact]
    public void EncodesAsTheReferenceBytePairEncoderDoes()
    {
        TinyCheckpoints.Reference reference = TinyCheckpoints.LoadReference(TinyCheckpoints.Llama);
        ModelTokenizer tokenizer = ModelTokenizer.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));

        foreach ((string text, int[] ids) in reference.Tokenization)
        {
            tokenizer.Encode(text).Should().Equal(ids, $"the reference BPE encodes \"{text}\" so");
            tokenizer.Decode(ids).Should().Be(text);
        }
    }

    [Fact]
    public void SentencePieceModelsEncodeAsSentencePieceDoes()
    {
        string folder = TinyCheckpoints.Folder("tiny-sentencepiece");
        TinyCheckpoints.Reference reference = TinyCheckpoints.LoadReference("tiny-sentencepiece");

        ModelTokenizer tokenizer = ModelTokenizer.Load(folder);

        tokenizer.Tokenizer.Should().BeAssignableTo<Microsoft.ML.Tokenizers.SentencePieceTokenizer>();
        foreach ((string text, int[] ids) in reference.Tokenization)
        {
            tokenizer.Encode(text).Should().Equal(ids, $"sentencepiece encodes \"{text}\" so (byte fallback included)");
            tokenizer.Decode(ids).Should().Be(text);
        }

        tokenizer.ChatTemplate.Name.Should().Be("zephyr");
        tokenizer.BeginningOfSequenceTokenId.Should().Be(1);
        tokenizer.EncodeChat([new ChatMessage(ChatRole.User, "hi")])[0].Should().Be(1, "add_bos_token puts <s> first, once");
    }

    [Fact]
    public void ChatExamplesOfASentencePieceTokenizerEncodeTheWholeConversationOnce()
    {
        ModelTokenizer tokenizer = ModelTokenizer.Load(TinyCheckpoints.Folder("tiny-sentencepiece"));
        ChatMessage[] conversation = [new(ChatRole.User, "bash ls"), new(ChatRole.Assistant, "notes.txt")];

        LanguageModelingExample example = LanguageModelingExample.FromChat(tokenizer, conversation);

        example.Tokens.Should().Equal(tokenizer.EncodeChat(conversation, addGenerationPrompt: false));
        tokenizer.Decode(example.Tokens.Where((_, i) => example.Targets[i])).Should().Be("notes.txt</s>\n");
    }

    [Fact]
    public void VocabAndMergesFilesGiveTheSameTokenizerAsTokenizerJson()
    {
        string folder = TinyCheckpoints.CopyToTemporary(TinyCheckpoints.Llama);
        File.Delete(Path.Combine(folder, "tokenizer.json"));
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), File.ReadAllText(Path.Combine(folder, "tokenizer_config.json")));
        TinyCheckpoints.Reference reference = TinyCheckpoints.LoadReference(TinyCheckpoints.Llama);

        ModelTokenizer tokenizer = ModelTokenizer.Load(folder);

        (string text, int[] ids) = reference.Tokenization[0];
        tokenizer.Encode(text).Should().Equal(ids);
    }

    [Fact]
    public void ChatTurnsFollowTheCheckpointTemplateAndEndAtTheEndOfTurnToken()
    {
        ModelTokenizer tokenizer = ModelTokenizer.Load(TinyCheckpoints.Folder(TinyCheckpoints.Llama));
        TinyCheckpoints.Reference reference = TinyCheckpoints.LoadReference(TinyCheckpoints.Llama);

        IReadOnlyList<int> ids = tokenizer.EncodeChat([new ChatMessage(ChatRole.User, "Think first, then act: bash ls.")]);

        tokenizer.ChatTemplate.Name.Should().Be("chatml");
        ids.Should().Equal(reference.InputIds, "the fixture's input is this conversation rendered with ChatML");
        tokenizer.EndOfSequenceTokenIds.Should().Equal(tokenizer.SpecialTokens["<|im_end|>"]);
    }

    [Theory]
    [InlineData("{{ '<|im_start|>system\\nYou are a helpful AI assistant named SmolLM<|im_end|>\\n' }}{% for m in messages %}<|im_start|>", "chatml", "You are a helpful AI assistant named SmolLM")]
    [InlineData("{{ bos_token }}<|start_header_id|>{{ message['role'] }}<|end_header_id|>", "llama3", null)]
    [InlineData("{% for message in messages %}{{ '<|user|>\\n' + message['content'] + eos_token }}", "zephyr", null)]
    public void RecognizesTheChatTemplatesOfCommonCheckpoints(string jinja, string name, string? defaultSystem)
    {
        ChatTemplate template = ChatTemplate.Detect(jinja);

        template.Name.Should().Be(name);
        template.DefaultSystemPrompt.Should().Be(defaultSystem);
    }

    [Fact]
    public void AnUnknownTemplateIsRefusedClearly()
    {
        Action detect = () => ChatTemplate.Detect("{% for m in messages %}[INST] {{ m['content'] }} [/INST]{% endfor %}");

        detect.Should().Throw<NotSupportedException>().WithMessage("*ChatML, Llama 3 or Zephyr*");
    }

    [Fact]
    public void AFolderWithoutTokenizerFilesIsAClearError()
    {
        string folder = Path.Combine(Path.GetTempPath(), "promptkit-internalization-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);

        Action load = () => ModelTokenizer.Load(folder);

        load.Should().Throw<ModelFormatException>().WithMessage("*no tokenizer files*");
    }
}

public sealed class TokenizerStageTests
{
    [Fact]
    public void IndividualDigitsAreSplitBeforeTheRegexAsHuggingFaceDoes()
    {
        string folder = TinyCheckpoints.CopyToTemporary(TinyCheckpoints.Llama);
        EditTokenizer(folder, t => t["pre_tokenizer"] = System.Text.Json.Nodes.JsonNode.Parse("""{"type":"Sequence","pretokenizers":[{"type":"Digits","individual_digits":true},{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":true}]}"""));
        ModelTokenizer tokenizer = ModelTokenizer.Load(folder);

        const string Text = "x  2024";

        var pieces = tokenizer.Tokenizer.PreTokenizer!.PreTokenize(Text).Select(p => Text.Substring(p.Offset, p.Length));

        // Digits first ("x  " | 2 | 0 | 2 | 4), then GPT-2's regex inside "x  ": a regex-first split would give "x", " ", " 2024".
        pieces.Should().Equal("x", "  ", "2", "0", "2", "4");
        tokenizer.Decode(tokenizer.Encode(Text)).Should().Be(Text);
    }

    [Fact]
    public void StagesThatAreNotReproducedAreRefused()
    {
        string folder = TinyCheckpoints.CopyToTemporary(TinyCheckpoints.Llama);
        EditTokenizer(folder, t => t["normalizer"] = System.Text.Json.Nodes.JsonNode.Parse("""{"type":"Lowercase"}"""));

        FluentActions.Invoking(() => ModelTokenizer.Load(folder)).Should().Throw<ModelFormatException>().WithMessage("*normalizer Lowercase*");
    }

    private static void EditTokenizer(string folder, Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        string path = Path.Combine(folder, "tokenizer.json");
        var json = (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }
}
