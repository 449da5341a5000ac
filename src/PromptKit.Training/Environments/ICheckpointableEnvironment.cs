namespace PromptKit.Training;

/// <summary>An <see cref="IEnvironment"/> whose state, including its random generator and any episode in progress,
/// can be saved in a trainer checkpoint and restored, so that a resumed run continues exactly where it stopped.</summary>
/// <remarks>Trainers resume environments that do not implement this interface by starting new episodes (and log
/// that they did); the run then continues correctly but is not bit-identical to an uninterrupted one.</remarks>
public interface ICheckpointableEnvironment : IEnvironment
{
    /// <summary>Writes the complete state.</summary>
    /// <param name="writer">The writer to write to.</param>
    void SaveState(BinaryWriter writer);

    /// <summary>Restores a state written by <see cref="SaveState"/>.</summary>
    /// <param name="reader">The reader positioned at the state.</param>
    void LoadState(BinaryReader reader);
}
