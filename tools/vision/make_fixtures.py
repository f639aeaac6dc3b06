#!/usr/bin/python3
"""Golden fixtures for Andes.GenAI.Vision, computed independently with Pillow + NumPy.

Run with Debian's interpreter (python3-pil, python3-numpy):

    /usr/bin/python3 tools/vision/make_fixtures.py

Writes tests/Andes.GenAI.Tests/Vision/Fixtures/:
  inputs/<name>.<ext>        small deterministic test images (PNG, JPEG, GIF, BMP)
  decoded/<name>.rgb         Pillow's decode of each input, converted to RGB (H x W x 3 uint8)
  golden/<case>.canvas.rgb   the resized, padded uint8 canvas (H x W x 3) before normalisation
  golden/<case>.f32.gz       gzip of the patch matrix [num_patches, 3*p*p], float32 little-endian
  fixtures.json              one entry per input and per case (options, geometry, files)

Two sizing rules are produced:
  "andesvl"        what the published AndesVL chat() does (modeling_andesvl.py: native_preprocess /
                   max_preprocess / get_scaled_img_size), re-implemented here from its description;
  "specification"  section 3 of shared/spec/andesvl-model.md read literally (float sizes, ceil to the base).
Both resize with Image.resize(..., BICUBIC) (or the case's filter), paste centred at
((W - w) // 2, (H - h) // 2) on a canvas filled with int(mean * 255), then ToTensor-style /255 and
Normalize in float32, and flatten patches in the 2x2-group order (channel, row, col inside a patch).
"""

import gzip
import io
import json
import math
import os
import sys

import numpy as np
from PIL import Image, ImageDraw

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "tests", "Andes.GenAI.Tests", "Vision", "Fixtures")

AIMV2_MEAN = [0.48145466, 0.4578275, 0.40821073]
AIMV2_STD = [0.26862954, 0.26130258, 0.27577711]
SIGLIP_MEAN = [0.5, 0.5, 0.5]
SIGLIP_STD = [0.5, 0.5, 0.5]

FILTERS = {"bicubic": Image.BICUBIC, "bilinear": Image.BILINEAR, "lanczos": Image.LANCZOS,
           "box": Image.BOX, "hamming": Image.HAMMING}


# ----------------------------------------------------------------------------------------------
# Test images
# ----------------------------------------------------------------------------------------------

