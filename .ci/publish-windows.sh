#!/usr/bin/env bash
# Publishes the andes CLI (and, once they exist, the samples' file-based apps) for Windows on Arm (win-arm64,
# Windows-on-Snapdragon, the GUI agent's first target) and win-x64, framework-dependent, so that Windows-only code
# compiles and packages with Windows' ONNX Runtime natives. It checks that each output has its entry assembly and
# (required for andes, where present for a sample) an onnxruntime.dll and onnxruntime-genai.dll built for the RID's CPU,
# and SkiaSharp's libSkiaSharp.dll for that CPU (required for andes, with SkiaSharp.dll for a sample) without its symbols.
# Called by .ci/run after the tests; run it alone with
#   bash .ci/publish-windows.sh            (outputs in artifacts/publish/<rid>/)
# Exit status: 0 when every publish and check passed.
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

out=artifacts/publish
# Separate obj/bin (--artifacts-path) so publishing for a RID never touches the src/*/obj and bin the tests use.
build=artifacts/publish-build
rm -rf "$out"

# The PE header's machine field: 8664 = x64, aa64 = arm64.
pe_machine() {
    local offset
    offset=$(od -An -tu4 -j60 -N4 "$1" | tr -d ' ')
    od -An -tx2 -j$((offset + 4)) -N2 "$1" | tr -d ' '
}

check_output() { # dir rid entry-assembly need-onnxruntime
    local dir=$1 rid=$2 entry=$3 need_ort=$4 want got
    case "$rid" in
        win-x64) want=8664 ;;
        win-arm64) want=aa64 ;;
    esac
    [[ -f "$dir/$entry" ]] || { echo "publish-windows: $dir/$entry is missing" >&2; return 1; }
    if [[ ! -f "$dir/onnxruntime.dll" ]]; then
        [[ "$need_ort" == no ]] && return 0
        echo "publish-windows: $dir/onnxruntime.dll is missing" >&2
        return 1
    fi
    got=$(pe_machine "$dir/onnxruntime.dll")
    [[ "$got" == "$want" ]] || { echo "publish-windows: $dir/onnxruntime.dll is for machine $got, not $want ($rid)" >&2; return 1; }
    # The second engine: ONNX Runtime GenAI's native library, for the same CPU.
    [[ -f "$dir/onnxruntime-genai.dll" ]] || { echo "publish-windows: $dir/onnxruntime-genai.dll is missing" >&2; return 1; }
    got=$(pe_machine "$dir/onnxruntime-genai.dll")
    [[ "$got" == "$want" ]] || { echo "publish-windows: $dir/onnxruntime-genai.dll is for machine $got, not $want ($rid)" >&2; return 1; }
}

check_skia() { # dir rid need-skia: SkiaSharp's native library (decoding, PNG encoding, drawing) for the RID's CPU
    local dir=$1 rid=$2 need=$3 want got
    case "$rid" in
        win-x64) want=8664 ;;
        win-arm64) want=aa64 ;;
    esac
    # Its 95 MB of native symbols never belong in an output (Directory.Build.targets drops them).
    [[ ! -f "$dir/libSkiaSharp.pdb" ]] || { echo "publish-windows: $dir/libSkiaSharp.pdb is published" >&2; return 1; }
    if [[ ! -f "$dir/SkiaSharp.dll" ]]; then
        [[ "$need" == no ]] && return 0
        echo "publish-windows: $dir/SkiaSharp.dll is missing" >&2
        return 1
    fi
    [[ -f "$dir/libSkiaSharp.dll" ]] || { echo "publish-windows: $dir/libSkiaSharp.dll is missing" >&2; return 1; }
    got=$(pe_machine "$dir/libSkiaSharp.dll")
    [[ "$got" == "$want" ]] || { echo "publish-windows: $dir/libSkiaSharp.dll is for machine $got, not $want ($rid)" >&2; return 1; }
}

summary=()
for rid in win-arm64 win-x64; do
    # win-x64 gets andes.exe; the win-arm64 app host (Microsoft.NETCore.App.Host.win-arm64) is not in our NuGet feed,
    # so there the app is andes.dll, run with `dotnet andes.dll` (an SDK on Windows on Arm makes andes.exe itself).
    apphost=true
    [[ "$rid" == win-arm64 ]] && apphost=false
    start=$SECONDS
    dotnet publish src/Andes.Cli -c Release -r "$rid" --self-contained false -p:UseAppHost=$apphost \
        --artifacts-path "$build" -o "$out/$rid/andes"
    check_output "$out/$rid/andes" "$rid" andes.dll yes
    check_skia "$out/$rid/andes" "$rid" yes
    summary+=("andes $rid $((SECONDS - start)) s")

    # Hook for the samples' C# file-based apps (samples/<name>/app.cs): each is published for the RID the same way
    # (PublishAot off: file-based apps default to native AOT, which cannot cross-compile from Linux to Windows).
    if [[ -d samples ]]; then
        for app in samples/*/app.cs; do
            [[ -f "$app" ]] || continue
            name=$(basename "$(dirname "$app")")
            start=$SECONDS
            dotnet publish "$app" -c Release -r "$rid" --self-contained false -p:PublishAot=false -p:UseAppHost=$apphost \
                -o "$out/$rid/samples/$name"
            check_output "$out/$rid/samples/$name" "$rid" app.dll no
            check_skia "$out/$rid/samples/$name" "$rid" no
            summary+=("$name $rid $((SECONDS - start)) s")
        done
    fi
done

printf -v joined '%s; ' "${summary[@]}"
echo "publish-windows: ok (${joined%; })"
