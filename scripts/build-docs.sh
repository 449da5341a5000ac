#!/usr/bin/env bash
# Builds the documentation site with docfx 2.81.0 (pinned in .config/dotnet-tools.json) into artifacts/docs-site:
# the conceptual pages of docs/ (code included from docs/snippets) and the API reference from the packages' XML docs.
# Offline: no xref service is configured. Broken links, missing files or code regions are errors (--warningsAsErrors),
# and so is a public API without XML docs (the compiler's CS1591 under TreatWarningsAsErrors, in the build below).
#
#   scripts/build-docs.sh            # build the site
#   scripts/build-docs.sh --serve    # build, then serve it on http://localhost:8080
# Then scripts/check-docs-site.sh looks at it in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet tool restore > /dev/null
for project in src/*/*.csproj; do
  dotnet build "$project" -c Release -v quiet -nologo
done
rm -rf docs/api artifacts/docs-site
dotnet docfx metadata docs/docfx.json --warningsAsErrors
dotnet docfx build docs/docfx.json --warningsAsErrors
echo "Site: artifacts/docs-site/index.html"
if [ "${1:-}" = "--serve" ]; then
  dotnet docfx serve artifacts/docs-site --port 8080
fi
