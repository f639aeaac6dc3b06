#!/usr/bin/env bash
# Publishes tools/aot-probe as a native AOT executable for this machine and runs it: it generates a tiny checkpoint,
# converts it, reads every JSON file the libraries own, chats through ONNX Runtime, calls a skill as a Semantic Kernel
# function and as an M.E.AI tool, and records and reads a GUI-agent trajectory, with reflection-based JSON off.
# Needs clang (apt-get install clang) and about 5 minutes on two cores. Prints "AOT probe: ok" and exits 0 when it works.
set -euo pipefail
cd "$(dirname "$0")/../.."
rid=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
out=artifacts/aot-probe
# Its own obj/bin (--artifacts-path), so the RID-specific build never touches the src/*/obj the tests use.
dotnet publish tools/aot-probe/AotProbe.csproj -c Release -r "$rid" --artifacts-path artifacts/aot-probe-build -o "$out"
"$out/AotProbe"
