// Generative prompt internalization (GenPI, Shin et al., 2024) end to end on the built-in shell agent task, on the CPU:
// pretrain a tiny base model that follows the agent protocol only when the long system prompt is there (and can play
// the shell and the commentator), synthesize the teacher's conversations by self role-play (the base with the prompt
// plays the agent, the base with the roles swapped plays the shell), train LoRA students without the prompt (SFT only;
// GenPI with r = 0.7 and 0.3), and compare them with the prompt (upper bound), without it (lower bound) and with the
// prompt cut by an extractive compressor, on held-out tasks.
//
//   dotnet run --project samples/PromptInternalization -c Release                 # 3 seeds
//   dotnet run --project samples/PromptInternalization -c Release -- --seeds 1    # one seed, faster
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using PromptKit.Internalization;
using PromptKit.Samples;
using PromptKit.Samples.PromptInternalization;

SampleFailures.ReportAsOneLine(); // bad input: one line and exit code 2, never a stack trace
string output = Path.Combine(Path.GetTempPath(), "promptkit-genpi");
bool simulatedEnvironment = false;
int firstSeed = 0;
int focusTaskCount = 6000;
int seeds = 3, pretrainTasks = 4000, synthesisTasks = 300, testTasks = 60, pretrainEpochs = 3, studentEpochs = 12;
for (int i = 0; i < args.Length; i++)
{
    bool hasValue = i + 1 < args.Length;
    switch (args[i])
    {
        case "--out" when hasValue: output = args[++i]; break;
        case "--simulated-environment": simulatedEnvironment = true; break;
        case "--first-seed" when hasValue: firstSeed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--seeds" when hasValue: seeds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--pretrain-tasks" when hasValue: pretrainTasks = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--synthesis-tasks" when hasValue: synthesisTasks = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--test-tasks" when hasValue: testTasks = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--focus-tasks" when hasValue: focusTaskCount = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--pretrain-epochs" when hasValue: pretrainEpochs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--student-epochs" when hasValue: studentEpochs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete argument '{args[i]}'. Use --out DIR, --seeds N, --first-seed N, --simulated-environment, --pretrain-tasks N, --focus-tasks N, --synthesis-tasks N, --test-tasks N, --pretrain-epochs N, --student-epochs N.");
            return 2;
    }
}

if (SampleFailures.PrepareOutputDirectory(output, Console.Error) is int badOutput)
{
    return badOutput;
}

var total = Stopwatch.StartNew();
var wall = new Dictionary<string, double>();
IReadOnlyList<ShellTask> pretrain = ShellTasks.Generate(pretrainTasks, seed: 1000);
IReadOnlyList<ShellTask> test = ShellTasks.Generate(testTasks, seed: 3000);
string[] naive = ["Sure, I can help with that.", "Let me think about it. The answer is probably {0}.", "I would look at the files first: {1}.", "Okay! {0}"];

// 1. A tokenizer learned from the task's own text.
string tokenizerFolder = Path.Combine(output, "tokenizer");
var corpus = new List<string> { ShellTasks.AgentPrompt, ShellTasks.EnvironmentPrompt, "<END>", GenPiOptions.DefaultCommentatorPrompt, GenPiDataBuilder.FormatQuestion("user: x", "a", "b"), GenPiDataBuilder.FormatAnswer(ShellTasks.AgentPrompt, "the prompt") };
foreach (ShellTask task in pretrain)
{
    corpus.Add(task.Instruction);
    IReadOnlyList<string> expert = ShellTasks.ExpertTurns(task);
    corpus.AddRange(expert);
    corpus.Add(Commentary.Reason(expert[0]));
    corpus.AddRange(task.Files.Values);
    corpus.AddRange(task.Files.Keys);
}

