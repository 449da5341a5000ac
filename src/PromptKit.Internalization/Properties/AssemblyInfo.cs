using System.Diagnostics.CodeAnalysis;

// The Internalization package starts out experimental (STYLE.md section 10), like PromptKit.Training: its API may change between minor versions.
[assembly: Experimental("PKEXP001")]
