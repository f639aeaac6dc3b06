#!/bin/sh
# Preprocessing a 1920x1080 PNG to AndesVL patches at max_size 733: Pillow + NumPy, then .NET (BenchmarkDotNet),
# on the same PNG bytes. Usage: tools/vision/bench.sh [extra BenchmarkDotNet args, e.g. --job short]
set -e
cd "$(dirname "$0")/../.."
export ANDES_VISION_BENCH_PNG="${ANDES_VISION_BENCH_PNG:-/tmp/andes-vision-bench/screenshot_1920x1080.png}"
echo "== machine: $(nproc) CPUs, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== Pillow + NumPy"
/usr/bin/python3 tools/vision/bench_pillow.py --image "$ANDES_VISION_BENCH_PNG"
echo "== .NET"
dotnet run -c Release --project bench/Andes.Benchmarks -- --filter '*ImagePreprocessingBenchmarks*' "$@"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
