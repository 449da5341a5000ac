using PromptKit.OnnxRuntime;
using PromptKit;

namespace PromptKit.Snippets;

#pragma warning disable IDE0059, CS0219, CA1849

internal static class OnnxEncoderSnippets
{
    public static void Encode()
    {
        #region encoder
        using var encoder = new OnnxTextEncoder(new OnnxTextEncoderOptions
        {
            ModelPath = "minilm/model.onnx",
            VocabularyPath = "minilm/vocab.txt",
            MaxLength = 256,                            // tokens per text, [CLS] and [SEP] included
            Pooling = OnnxTextEncoderPooling.Mean,      // or Cls
            Normalize = true,                           // unit L2 norm: dot product = cosine similarity
        });

        float[] query = encoder.Encode("I like jazz and old movies.");

        string[] history = ["Watched Casablanca again.", "Bought a Miles Davis record.", "Ran 10 km this morning."];
        float[][] items = encoder.EncodeBatch(history);     // BatchSize (default 32) texts per model run

        // Or write into one row-major buffer you own: row i = history[i].
        var buffer = new float[history.Length * encoder.Dimension];
        encoder.EncodeBatch(history, buffer);

        // As the state encoder of a policy:
        IStateEncoder<string> stateEncoder = encoder;
        Span<float> features = stackalloc float[stateEncoder.Dimension];
        stateEncoder.Encode("user profile text", features);
        #endregion
    }
}