def gradient(w, h):
    y, x = np.mgrid[0:h, 0:w]
    r = (x * 255 // max(w - 1, 1)).astype(np.uint8)
    g = (y * 255 // max(h - 1, 1)).astype(np.uint8)
    b = ((x + y) * 255 // max(w + h - 2, 1)).astype(np.uint8)
    return np.stack([r, g, b], axis=-1)


def noise(w, h, seed):
    return np.random.RandomState(seed).randint(0, 256, size=(h, w, 3), dtype=np.uint8)


def text_like(w, h, seed):
    """Black strokes on white: sharp edges that make the cubic overshoot and clip."""
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img)
    rng = np.random.RandomState(seed)
    for i in range(0, h - 10, 14):
        x = 4
        while x < w - 12:
            cw = int(rng.randint(3, 9))
            if rng.rand() < 0.8:
                d.rectangle([x, i + 3, x + cw, i + 3 + int(rng.randint(4, 10))], fill=(0, 0, 0))
                d.line([x, i + 3, x + cw, i + 12], fill=(200, 20, 20), width=1)
            x += cw + int(rng.randint(2, 5))
    d.text((5, h // 2), "Andes 14px", fill=(0, 0, 128))
    return np.asarray(img)


def photo_like(w, h, seed):
    """Smooth shapes plus mild noise: JPEG-friendly content."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    cx, cy = w * 0.4, h * 0.55
    rr = np.sqrt((x - cx) ** 2 + (y - cy) ** 2)
    r = 128 + 100 * np.cos(rr / 6.0)
    g = 60 + 150 * (x / w)
    b = 200 - 150 * (y / h)
    img = np.stack([r, g, b], axis=-1) + np.random.RandomState(seed).normal(0, 6, size=(h, w, 3))
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def write_inputs():
    """Creates the input files; returns {name: (filename, format)}."""
    os.makedirs(os.path.join(OUT, "inputs"), exist_ok=True)
    inputs = {}

    def save(name, img, ext, **kw):
        path = os.path.join(OUT, "inputs", f"{name}.{ext}")
        img.save(path, **kw)
        inputs[name] = f"inputs/{name}.{ext}"

    save("gradient_37x23", Image.fromarray(gradient(37, 23)), "png")
    save("noise_100x60", Image.fromarray(noise(100, 60, 1)), "png")
    save("text_300x200", Image.fromarray(text_like(300, 200, 2)), "png")
    save("pixel_1x1", Image.fromarray(np.array([[[200, 30, 90]]], dtype=np.uint8)), "png")
    save("wide_420x12", Image.fromarray(noise(420, 12, 3)), "png")
    save("tiny_20x14", Image.fromarray(noise(20, 14, 4)), "png")
    save("square_56x56", Image.fromarray(gradient(56, 56)), "png")
    save("tall_30x260", Image.fromarray(text_like(30, 260, 5)), "png")
    rgba = np.concatenate([noise(64, 48, 6), gradient(64, 48)[:, :, :1]], axis=-1)
    save("alpha_64x48", Image.fromarray(rgba, "RGBA"), "png")
    save("grey_33x29", Image.fromarray(noise(33, 29, 7)[:, :, 0], "L"), "png")
    pal = Image.fromarray(photo_like(40, 30, 8)).quantize(colors=16)
    save("palette_40x30", pal, "png")
    save("photo_120x90", Image.fromarray(photo_like(120, 90, 9)), "jpg", quality=90)
    save("photo_97x61", Image.fromarray(photo_like(97, 61, 10)), "jpg", quality=75, subsampling=2)
    frames = [Image.fromarray(photo_like(50, 40, 11)).quantize(colors=32),
              Image.fromarray(noise(50, 40, 12)).quantize(colors=32)]
    frames[0].save(os.path.join(OUT, "inputs", "anim_50x40.gif"), save_all=True,
                   append_images=frames[1:], duration=100, loop=0)
    inputs["anim_50x40"] = "inputs/anim_50x40.gif"
    save("bitmap_45x33", Image.fromarray(noise(45, 33, 13)), "bmp")
    return inputs


def load_rgb(path):
    with Image.open(path) as im:
        im.seek(0)
        return im.convert("RGB")


# ----------------------------------------------------------------------------------------------
# Sizing rules (return the canvas plus the geometry the C# side must reproduce)
# ----------------------------------------------------------------------------------------------

def cap_longest_side(w, h, max_res):
    """Integer sizes after capping the longest side (None when no cap applies)."""
    if max(w, h) > max_res:
        s = max_res / max(w, h)
        return int(w * s), int(h * s)
    return None


def fit_area(w, h, max_size, base, max_res):
    """The AndesVL area rule: the base-multiple box around area max_size**2, each side rounded up
    (a side that is already a multiple still gains a full base), and the image size inside it."""
    capped = cap_longest_side(w, h, max_res)
    if capped:
        w, h = capped
    aspect = w / h
    bw = math.floor(math.sqrt(max_size ** 2 * aspect))
    bh = math.floor(math.sqrt(max_size ** 2 / aspect))
    bw, bh = min(bw, max_res), min(bh, max_res)
    bw, bh = max(bw, base), max(bh, base)
    bw = min(bw + (base - bw % base), max_res)
    bh = min(bh + (base - bh % base), max_res)
    # The published code can end on max_res itself, which need not be a multiple of the base (it
    # would then fail its own patch assertion); the C# side rounds such a side down to a multiple.
    bw, bh = bw - bw % base, bh - bh % base
    f = min(bw / w, bh / h)
    return (round(w * f), round(h * f)), (bw, bh)


def andesvl_sizes(w, h, max_size, base, max_res, min_tokens):
    """-> capped (or None), resized, box for the published chat() preprocessing."""
    capped = cap_longest_side(w, h, max_res)
    if capped:
        w, h = capped
    if w * h > max_size ** 2:
        return (capped,) + fit_area(w, h, max_size, base, max_res)
    if w * h < base * base * min_tokens:
        return (capped,) + fit_area(w, h, int(base * (min_tokens ** 0.5)), base, max_res)
    bw, bh = w + base - w % base, h + base - h % base  # exact multiples also gain a full base
    s = min(bw / w, bh / h)
    return capped, (int(w * s), int(h * s)), (bw, bh)


def specification_sizes(w0, h0, max_size, base, max_res, min_tokens):
    """-> None, resized, box for section 3 of the spec read literally."""
    w, h = float(w0), float(h0)
    if max(w, h) > max_res:
        s = max_res / max(w, h)
        w, h = w * s, h * s
    if w * h < base * base * min_tokens:
        s = math.sqrt(base * base * min_tokens / (w * h))
        w, h = w * s, h * s
    if w * h > max_size * max_size:
        s = max_size / math.sqrt(w * h)
        w, h = w * s, h * s
    bw, bh = math.ceil(w / base) * base, math.ceil(h / base) * base
    if (bw, bh) == (w0, h0):
        return None, (w0, h0), (bw, bh)
    s = min(bw / w0, bh / h0)
    return None, (max(1, int(w0 * s)), max(1, int(h0 * s))), (bw, bh)


RULES = {"andesvl": andesvl_sizes, "specification": specification_sizes}


def preprocess(img, rule, max_size, base, fill, max_res, min_tokens, resample):
    """Applies a sizing rule with Pillow: optional cap resize, resize, centred paste."""
    capped, new, box = RULES[rule](img.size[0], img.size[1], max_size, base, max_res, min_tokens)
    if capped:
        img = img.resize(capped, resample)
    offset = ((box[0] - new[0]) // 2, (box[1] - new[1]) // 2)
    if rule == "specification" and new == img.size and box == img.size:
        return capped, img.copy(), new, box, offset
    canvas = Image.new("RGB", box, fill)
    canvas.paste(img.resize(new, resample), offset)
    return capped, canvas, new, box, offset


# ----------------------------------------------------------------------------------------------
# Normalise and patchify
# ----------------------------------------------------------------------------------------------

def normalise(canvas, mean, std):
    x = np.asarray(canvas, dtype=np.uint8).astype(np.float32) / np.float32(255.0)
    return (x - np.asarray(mean, dtype=np.float32)) / np.asarray(std, dtype=np.float32)


def patchify(x, p, m):
    h, w, c = x.shape
    chw = np.transpose(x, (2, 0, 1))
    g = chw.reshape(c, h // (m * p), m, p, w // (m * p), m, p)
    return np.ascontiguousarray(np.transpose(g, (1, 4, 2, 5, 0, 3, 6)).reshape(-1, c * p * p))


CASES = [
    # name, input, rule, max_size, patch, merge, preset, filter, max_res, min_tokens
    ("gradient_37x23_andes112", "gradient_37x23", "andesvl", 112, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("noise_100x60_andes112", "noise_100x60", "andesvl", 112, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("noise_100x60_andes733", "noise_100x60", "andesvl", 733, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("text_300x200_andes112", "text_300x200", "andesvl", 112, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("text_300x200_andes140", "text_300x200", "andesvl", 140, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("pixel_1x1_andes112", "pixel_1x1", "andesvl", 112, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("wide_420x12_andes112", "wide_420x12", "andesvl", 112, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("tiny_20x14_andes112", "tiny_20x14", "andesvl", 112, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("square_56x56_andes733", "square_56x56", "andesvl", 733, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("tall_30x260_cap200_andes112", "tall_30x260", "andesvl", 112, 14, 2, "aimv2", "bicubic", 200, 4),
    ("tall_30x260_cap200_andes733", "tall_30x260", "andesvl", 733, 14, 2, "aimv2", "bicubic", 200, 4),
    ("alpha_64x48_andes112", "alpha_64x48", "andesvl", 112, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("grey_33x29_andes112", "grey_33x29", "andesvl", 112, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("palette_40x30_andes112", "palette_40x30", "andesvl", 112, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("photo_120x90_andes112", "photo_120x90", "andesvl", 112, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("photo_97x61_andes112", "photo_97x61", "andesvl", 112, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("anim_50x40_andes112", "anim_50x40", "andesvl", 112, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("bitmap_45x33_andes112", "bitmap_45x33", "andesvl", 112, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("noise_100x60_siglip128", "noise_100x60", "andesvl", 128, 16, 2, "siglip2", "bicubic", 4172, 4),
    ("text_300x200_siglip128", "text_300x200", "andesvl", 128, 16, 2, "siglip2", "bicubic", 4172, 4),
    ("noise_100x60_bilinear112", "noise_100x60", "andesvl", 112, 14, 2, "aimv2", "bilinear", 4172, 4),
    ("noise_100x60_lanczos112", "noise_100x60", "andesvl", 112, 14, 2, "aimv2", "lanczos", 4172, 4),
    ("text_300x200_hamming112", "text_300x200", "andesvl", 112, 14, 2, "aimv2", "hamming", 4172, 4),
    ("text_300x200_box112", "text_300x200", "andesvl", 112, 14, 2, "aimv2", "box", 4172, 4),
    ("gradient_37x23_spec112", "gradient_37x23", "specification", 112, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("text_300x200_spec112", "text_300x200", "specification", 112, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("square_56x56_spec733", "square_56x56", "specification", 733, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("pixel_1x1_spec112", "pixel_1x1", "specification", 112, 14, 2, "aimv2", "bicubic", 4172, 4),
    ("tall_30x260_cap200_spec112", "tall_30x260", "specification", 112, 14, 2, "aimv2", "bicubic", 200, 4),
]


def write_gz(rel, data):
    with open(os.path.join(OUT, rel), "wb") as f:
        # mtime=0 keeps the archive byte-identical between runs.
        with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0) as gz:
            gz.write(data)


# Geometry only (no pixels): real screen and photo sizes under both rules and both max sizes.
GEOMETRY_SIZES = [(1920, 1080), (1280, 720), (1080, 2400), (2560, 1440), (3840, 2160), (4000, 3000),
                  (6000, 4000), (5000, 100), (100, 5000), (4172, 4172), (733, 733), (732, 733), (700, 700),
                  (448, 448), (1, 1), (55, 57), (56, 56), (57, 55), (27, 300), (300, 27), (10000, 10),
                  (1000, 1000), (1792, 1792), (8000, 60)]


def main():
    inputs = write_inputs()
    os.makedirs(os.path.join(OUT, "decoded"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "golden"), exist_ok=True)
    meta = {"generator": "tools/vision/make_fixtures.py",
            "pillow": Image.__version__, "numpy": np.__version__, "inputs": [], "cases": []}
    decoded = {}
    for name, rel in inputs.items():
        rgb = load_rgb(os.path.join(OUT, rel))
        decoded[name] = rgb
        raw = f"decoded/{name}.rgb"
        with open(os.path.join(OUT, raw), "wb") as f:
            f.write(np.asarray(rgb, dtype=np.uint8).tobytes())
        with Image.open(os.path.join(OUT, rel)) as im:
            mode = im.mode
            fmt = im.format
        meta["inputs"].append({"name": name, "file": rel, "format": fmt, "mode": mode,
                               "width": rgb.size[0], "height": rgb.size[1], "decoded": raw})

    for (case, src, rule, max_size, p, m, preset, filt, max_res, min_tokens) in CASES:
        img = decoded[src]
        mean, std = (AIMV2_MEAN, AIMV2_STD) if preset == "aimv2" else (SIGLIP_MEAN, SIGLIP_STD)
        fill = tuple(int(v * 255) for v in mean)
        base = p * m
        capped, canvas, new, box, offset = preprocess(img, rule, max_size, base, fill, max_res, min_tokens,
                                                      FILTERS[filt])
        assert canvas.size == box and box[0] % base == 0 and box[1] % base == 0
        x = normalise(canvas, mean, std)
        patches = patchify(x, p, m).astype("<f4")
        canvas_file = f"golden/{case}.canvas.rgb.gz"
        write_gz(canvas_file, np.asarray(canvas, dtype=np.uint8).tobytes())
        patch_file = f"golden/{case}.f32.gz"
        write_gz(patch_file, patches.tobytes())
        meta["cases"].append({
            "name": case, "input": src, "rule": rule, "max_size": max_size, "patch_size": p,
            "merge_size": m, "preset": preset, "resample": filt, "max_longest_side": max_res,
            "min_tokens": min_tokens, "mean": mean, "std": std, "fill": list(fill),
            "original": list(img.size), "capped": list(capped) if capped else None,
            "resized": list(new), "padded": list(box), "offset": list(offset),
            "grid": [box[1] // p, box[0] // p], "tokens": (box[0] // base) * (box[1] // base),
            "num_patches": patches.shape[0], "patch_dim": patches.shape[1],
            "canvas": canvas_file, "patches": patch_file})
        print(f"{case:32s} {img.size} -> resized {new} padded {box} offset {offset} "
              f"tokens {(box[0] // base) * (box[1] // base)}" + (f" capped {capped}" if capped else ""))

    meta["geometry"] = []
    for rule in ("andesvl", "specification"):
        for (p, preset) in ((14, "aimv2"), (16, "siglip2")):
            for max_size in (733, 1792):
                for (w, h) in GEOMETRY_SIZES:
                    capped, new, box = RULES[rule](w, h, max_size, 2 * p, 4172, 4)
                    meta["geometry"].append({
                        "rule": rule, "patch_size": p, "max_size": max_size, "original": [w, h],
                        "capped": list(capped) if capped else None, "resized": list(new), "padded": list(box),
                        "offset": [(box[0] - new[0]) // 2, (box[1] - new[1]) // 2],
                        "tokens": (box[0] // (2 * p)) * (box[1] // (2 * p))})

    with open(os.path.join(OUT, "fixtures.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    total = 0
    for d, _, files in os.walk(OUT):
        total += sum(os.path.getsize(os.path.join(d, x)) for x in files)
    print(f"wrote {len(meta['cases'])} cases, {total / 1024:.0f} KiB under {OUT}")


if __name__ == "__main__":
    sys.exit(main())
