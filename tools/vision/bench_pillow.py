#!/usr/bin/python3
"""Pillow + NumPy timing of AndesVL preprocessing for a 1920x1080 PNG, to set beside the .NET benchmark
(bench/Andes.Benchmarks/Vision/ImagePreprocessingBenchmarks.cs). Run both with tools/vision/bench.sh.

    /usr/bin/python3 tools/vision/bench_pillow.py [--image PATH] [--max-size 733] [--repeat 30]

The image is read from PATH (default /tmp/andes-vision-bench/screenshot_1920x1080.png); when it does not exist a
deterministic screenshot-like image is drawn with Pillow and saved there, so both benchmarks time the same bytes.
Steps timed separately, as the published chat() runs them:
  decode      Image.open(...).convert("RGB") (forces the load)
  preprocess  sizing rule + Image.resize(BICUBIC) + paste on the mean-coloured canvas (make_fixtures.preprocess),
              ToTensor-style /255 and Normalize in float32, patch flattening in the 2x2-group order
"""

import argparse
import io
import os
import statistics
import sys
import time

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402


def screenshot(w=1920, h=1080, seed=42):
    """Flat UI panels, text-like strokes, a gradient bar and a photo-like region."""
    rng = np.random.RandomState(seed)
    img = Image.new("RGB", (w, h), (243, 243, 243))
    d = ImageDraw.Draw(img)
    bar = np.linspace(0, 255, w, dtype=np.uint8)
    img.paste(Image.fromarray(np.stack([np.tile(bar, (48, 1)), np.full((48, w), 90, np.uint8),
                                        np.tile(bar[::-1], (48, 1))], axis=-1)), (0, 0))
    for _ in range(14):
        x0, y0 = int(rng.randint(0, w - 300)), int(rng.randint(60, h - 200))
        x1, y1 = x0 + int(rng.randint(200, 700)), y0 + int(rng.randint(120, 500))
        d.rectangle([x0, y0, x1, y1], fill=tuple(int(v) for v in rng.randint(180, 256, 3)), outline=(120, 120, 120))
    for y in range(70, h - 20, 18):
        x = int(rng.randint(10, 200))
        while x < w - 80 and rng.rand() < 0.97:
            cw = int(rng.randint(4, 60))
            d.rectangle([x, y, x + cw, y + 9], fill=(int(rng.randint(0, 90)),) * 3)
            x += cw + int(rng.randint(4, 12))
    photo = mf.photo_like(480, 320, seed)
    img.paste(Image.fromarray(photo), (w - 520, h - 380))
    return img


def timed(fn, repeat):
    """-> (wall median, wall min, thread-CPU median, thread-CPU min) in ms. On a loaded machine the CPU time
    (time.thread_time) shows the work itself, the wall time also the waiting for a core."""
    wall, cpu = [], []
    for _ in range(repeat):
        c0, t0 = time.thread_time(), time.perf_counter()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    return statistics.median(wall), min(wall), statistics.median(cpu), min(cpu)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--image", default="/tmp/andes-vision-bench/screenshot_1920x1080.png")
    ap.add_argument("--max-size", type=int, default=733)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()

    if not os.path.exists(args.image):
        os.makedirs(os.path.dirname(args.image), exist_ok=True)
        screenshot().save(args.image)
    with open(args.image, "rb") as f:
        png = f.read()

    mean, std = mf.AIMV2_MEAN, mf.AIMV2_STD
    fill = tuple(int(v * 255) for v in mean)
    p, m = 14, 2

    def decode():
        with Image.open(io.BytesIO(png)) as im:
            return im.convert("RGB")

    rgb = decode()

    def preprocess():
        _, canvas, _, _, _ = mf.preprocess(rgb, "andesvl", args.max_size, p * m, fill, 4172, 4, Image.BICUBIC)
        return mf.patchify(mf.normalise(canvas, mean, std), p, m)

    def resize_only():
        return mf.preprocess(rgb, "andesvl", args.max_size, p * m, fill, 4172, 4, Image.BICUBIC)

    out = preprocess()
    for _ in range(3):  # warm-up
        decode()
        preprocess()
    load_before = os.getloadavg()
    d = timed(decode, args.repeat)
    r = timed(resize_only, args.repeat)
    pp = timed(preprocess, args.repeat)
    full = timed(lambda: (lambda im: mf.patchify(mf.normalise(
        mf.preprocess(im, "andesvl", args.max_size, p * m, fill, 4172, 4, Image.BICUBIC)[1], mean, std), p, m))(decode()),
        args.repeat)
    load_after = os.getloadavg()

    print(f"Pillow {Image.__version__}, NumPy {np.__version__}, Python {sys.version.split()[0]}; "
          f"{os.cpu_count()} CPUs, load average {load_before[0]:.2f} -> {load_after[0]:.2f}")
    print(f"input {args.image}: {len(png)} bytes, {rgb.size[0]}x{rgb.size[1]}; max_size {args.max_size} -> "
          f"patches {out.shape} ({out.shape[0] // 4} tokens)")
    print(f"{'step':40s} {'wall median':>12s} {'wall min':>10s} {'CPU median':>11s} {'CPU min':>9s}  (ms)")
    for name, t in [("decode (open + convert RGB)", d),
                    ("resize + paste only", r),
                    ("resize + paste + normalise + patchify", pp),
                    ("all (decode + preprocess)", full)]:
        print(f"{name:40s} {t[0]:12.2f} {t[1]:10.2f} {t[2]:11.2f} {t[3]:9.2f}")


if __name__ == "__main__":
    main()
