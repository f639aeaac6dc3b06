"""Decodes every DIR/*.jpg with Pillow to packed RGB (DIR/<name>.rgb), as tools/vision/make_fixtures.py does."""
import pathlib
import sys

import numpy as np
from PIL import Image

for path in sorted(pathlib.Path(sys.argv[1]).glob("*.jpg")):
    with Image.open(path) as image:
        rgb = np.asarray(image.convert("RGB"), dtype=np.uint8)
    path.with_suffix(".rgb").write_bytes(rgb.tobytes())
    print(path.name, image.size, image.mode)