TaskTokenizer.Write(tokenizerFolder, corpus, merges: 700);
ModelTokenizer tokenizer = ModelTokenizer.Load(tokenizerFolder);
int promptTokens = tokenizer.Encode(ShellTasks.AgentPrompt).Count;
Console.WriteLine($"Tokenizer: {TaskTokenizer.VocabularySize(tokenizerFolder)} tokens; the agent prompt is {promptTokens} tokens.");

// 2. The base model: follows the protocol with the prompt; without it, answers in free form.
var config = new LlamaConfig
{
    VocabularySize = TaskTokenizer.VocabularySize(tokenizerFolder), HiddenSize = 128, IntermediateSize = 384, LayerCount = 4,
    HeadCount = 4, KeyValueHeadCount = 2, HeadSize = 32, MaxPositionEmbeddings = 1024, RopeTheta = 10_000,
    EndOfSequenceTokenIds = [tokenizer.SpecialTokens["<|im_end|>"]],
};
string baseFolder = Path.Combine(output, "base");
string broadFolder = Path.Combine(output, "base-broad");
var phase = Stopwatch.StartNew();
var lessonRandom = new Random(5);

// The lessons of one task: the agent's side (the protocol with the prompt); and, when asked, a free-form reply without
// the prompt, a copying drill, the shell's side for self role-play and the commentator's side for GenPI's reasons.
void AddLessons(List<LanguageModelingExample> examples, ShellTask task, bool others, bool commentary)
{
    IReadOnlyList<ChatMessage> episode = ShellTasks.ExpertEpisode(task);
    examples.Add(LanguageModelingExample.FromChat(tokenizer, [new ChatMessage(ChatRole.System, ShellTasks.AgentPrompt), .. episode]));
    if (!others)
    {
        return;
    }

    string reply0 = string.Format(CultureInfo.InvariantCulture, naive[lessonRandom.Next(naive.Length)], task.Files.Values.ElementAt(lessonRandom.Next(task.Files.Count)), task.Files.Keys.First());
    examples.Add(LanguageModelingExample.FromChat(tokenizer, [new ChatMessage(ChatRole.User, task.Instruction), new ChatMessage(ChatRole.Assistant, reply0)]));

    // A copying drill (short): the protocol asks the agent to copy paths, folders and words from the task and from
    // command outputs, where a name opens a line ("cloud") but is written after a space in the reply (" cloud"), two
    // different tokens.
    string[] drill = [.. task.Files.Keys.Concat(task.Files.Values).Select(static p => p.Split('/')[^1]).OrderBy(_ => lessonRandom.Next()).Take(3)];
    examples.Add(LanguageModelingExample.FromChat(tokenizer, [new ChatMessage(ChatRole.User, string.Join('\n', drill)), new ChatMessage(ChatRole.Assistant, "Seen: " + string.Join(' ', drill))]));

    // The commentator's side, for GenPI's prompt-generation reasons (these examples are long: asked for on some tasks).
    if (commentary)
    {
        string toBe = episode[1].Text; // the expert's first reply
        IReadOnlyList<ChatMessage> request = GenPiDataBuilder.CommentaryRequest(GenPiOptions.DefaultCommentatorPrompt, ShellTasks.AgentPrompt, [episode[0]], reply0, toBe);
        examples.Add(LanguageModelingExample.FromChat(tokenizer, [.. request, new ChatMessage(ChatRole.Assistant, Commentary.Reason(toBe))]));
    }

    // The environment's side, for self role-play: the same episode with the roles swapped under the environment's
    // prompt, its outputs as targets, and the end marker once the agent has answered.
    examples.Add(LanguageModelingExample.FromChat(tokenizer, RolePlaySynthesizer.EnvironmentView(ShellTasks.EnvironmentPrompt, [.. episode, new ChatMessage(ChatRole.User, "<END>")])));
}

