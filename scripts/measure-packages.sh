#!/usr/bin/env bash
# Measures what `dotnet add package X` costs a user, for each PromptKit package: packs them into a temporary feed,
# restores an empty app that references only X (into a temporary packages folder, the machine's global packages folder
# as a read-only fallback, so nothing large is downloaded again), and sums the .nupkg files of every package in the
# restored graph: the download a user with an empty NuGet cache pays. It lists the packages of that graph with native
# libraries (runtimes/*/native), and, for PromptKit.Training, the size of a built app's output with and without a
# RuntimeIdentifier (TorchSharp's natives).
#   scripts/measure-packages.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
work=$(mktemp -d /tmp/promptkit-measure.XXXXXX)
trap 'rm -rf "$work"' EXIT
scripts/pack.sh "$work/feed" "$@"
fallback=${NUGET_PACKAGES:-$HOME/.nuget/packages}
printf '<configuration><packageSources><add key="feed" value="%s" /></packageSources></configuration>\n' "$work/feed" > "$work/nuget.config"

app() {  # app NAME ID VERSION [extra properties]: an empty console app that references one package
  mkdir -p "$work/$1"
  cat > "$work/$1/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework>$4</PropertyGroup>
  <ItemGroup><PackageReference Include="$2" Version="$3" /></ItemGroup>
</Project>
XML
  echo 'System.Console.WriteLine();' > "$work/$1/Program.cs"
  cp "$work/nuget.config" "$work/$1/"
}

echo "| package | packages in the graph | download (sum of .nupkg) | packages with native libraries |"
echo "| --- | --- | --- | --- |"
for nupkg in "$work"/feed/*.nupkg; do
  file=$(basename "$nupkg" .nupkg)
  id=$(sed -E 's/\.[0-9]+\.[0-9]+\.[0-9]+(-.*)?$//' <<< "$file"); version=${file#"$id".}
  app "$id" "$id" "$version" ""
  dotnet restore "$work/$id/App.csproj" -v quiet -p:RestorePackagesPath="$work/packages" -p:RestoreFallbackFolders="$fallback" > /dev/null
  python3 - "$work/$id/obj/project.assets.json" "$work/packages" "$fallback" "$id" <<'PY'
import json, os, sys, zipfile
assets, folders, main = json.load(open(sys.argv[1])), sys.argv[2:4], sys.argv[4]
total, count, native = 0, 0, []
for key, lib in assets["libraries"].items():
    if lib["type"] != "package":
        continue
    name, version = key.split("/")
    for folder in folders:
        path = os.path.join(folder, lib["path"], f"{name.lower()}.{version.lower()}.nupkg")
        if os.path.exists(path):
            break
    else:
        sys.exit(f"{key}: no .nupkg found")
    size = os.path.getsize(path)
    total += size; count += 1
    if any(f.startswith("runtimes/") and "/native/" in f for f in lib.get("files", [])):
        native.append(f"{name} ({size / 1e6:.0f} MB)")
print(f"| {main} | {count} | {total / 1e6:.1f} MB | {', '.join(sorted(native)) or 'none'} |")
PY
done

# TorchSharp copies every platform's natives into the output unless the app names a RuntimeIdentifier.
version=$(basename "$work"/feed/PromptKit.Training.*.nupkg .nupkg); version=${version#PromptKit.Training.}
app training-any PromptKit.Training "$version" ""
app training-rid PromptKit.Training "$version" "<RuntimeIdentifier>linux-x64</RuntimeIdentifier><SelfContained>false</SelfContained>"
for variant in training-any training-rid; do
  dotnet build "$work/$variant/App.csproj" -c Release -v quiet -nologo -o "$work/$variant/out" \
    -p:RestorePackagesPath="$work/packages" -p:RestoreFallbackFolders="$fallback" > /dev/null
  echo "PromptKit.Training app output, $variant: $(du -sm "$work/$variant/out" | cut -f1) MB"
done
