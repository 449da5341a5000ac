#!/usr/bin/env bash
# Crash consistency, long version: an uninterrupted reference RPP training, then KILLS trials that each start the same
# training as a child process, SIGKILL it (cycling through: a random moment of the run; the instant the N-th checkpoint's
# temporary file appears, i.e. inside a checkpoint write; a random moment after the N-th checkpoint), verify the
# checkpoint left behind (format and SHA-256), resume to the end and compare the final weights with the reference's,
# byte for byte. Exit code 1 if any checkpoint is corrupt or any resume differs.
#   scripts/crash-kill.sh [KILLS=21] [ITERATIONS=6] [SEED=1]
# The short version runs in the test suite (PromptKit.Training.Tests, CrashConsistencyTests).
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-21}; iterations=${2:-6}; seed=${3:-1}
work=$(mktemp -d /tmp/promptkit-crash.XXXXXX)
trap 'rm -rf "$work"' EXIT
dotnet build tests/PromptKit.CrashConsistency/PromptKit.CrashConsistency.csproj -c Release > "$work.build.log" 2>&1 || { cat "$work.build.log" >&2; exit 1; }
dotnet tests/PromptKit.CrashConsistency/bin/Release/net10.0/linux-x64/PromptKit.CrashConsistency.dll run "$work/runs" "$kills" "$iterations" "$seed"
