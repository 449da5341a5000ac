using Microsoft.Extensions.DependencyInjection;
using PromptKit.OnnxRuntime;
using PromptKit.Training;
using PromptKit;
using System.Collections.Immutable;

namespace PromptKit.Snippets;

#pragma warning disable IDE0059, CS0219, CA1849

internal static class RewritingSnippets
{
    public static async Task TrainAndServeAsync(PromptEvaluator evaluator, IReadOnlyList<RewritingExample> train, IReadOnlyList<RewritingExample> validation, Prompt originalPrompt)
    {
        #region train-and-serve
        // Training (PromptKit.Training): examples are the original prompts and what each user really wrote.
        var scorer = new PromptScorer<IReadOnlyList<string>>(evaluator, PromptRewriterTrainer.CreateReward());
        var trainer = new PromptRewriterTrainer(scorer, new HashedTextEncoder(64));
        ImmutableArray<RewriteLabel> labels = await trainer.LabelAsync(train);          // SL labels: best of 25 candidates
        using ActorCriticModel model = trainer.CreateModel(seed: 1);
        trainer.TrainSupervised(model, labels);                                         // SL
        using ActorCriticModel reference = model.Clone();
        await trainer.TrainReinforcedAsync(model, train, reference, validation);        // PPO with a KL penalty to SL
        File.WriteAllBytes("rewriter.onnx", model.ExportActorToOnnx(0));

        // Serving (core + PromptKit.OnnxRuntime only): the same layout, the ONNX policy.
        using var policy = new OnnxPolicy("rewriter.onnx");
        using IPromptRewriter rewriter = new PointerPromptRewriter(policy, new PointerRewriteLayout(new HashedTextEncoder(64)));
        Prompt rewritten = await rewriter.RewriteAsync(originalPrompt);
        #endregion
    }

    public static void AddServices(IServiceCollection services)
    {
        #region di
        services.AddPromptKit()
            .AddPromptRewriter(sp => sp.GetRequiredService<MyTrainedRewriter>())   // or AddPromptRewriter() / AddPromptRewriter(instance)
            .UseComponentFilter(PromptComponentKind.Summary);
        // resolve: IPromptRewriter rewriter = provider.GetRequiredService<IPromptRewriter>();
        #endregion
    }

    public static async Task PipelineAsync()
    {
        #region pipeline
        Prompt prompt = new PromptBuilder()
            .AddInstruction("Write the user's next product review.")
            .AddHistory(["Review of a kettle", "Review of a lamp", "Review of a phone"], isEditable: true)
            .AddSummary("The user writes short, technical reviews.")            // editable by default
            .AddSynthesis(["battery", "screen", "price"])                      // editable by default
            .Build();

        using IPromptRewriter rewriter = new PromptRewriterBuilder()          // or trainedRewriter.AsBuilder()
            .UseComponentFilter(PromptComponentKind.Summary)                   // first Use = outermost = runs first
            .UseListLimit(2, ListItemRetention.Last, PromptComponentKind.HistoryRecords)
            .Use((p, context, next, ct) =>                                     // a layer written as one delegate
            {
                // Repeat the first keyword (a pattern the learned rewriter of the paper found); edit editable components only.
                if (p.TryGetComponent("synthesis", out PromptComponent? keywords) && keywords.IsEditable && keywords.Items.Length > 0)
                {
                    p = p.WithItems("synthesis", [keywords.Items[0], .. keywords.Items]);
                }

                return next.RewriteAsync(p, context, ct);
            })
            .Build();

        Prompt rewritten = await rewriter.RewriteAsync(prompt, new PromptRewriteContext(userId: "u42"));
        // rewritten: instruction, history [lamp, phone], synthesis [battery, battery, screen, price]; no summary
        #endregion
    }
}

#region seam
internal sealed class ComponentCountRewriter(IPromptRewriter next) : IPromptRewriter
{
    public async ValueTask<Prompt> RewriteAsync(Prompt prompt, PromptRewriteContext? context = null, CancellationToken cancellationToken = default)
    {
        Console.WriteLine($"{context?.UserId}: {prompt.Components.Length} components");   // look at (or edit) the prompt
        return await next.RewriteAsync(prompt, context, cancellationToken);                // then the next layer
    }

    // Finds one layer of a pipeline: rewriter.GetService<ListLimitPromptRewriter>()
    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : next.GetService(serviceType, serviceKey);

    public void Dispose() => next.Dispose();
}
#endregion

/// <summary>Stands for the application's own rewriter type in the DI snippet.</summary>
internal sealed class MyTrainedRewriter : IPromptRewriter
{
    public ValueTask<Prompt> RewriteAsync(Prompt prompt, PromptRewriteContext? context = null, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(prompt);

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