void Pretrain(CausalLanguageModel model, List<LanguageModelingExample> examples, int epochs, double learningRate, string stage)
{
    var trainer = new LanguageModelTrainer(new LanguageModelTrainerOptions { Epochs = epochs, BatchSize = 8, LearningRate = learningRate, WarmupRatio = 0.05, Seed = 0 });
    var progress = new Progress<LanguageModelTrainingProgress>(p => { if (p.Step % 100 == 0) { Console.WriteLine($"  {stage} step {p.Step}/{p.TotalSteps}, loss {p.Loss:F3}"); } });
    trainer.Train(model, examples, progress);
}

if (!File.Exists(Path.Combine(baseFolder, "model.safetensors")))
{
    // Stage 1, broad: every kind of lesson on every task (the commentator's on a quarter of them).
    if (!File.Exists(Path.Combine(broadFolder, "model.safetensors")))
    {
        using CausalLanguageModel fresh = CausalLanguageModel.Create(config, seed: 0);
        var examples = new List<LanguageModelingExample>();
        for (int i = 0; i < pretrain.Count; i++)
        {
            AddLessons(examples, pretrain[i], others: true, commentary: i % 4 == 0);
        }

        Pretrain(fresh, examples, pretrainEpochs, 3e-3, "pretraining (broad)");
        fresh.Save(broadFolder);
    }

    // Stage 2, the protocol: fresh tasks, mostly the agent's side, the other lessons replayed on a quarter of them, at a
    // lower learning rate. In the broad stage the model learns the protocol's form but, with the long prompt before it,
    // not to copy a path, a folder or a word into its reply (the copy it does learn in the short drill); this stage is
    // where that copy under the prompt is learned (measured in docs/internalization.md).
    using CausalLanguageModel focused = CausalLanguageModel.Load(broadFolder);
    var focus = new List<LanguageModelingExample>();
    IReadOnlyList<ShellTask> focusTasks = ShellTasks.Generate(focusTaskCount, seed: 1001);
    for (int i = 0; i < focusTasks.Count; i++)
    {
        AddLessons(focus, focusTasks[i], others: i % 4 == 0, commentary: i % 16 == 0);
    }

    Pretrain(focused, focus, 1, 1e-3, "pretraining (protocol)");
    focused.Save(baseFolder);
}

wall["pretraining"] = phase.Elapsed.TotalSeconds;
using CausalLanguageModel teacherModel = CausalLanguageModel.Load(baseFolder);
using var teacher = new TorchChatClient(teacherModel, tokenizer, "base");
long macsPerToken = config.ParameterCount - ((long)config.VocabularySize * config.HiddenSize); // every weight once, the embedding lookup excluded
Console.WriteLine($"Base model: {config.ParameterCount:N0} parameters, pretrained in {wall["pretraining"]:F0} s.");

async Task<(double Success, double Tokens, double Macs)> Evaluate(IChatClient agent, string? prompt, string name)
{
    int wins = 0;
    long tokens = 0;
    var byKind = new SortedDictionary<string, (int Wins, int Count)>(StringComparer.Ordinal);
    var failures = new StringBuilder();
    foreach (ShellTask task in test)
    {
        ShellEpisode episode = await ShellEpisode.RunAsync(agent, task, prompt, maxTurns: 4, maxOutputTokens: 48);
        wins += episode.Succeeded ? 1 : 0;
        tokens += episode.InputTokens + episode.OutputTokens;
        string kind = task.Instruction.Split(' ')[0];
        (int w, int c) = byKind.GetValueOrDefault(kind);
        byKind[kind] = (w + (episode.Succeeded ? 1 : 0), c + 1);
        if (!episode.Succeeded)
        {
            failures.AppendLine(CultureInfo.InvariantCulture, $"# {task.Instruction} (expected {task.ExpectedAnswer})");
            foreach (ChatMessage turn in episode.Turns.Skip(1))
            {
                failures.AppendLine(CultureInfo.InvariantCulture, $"{turn.Role}: {turn.Text.Replace("\n", " | ", StringComparison.Ordinal)}");
            }
        }
    }

    File.WriteAllText(Path.Combine(output, "failures-" + string.Concat(name.Where(char.IsLetterOrDigit)) + ".txt"), failures.ToString());
    Console.WriteLine($"  {name}: {wins}/{test.Count} ({string.Join(", ", byKind.Select(static k => $"{k.Key} {k.Value.Wins}/{k.Value.Count}"))})");
    double perEpisode = (double)tokens / test.Count;
    return ((double)wins / test.Count, perEpisode, perEpisode * macsPerToken);
}

