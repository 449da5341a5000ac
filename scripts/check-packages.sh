#!/usr/bin/env bash
# Consumer check: packs every package under src/ into a temporary folder feed, then builds and runs a tiny app
# (tests/PackageConsumer) OUTSIDE the repository that references them by PackageReference only: core + DI + one
# metric, a PromptKit.Training supervised step, and the trained actor served by PromptKit.OnnxRuntime from a file;
# the docs' snippets (docs/snippets/*.cs) are compiled into that app, against the packages.
# It also checks each package's declared dependencies against the list below, so a leaked pin fails.
#
#   scripts/check-packages.sh             # builds and packs (Release)
#   scripts/check-packages.sh --no-build  # packs what `dotnet test PromptKit.sln -c Release` already built (.ci/run)
#
# Restore is offline apart from the machine's configured NuGet source: the consumer restores into a temporary packages
# folder, with the machine's global packages folder (`dotnet nuget locals global-packages -l`) as a read-only fallback
# (so TorchSharp's 1.4 GB is not fetched again), and the PromptKit packages must come from the temporary feed (a
# packageSourceMapping sends PromptKit* there only).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
build_flag=()
[ "${1:-}" = "--no-build" ] && build_flag=(--no-build)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
work=$(mktemp -d /tmp/promptkit-consumer.XXXXXX)
trap 'rm -rf "$work"' EXIT
feed="$work/feed"; app="$work/app"; mkdir -p "$feed" "$app"

start=$(date +%s)
scripts/pack.sh "$feed" "${build_flag[@]}"
version=$(dotnet msbuild src/PromptKit -getProperty:VersionPrefix)
suffix=$(dotnet msbuild src/PromptKit -getProperty:PromptKitPreviewSuffix)

# Each package's dependencies, exactly (id only): a sample's pin (SkiaSharp, SharpZipLib, Google.Protobuf where it is
# not used) showing up here is a packaging regression.
declare -A expected=(
  [PromptKit]="Microsoft.Extensions.AI Microsoft.Extensions.AI.Abstractions Microsoft.Extensions.AI.Evaluation Microsoft.Extensions.Caching.Abstractions Microsoft.Extensions.Caching.Memory Microsoft.Extensions.DependencyInjection.Abstractions Microsoft.Extensions.Diagnostics.Abstractions Microsoft.Extensions.Logging.Abstractions Microsoft.Extensions.Options Microsoft.Extensions.Options.DataAnnotations Microsoft.ML.Tokenizers Polly.Core System.Numerics.Tensors"
  [PromptKit.Onnx]="Google.Protobuf"
  [PromptKit.OnnxRuntime]="Microsoft.Extensions.DependencyInjection.Abstractions Microsoft.Extensions.Logging.Abstractions Microsoft.Extensions.Options Microsoft.ML.OnnxRuntime PromptKit PromptKit.Onnx"
  [PromptKit.Training]="Microsoft.Extensions.DependencyInjection.Abstractions Microsoft.Extensions.Diagnostics.Abstractions Microsoft.Extensions.Logging.Abstractions Microsoft.Extensions.Options Microsoft.Extensions.Options.DataAnnotations PromptKit PromptKit.Onnx TorchSharp-cpu"
  [PromptKit.Lucene]="Lucene.Net Lucene.Net.Analysis.Common Microsoft.Extensions.Options Microsoft.Extensions.Options.DataAnnotations PromptKit"
  [PromptKit.Internalization]="Microsoft.Extensions.Logging.Abstractions Microsoft.Extensions.Options Microsoft.Extensions.Options.DataAnnotations Microsoft.ML.Tokenizers PromptKit PromptKit.Onnx PromptKit.Training TorchSharp-cpu TorchSharp.PyBridge"
)
# One member of a package (a zip) on stdout: unzip where installed, else Python's zipfile (python3 is on Debian; a
# minimal image may lack unzip).
zip_cat() {
  if command -v unzip > /dev/null; then unzip -p "$1" "$2"
  else python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' "$1" "$2"; fi
}
fail=0
for id in "${!expected[@]}"; do
  nupkg=$(ls "$feed/$id".[0-9]*.nupkg 2>/dev/null | head -n 1)
  if [ -z "$nupkg" ]; then echo "FAIL $id: no package was packed" >&2; fail=1; continue; fi
  [ -f "${nupkg%.nupkg}.snupkg" ] || { echo "FAIL $id: no .snupkg symbol package" >&2; fail=1; }
  nuspec=$(zip_cat "$nupkg" "$id.nuspec")
  actual=$(printf '%s' "$nuspec" | grep -o '<dependency id="[^"]*"' | sed 's/<dependency id="//; s/"$//' | sort | tr '\n' ' ' | sed 's/ $//')
  want=$(printf '%s\n' ${expected[$id]} | sort | tr '\n' ' ' | sed 's/ $//')
  if [ "$actual" != "$want" ]; then
    echo "FAIL $id declares: $actual" >&2; echo "     expected:      $want" >&2; fail=1
  fi
  # The package README must stand alone on nuget.org: no links into the repository's tree by relative path.
  if zip_cat "$nupkg" README.md | grep -nE '\]\((\.\.?/|docs/|samples/|src/|tests/)' >&2; then
    echo "FAIL $id: README.md links into the repository by a relative path" >&2; fail=1
  fi
