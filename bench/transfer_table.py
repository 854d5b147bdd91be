#!/usr/bin/python3
"""scikit-learn's digits (8x8, 10 classes, 1 797 images) as class folders of 8-bit PNGs, split
80/20 with a fixed seed, for bench/transfer_table.sh. Usage: transfer_table.py OUT_DIR"""
import os
import sys

import numpy as np
from PIL import Image
from sklearn.datasets import load_digits

out = sys.argv[1]
digits = load_digits()
rng = np.random.default_rng(0)
order = rng.permutation(len(digits.images))
cut = int(0.8 * len(order))
for part, idx in (("train", order[:cut]), ("test", order[cut:])):
    for i in idx:
        folder = os.path.join(out, part, str(digits.target[i]))
        os.makedirs(folder, exist_ok=True)
        Image.fromarray((digits.images[i] * 15).astype(np.uint8)).save(os.path.join(folder, f"{i:04d}.png"))
print("digits:", cut, "train,", len(order) - cut, "test images")
