using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PromptKit;
using PromptKit.Training;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers PromptKit's trainers with validated options.</summary>
public static class TrainingServiceCollectionExtensions
{
    /// <summary>Adds a singleton <see cref="PpoTrainer"/> whose <see cref="PpoTrainerOptions"/> are validated when the
    /// host starts (single-property and cross-property rules).</summary>
    /// <param name="builder">The PromptKit builder.</param>
    /// <param name="configure">Configures the options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IPromptKitBuilder AddPpoTrainer(this IPromptKitBuilder builder, Action<PpoTrainerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddOptions<PpoTrainerOptions, PpoTrainerOptionsValidator>(builder.Services, configure, new PpoTrainerOptionsCrossValidator());
        builder.Services.TryAddSingleton(static sp => new PpoTrainer(
            sp.GetRequiredService<IOptions<PpoTrainerOptions>>().Value,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<IMeterFactory>(),
            sp.GetService<TimeProvider>()));
        return builder;
    }

    /// <summary>Adds a singleton <see cref="ActorCriticTrainer"/> (single- or multi-agent A2C) whose
    /// <see cref="ActorCriticTrainerOptions"/> are validated when the host starts.</summary>
    /// <param name="builder">The PromptKit builder.</param>
    /// <param name="configure">Configures the options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IPromptKitBuilder AddActorCriticTrainer(this IPromptKitBuilder builder, Action<ActorCriticTrainerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddOptions<ActorCriticTrainerOptions, ActorCriticTrainerOptionsValidator>(builder.Services, configure, new OnPolicyTrainerOptionsCrossValidator<ActorCriticTrainerOptions>());
        builder.Services.TryAddSingleton(static sp => new ActorCriticTrainer(
            sp.GetRequiredService<IOptions<ActorCriticTrainerOptions>>().Value,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<IMeterFactory>(),
            sp.GetService<TimeProvider>()));
        return builder;
    }

    /// <summary>Adds a singleton <see cref="SupervisedTrainer"/> whose <see cref="SupervisedTrainerOptions"/> are
    /// validated when the host starts.</summary>
    /// <param name="builder">The PromptKit builder.</param>
    /// <param name="configure">Configures the options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IPromptKitBuilder AddSupervisedTrainer(this IPromptKitBuilder builder, Action<SupervisedTrainerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddOptions<SupervisedTrainerOptions, SupervisedTrainerOptionsValidator>(builder.Services, configure, crossValidator: null);

        builder.Services.TryAddSingleton(static sp => new SupervisedTrainer(
            sp.GetRequiredService<IOptions<SupervisedTrainerOptions>>().Value,
            sp.GetService<ILoggerFactory>(),
            sp.GetService<IMeterFactory>()));
        return builder;
    }

    private static void AddOptions<TOptions, TValidator>(IServiceCollection services, Action<TOptions>? configure, IValidateOptions<TOptions>? crossValidator)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        OptionsBuilder<TOptions> options = services.AddOptionsWithValidateOnStart<TOptions, TValidator>();
        if (crossValidator is not null)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton(crossValidator));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }
    }
}
