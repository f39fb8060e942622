#!/usr/bin/env python3
"""Makes the quickstart's sample images from CC0 / public-domain photos of ../shared/data/photos.

Each sample is a crop of one photo shrunk with PIL's antialiased bicubic filter, so it looks like
a small low-resolution photo for the x2 demo model. Run from the repository root:
    /usr/bin/python3 samples/make_samples.py [PHOTOS_DIR]
Needs Pillow. The output PNGs are committed; SOURCES.md records what each one came from.
"""
import hashlib
import pathlib
import sys

from PIL import Image

PHOTOS = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/photos")
OUT = pathlib.Path(__file__).resolve().parent

# name -> (photo, crop box (left, upper, right, lower) in the photo, output size)
SAMPLES = {
    "chelsea_cat.png": ("skimage_chelsea.png", (0, 0, 450, 300), (150, 100)),
    "coffee.png": ("skimage_coffee.png", (0, 0, 600, 400), (150, 100)),
    "astronaut.png": ("skimage_astronaut.png", (16, 0, 496, 480), (120, 120)),
    "camera_grey.png": ("skimage_camera.png", (0, 0, 512, 512), (128, 128)),
    "seeding.png": ("lomiri_seeding_by_Clements_Engelhardt.jpg", (1800, 900, 3080, 1668), (160, 96)),
}

for name, (photo, box, size) in SAMPLES.items():
    src = Image.open(PHOTOS / photo)
    img = src.crop(box).resize(size, Image.BICUBIC, reducing_gap=None)
    img.save(OUT / name, optimize=True)
    digest = hashlib.sha256((OUT / name).read_bytes()).hexdigest()
    print(f"{name}: {photo} crop {box} -> {size[0]}x{size[1]} {img.mode}, sha256 {digest}")