var rows = new List<(string Name, List<double> Success, double Tokens, double Macs)>();
phase.Restart();
var upper = await Evaluate(teacher, ShellTasks.AgentPrompt, "teacher with the prompt");
var lower = await Evaluate(teacher, null, "teacher without the prompt");
int budget = promptTokens / 4;
string compressed = PromptCompressor.Compress(ShellTasks.AgentPrompt, budget, t => tokenizer.Encode(t).Count);
var compression = await Evaluate(teacher, compressed, "teacher with the compressed prompt");
wall["baselines"] = phase.Elapsed.TotalSeconds;
rows.Add(("with the prompt (upper bound)", [upper.Success], upper.Tokens, upper.Macs));
rows.Add(("without the prompt (lower bound)", [lower.Success], lower.Tokens, lower.Macs));
rows.Add(($"prompt compressed to {tokenizer.Encode(compressed).Count} tokens (1/4)", [compression.Success], compression.Tokens, compression.Macs));
Console.WriteLine($"Teacher with the prompt {upper.Success:P0}, without {lower.Success:P0}, compressed {compression.Success:P0}.");

var students = new (string Name, double R)[] { ("SFT only (r = 1)", 1.0), ("GenPI r = 0.7", 0.7), ("GenPI r = 0.3", 0.3) };
var results = students.ToDictionary(static s => s.Name, static _ => (Success: new List<double>(), Tokens: new List<double>(), Macs: new List<double>()));
wall["synthesis"] = 0;
wall["students"] = 0;
for (int seed = firstSeed; seed < firstSeed + seeds; seed++)
{
    phase.Restart();
    IReadOnlyList<ShellTask> synthesis = ShellTasks.Generate(synthesisTasks, seed: 2000 + seed);

    string conversations = Path.Combine(output, $"seed{seed}", "conversations.jsonl");
    var options = new RolePlayOptions
    {
        AgentPrompt = ShellTasks.AgentPrompt,
        EnvironmentPrompt = ShellTasks.EnvironmentPrompt,
        MaxTurns = 8,
        MaxTurnTokens = 48,
        EnvironmentTemperature = 1.0f, // a greedy shell writes one file content for every cat; the agent stays greedy
        IsValidAgentTurn = ShellEnvironment.FollowsProtocol,
    };
    RolePlaySynthesisResult synthesized = await new RolePlaySynthesizer(teacher, simulatedEnvironment ? new ShellChatClient(synthesis) : teacher, options)
        .SynthesizeAsync([.. synthesis.Select(static t => t.Instruction)], conversations);
    if (synthesized.Finished == 0)
    {
        Console.Error.WriteLine($"error: seed {seed}: the teacher finished no conversation in protocol ({synthesized.Broken} broken, {synthesized.TooLong} too long, {synthesized.NeverEnded} never ended); pretrain the base longer (--pretrain-tasks, --pretrain-epochs).");
        return 1;
    }

    IReadOnlyList<RolePlayConversation> data = RolePlayConversation.ReadJsonLines(conversations);
    wall["synthesis"] += phase.Elapsed.TotalSeconds;
    Console.WriteLine($"Seed {seed}: {synthesized.Finished} conversations kept, {synthesized.Broken} broken, {synthesized.TooLong} too long, {synthesized.NeverEnded} never ended.");

    // GenPI's data once per seed: before training, the student without the prompt is the base itself, so the base
    // writes the outputs without the prompt (AS-IS) and, as the commentator, the reasons; each r reweights that data.
    GenPiData? genpiData = null;
    foreach ((string name, double r) in students)
    {
        // A finished student's scores are kept in --out/seedN, so a rerun (or another process running other seeds)
        // reuses them.
        string saved = Path.Combine(output, $"seed{seed}", $"student-r{r.ToString("0.0", CultureInfo.InvariantCulture)}.tsv");
        if (!File.Exists(saved))
        {
            phase.Restart();
            genpiData ??= await new GenPiDataBuilder(teacher, teacher, tokenizer, new GenPiOptions { ImitationWeight = 0.5, MaxOutputTokens = 96 }).BuildAsync(data);
            GenPiData genpi = genpiData.WithImitationWeight(r);
            using CausalLanguageModel student = CausalLanguageModel.Load(baseFolder);
            using var studentClient = new TorchChatClient(student, tokenizer, "student");
            student.AddAdapter(new LoraOptions { Rank = 16, Alpha = 32, Dropout = 0.05, Seed = seed });
            var trainer = new LanguageModelTrainer(new LanguageModelTrainerOptions { Epochs = studentEpochs, BatchSize = 8, LearningRate = 3e-3, WarmupRatio = 0.05, Seed = seed });
            trainer.Train(student, genpi.All);
            student.MergeAdapter();
            var score = await Evaluate(studentClient, null, $"{name} seed {seed}");
            Console.WriteLine($"  {name}: {genpi.Imitation.Count} imitation + {genpi.PromptGeneration.Count} prompt-generation examples ({genpi.Unchanged} unchanged, {genpi.NoReason} without a reason)");
            File.WriteAllText(saved, string.Join('\t', new[] { score.Success, score.Tokens, score.Macs, phase.Elapsed.TotalSeconds }.Select(static v => v.ToString("R", CultureInfo.InvariantCulture))));
        }

        double[] values = [.. File.ReadAllText(saved).Split('\t').Select(static v => double.Parse(v, CultureInfo.InvariantCulture))];
        results[name].Success.Add(values[0]);
        results[name].Tokens.Add(values[1]);
        results[name].Macs.Add(values[2]);
        wall["students"] += values[3];
        Console.WriteLine($"  {name}, seed {seed}: success without the prompt {values[0]:P1}");
    }
}