done
[ "$fail" -eq 0 ] || exit 1

cp "$repo/tests/PackageConsumer/PackageConsumer.csproj" "$repo/tests/PackageConsumer/Program.cs" "$app/"
# The docs' code (docs/snippets) compiles against the packages too, as it would in a user's project.
mkdir -p "$app/Snippets" && cp "$repo"/docs/snippets/*.cs "$app/Snippets/"
# The machine's sources stay (their names, so their credentials apply); packageSourceMapping sends PromptKit* to the
# temporary feed only, everything else to the machine's sources.
machine_sources=$(cd "$work" && dotnet nuget list source --format detailed | sed -n 's/^ *[0-9][0-9]*\. *\(.*\) \[Enabled\]$/\1/p')
mapping=""
while IFS= read -r source; do
  if [ -n "$source" ]; then mapping+="    <packageSource key=\"$source\"><package pattern=\"*\" /></packageSource>"$'\n'; fi
done <<< "$machine_sources"
cat > "$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="promptkit-check" value="$feed" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="promptkit-check"><package pattern="PromptKit*" /></packageSource>
$mapping  </packageSourceMapping>
</configuration>
XML
global_packages=$(dotnet nuget locals global-packages -l | sed -n 's/^global-packages: *//p')
global_packages=${global_packages%/}
props=(-p:PromptKitVersion="$version" -p:PromptKitPreviewSuffix="$suffix"
       -p:RestorePackagesPath="$work/packages" -p:RestoreFallbackFolders="${global_packages:-${NUGET_PACKAGES:-$HOME/.nuget/packages}}")
dotnet build "$app/PackageConsumer.csproj" -c Release -v quiet -nologo "${props[@]}"
for id in promptkit promptkit.onnx promptkit.onnxruntime promptkit.training promptkit.lucene promptkit.internalization; do
  [ -d "$work/packages/$id" ] || { echo "FAIL $id was not restored from the temporary feed (a stale copy in a fallback folder?)" >&2; exit 1; }
done
dotnet run --project "$app/PackageConsumer.csproj" -c Release --no-build "${props[@]}"

# An app on SkiaSharp 2.88 (TorchSharp's own lower bound) restores next to PromptKit.Training: no NU1605 from a pin.
mkdir -p "$work/skia" && cp "$app/nuget.config" "$work/skia/"
cat > "$work/skia/Skia.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><TreatWarningsAsErrors>true</TreatWarningsAsErrors></PropertyGroup>
  <ItemGroup>
    <PackageReference Include="PromptKit.Training" Version="$version-$suffix" />
    <PackageReference Include="SkiaSharp" Version="2.88.6" />
  </ItemGroup>
</Project>
XML
dotnet restore "$work/skia/Skia.csproj" -v quiet "${props[@]}" > "$work/skia/restore.log" 2>&1 \
  || { cat "$work/skia/restore.log" >&2; echo "FAIL an app on SkiaSharp 2.88.6 cannot restore PromptKit.Training" >&2; exit 1; }
echo "ok   an app on SkiaSharp 2.88.6 restores PromptKit.Training"
echo "Packages ($version; previews -$suffix) pass the consumer check in $(( $(date +%s) - start )) s."
