#!/usr/bin/env bash
# Adds every public symbol missing from a packable library's PublicAPI.Unshipped.txt (the RS0016 code fix, through
# dotnet format), for all six libraries or the ones named:
#   bash tools/publicapi/update.sh                       # all
#   bash tools/publicapi/update.sh Andes.GenAI           # one
# Removed or changed symbols (RS0017) are not fixed by it: delete their old lines by hand (for a symbol already in
# PublicAPI.Shipped.txt, add "*REMOVED*<the shipped line>" to PublicAPI.Unshipped.txt instead). Review the diff: it is
# the API change. Works offline; takes about 15 s a project.
set -euo pipefail
cd "$(dirname "$0")/../.."

projects=("$@")
if [[ ${#projects[@]} -eq 0 ]]; then
    # In dependency order, so a library's references are done first.
    projects=(Andes.Abstractions Andes.GenAI Andes.Agents.Gui Andes.Agents.Gui.Evaluation Andes.ModelBuilder Andes.SemanticKernel)
fi

for p in "${projects[@]}"; do
    echo "public API: $p"
    dotnet format analyzers "src/$p/$p.csproj" --diagnostics RS0016 --severity warn
done
