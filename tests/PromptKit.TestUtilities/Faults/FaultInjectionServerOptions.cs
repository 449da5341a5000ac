namespace PromptKit.TestUtilities.Faults;

/// <summary>Settings of <see cref="FaultInjectionServer"/>.</summary>
public sealed class FaultInjectionServerOptions
{
    /// <summary>Gets or sets which request meets which fault. The default is <see cref="FaultSchedule.None"/>.</summary>
    public FaultSchedule Schedule { get; set; } = FaultSchedule.None;

    /// <summary>Gets or sets the longest a <see cref="FaultKind.Hang"/> holds a request before answering it after all. The default is 10 seconds.</summary>
    public TimeSpan HangLimit { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the value of the <c>Retry-After</c> header of 503 and 429 answers. The default is 0 seconds.</summary>
    public int RetryAfterSeconds { get; set; }

    /// <summary>Gets or sets the pause between the pieces of a <see cref="FaultKind.SlowStream"/> answer. The default is 100 milliseconds.</summary>
    public TimeSpan SlowPieceDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets or sets the most requests the server answers; later ones get HTTP 500 and are not passed to the model. The default is 100,000.</summary>
    public int MaxRequests { get; set; } = 100_000;
}
