using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PromptKit.Training.Tests;

public sealed class TrainingServiceCollectionExtensionsTests
{
    [Fact]
    public void AddPpoTrainer_MiniBatchLargerThanRollout_FailsWhenOptionsResolved()
    {
        var services = new ServiceCollection();
        services.AddPromptKit().AddPpoTrainer(o => o.MiniBatchSize = 4096);
        using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        Action act = () => _ = provider.GetRequiredService<IOptions<PpoTrainerOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().WithMessage("*MiniBatchSize*rollout*");
    }

    [Fact]
    public void AddTrainers_ValidOptions_ResolveConfiguredSingletons()
    {
        var services = new ServiceCollection();
        services.AddPromptKit()
            .AddPpoTrainer(o => o.Epochs = 3)
            .AddActorCriticTrainer(o => o.GaeLambda = 0)
            .AddSupervisedTrainer(o => o.Epochs = 7);
        using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        provider.GetRequiredService<PpoTrainer>().Options.Epochs.Should().Be(3);
        provider.GetRequiredService<ActorCriticTrainer>().Options.GaeLambda.Should().Be(0);
        provider.GetRequiredService<SupervisedTrainer>().Options.Epochs.Should().Be(7);
        provider.GetRequiredService<PpoTrainer>().Should().BeSameAs(provider.GetRequiredService<PpoTrainer>());
    }

    [Fact]
    public void AddActorCriticTrainer_InvalidGamma_FailsWhenOptionsResolved()
    {
        var services = new ServiceCollection();
        services.AddPromptKit().AddActorCriticTrainer(o => o.Gamma = 1.5);
        using ServiceProvider provider = services.BuildServiceProvider();

        Action act = () => _ = provider.GetRequiredService<ActorCriticTrainer>();

        act.Should().Throw<OptionsValidationException>().WithMessage("*Gamma*");
    }

    [Fact]
    public void AddPpoTrainer_NullBuilder_ThrowsWithParamName()
    {
        Action act = () => TrainingServiceCollectionExtensions.AddPpoTrainer(null!);

        act.Should().Throw<ArgumentNullException>().WithParameterName("builder");
    }
}
