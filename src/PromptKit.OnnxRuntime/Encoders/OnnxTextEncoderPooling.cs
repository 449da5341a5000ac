namespace PromptKit.OnnxRuntime;

/// <summary>How <see cref="OnnxTextEncoder"/> turns the per-token hidden states of a sentence into one vector.</summary>
public enum OnnxTextEncoderPooling
{
    /// <summary>The mean of the hidden states of the real tokens, <c>[CLS]</c> and <c>[SEP]</c> included and padding excluded (sentence-transformers' mean pooling).</summary>
    Mean = 0,

    /// <summary>The hidden state of the first token, <c>[CLS]</c>.</summary>
    Cls,
}
