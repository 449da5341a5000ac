#!/usr/bin/env bash
# Packs every package under src/ (.nupkg and .snupkg) into the folder given.
#   scripts/pack.sh FEED [--no-build]    (--no-build: pack what a Release build already made)
set -euo pipefail
cd "$(dirname "$0")/.."
feed=${1:?usage: scripts/pack.sh FEED [--no-build]}; shift
mkdir -p "$feed"
for project in src/*/*.csproj; do
  dotnet pack "$project" -c Release "$@" -o "$feed" -v quiet -nologo
done