foreach ((string name, _) in students.Where(s => results[s.Name].Success.Count > 0))
{
    rows.Add((name + " (no prompt)", results[name].Success, results[name].Tokens.Average(), results[name].Macs.Average()));
}

var table = new StringBuilder();
table.AppendLine(CultureInfo.InvariantCulture, $"| agent on {test.Count} held-out tasks | success | ± (sd over {seeds} seeds) | tokens / episode | MACs / episode |");
table.AppendLine("|---|---:|---:|---:|---:|");
foreach ((string name, List<double> success, double tokens, double macs) in rows)
{
    double mean = success.Average();
    double sd = success.Count > 1 ? Math.Sqrt(success.Sum(v => (v - mean) * (v - mean)) / (success.Count - 1)) : 0;
    table.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {mean:P1} | {(success.Count > 1 ? sd.ToString("P1", CultureInfo.InvariantCulture) : "—")} | {tokens:F0} | {macs / 1e6:F1} M |");
}

table.AppendLine();
table.AppendLine(CultureInfo.InvariantCulture, $"Wall time: pretraining {wall["pretraining"]:F0} s, baselines {wall["baselines"]:F0} s, synthesis {wall["synthesis"]:F0} s, students {wall["students"]:F0} s, total {total.Elapsed.TotalSeconds:F0} s.");
Console.WriteLine();
Console.WriteLine(table);
File.WriteAllText(Path.Combine(output, "results.md"), table.ToString());
return 0;
