using System.Diagnostics.CodeAnalysis;

// The Training package starts out experimental (STYLE.md section 10): its API may change between minor versions.
[assembly: Experimental("PKEXP001")]
