namespace PromptKit.Internalization;

/// <summary>What a <see cref="RolePlaySynthesizer.SynthesizeAsync"/> run did; counts include conversations found in the files from an earlier run.</summary>
public sealed class RolePlaySynthesisResult
{
    internal RolePlaySynthesisResult(int finished, int broken, int tooLong, int neverEnded, int resumed, long calls)
    {
        Finished = finished;
        Broken = broken;
        TooLong = tooLong;
        NeverEnded = neverEnded;
        Resumed = resumed;
        Calls = calls;
    }

    /// <summary>Gets the conversations kept (in the output file).</summary>
    public int Finished { get; }

    /// <summary>Gets the conversations dropped for an empty, refused, error or invalid turn.</summary>
    public int Broken { get; }

    /// <summary>Gets the conversations dropped for their length.</summary>
    public int TooLong { get; }

    /// <summary>Gets the conversations cut at the turn limit (dropped).</summary>
    public int NeverEnded { get; }

    /// <summary>Gets the tasks already done by an earlier run, skipped by this one.</summary>
    public int Resumed { get; }

    /// <summary>Gets the model calls this run made.</summary>
    public long Calls { get; }
}
