#!/usr/bin/python3
"""Pillow + NumPy timing of AndesVL preprocessing, as JSON, for `andes bench-vision` to set beside its own figures.

    /usr/bin/python3 tools/vision/bench_preprocess.py --image PATH [--max-size 733] [--runs 20] [--warmup 3]
        [--patch 14] [--merge 2] [--mean 0.48145466,0.4578275,0.40821073] [--std 0.26862954,0.26130258,0.27577711]
        [--rule andesvl] [--filter bicubic] [--max-res 4172] [--min-tokens 4] [--expect RW,RH,PW,PH]

The steps are those of make_fixtures.py (the golden-fixture script), imported from it:
  decode                      Image.open(BytesIO(png)).convert("RGB") (convert forces the load)
  resize_pad                  the sizing rule, Image.resize(BICUBIC) to the target size, paste centred on a canvas
                              filled with int(mean * 255)                                   (make_fixtures.preprocess)
  normalise_patchify          /255 and Normalize in float32, patches in the 2x2-group order (make_fixtures.normalise,
                              make_fixtures.patchify)
  resize_normalise_patchify   the two above in one go (the counterpart of ImageProcessor.Process(RgbImage))
  total                       decode + resize_normalise_patchify (the counterpart of ImageProcessor.ProcessEncoded)
Each step is run --warmup times, then --runs times; per step the JSON has the wall-clock median and min and the
thread CPU time median and min, in milliseconds. --expect makes the script fail (exit 2) unless its target size and
canvas equal the caller's, so both sides time the same work. Exit 3: Pillow or NumPy is missing.
"""

import argparse
import io
import json
import os
import platform
import statistics
import sys
import time

try:
    import numpy as np
    from PIL import Image
except ImportError as e:  # the caller reports this and goes on without the Python column
    print(json.dumps({"error": f"{e} (install python3-pil and python3-numpy)"}))
    sys.exit(3)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402


def floats(text):
    return [float(v) for v in text.split(",")]


def timed(fn, warmup, runs):
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(runs):
        c0, t0 = time.thread_time(), time.perf_counter()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    return {"wall_median_ms": statistics.median(wall), "wall_min_ms": min(wall),
            "cpu_median_ms": statistics.median(cpu), "cpu_min_ms": min(cpu)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--image", required=True)
    ap.add_argument("--max-size", type=int, default=733)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--patch", type=int, default=14)
    ap.add_argument("--merge", type=int, default=2)
    ap.add_argument("--mean", type=floats, default=mf.AIMV2_MEAN)
    ap.add_argument("--std", type=floats, default=mf.AIMV2_STD)
    ap.add_argument("--rule", choices=sorted(mf.RULES), default="andesvl")
    ap.add_argument("--filter", choices=sorted(mf.FILTERS), default="bicubic")
    ap.add_argument("--max-res", type=int, default=4172)
    ap.add_argument("--min-tokens", type=int, default=4)
    ap.add_argument("--expect", help="RW,RH,PW,PH: the resized and padded sizes the caller computed")
    args = ap.parse_args()

    with open(args.image, "rb") as f:
        png = f.read()
    p, m = args.patch, args.merge
    mean = np.asarray(args.mean, dtype=np.float32)
    fill = tuple(int(v * 255) for v in mean)  # as make_fixtures: int() of the float32 mean promoted to double
    resample = mf.FILTERS[args.filter]

    def decode():
        with Image.open(io.BytesIO(png)) as im:
            return im.convert("RGB")

    rgb = decode()

    def resize_pad(im=rgb):
        return mf.preprocess(im, args.rule, args.max_size, p * m, fill, args.max_res, args.min_tokens, resample)

    capped, canvas, resized, padded, offset = resize_pad()

    def normalise_patchify(c=canvas):
        return mf.patchify(mf.normalise(c, args.mean, args.std), p, m)

    def resize_normalise_patchify(im=rgb):
        return normalise_patchify(resize_pad(im)[1])

    def total():
        return resize_normalise_patchify(decode())

    patches = resize_normalise_patchify()
    if args.expect:
        want = [int(v) for v in args.expect.split(",")]
        got = [resized[0], resized[1], padded[0], padded[1]]
        if got != want:
            print(json.dumps({"error": f"target sizes differ: Pillow side resized {resized} padded {padded}, "
                                       f"caller expects resized {want[:2]} padded {want[2:]}"}))
            sys.exit(2)

    load_before = os.getloadavg()
    steps = {
        "decode": timed(decode, args.warmup, args.runs),
        "resize_pad": timed(resize_pad, args.warmup, args.runs),
        "normalise_patchify": timed(normalise_patchify, args.warmup, args.runs),
        "resize_normalise_patchify": timed(resize_normalise_patchify, args.warmup, args.runs),
        "total": timed(total, args.warmup, args.runs),
    }
    load_after = os.getloadavg()
    print(json.dumps({
        "pillow": Image.__version__, "numpy": np.__version__, "python": platform.python_version(),
        "executable": sys.executable, "cpus": os.cpu_count(),
        "load_average": [load_before[0], load_after[0]],
        "image": args.image, "bytes": len(png), "width": rgb.size[0], "height": rgb.size[1],
        "capped": list(capped) if capped else None, "resized": list(resized), "padded": list(padded),
        "offset": list(offset), "patches": list(patches.shape), "tokens": patches.shape[0] // (m * m),
        "runs": args.runs, "warmup": args.warmup, "steps": steps,
    }))


if __name__ == "__main__":
    main()
