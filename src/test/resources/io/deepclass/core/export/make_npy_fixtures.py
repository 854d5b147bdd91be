#!/usr/bin/python3
"""Writes the .npy fixtures that io.deepclass.core.export.NpyNumpyFixturesTest reads, with
numpy's own np.save, and their SHA-256 (hashlib) in npy_fixtures.sha256 (sha256sum's format).

Run from this folder: /usr/bin/python3 make_npy_fixtures.py (Debian: apt-get install
python3-numpy). The files are committed, so the tests need no numpy. Values are exact in
float32, so the test can compute them: value i of each file (C order) is i / 8 - 1; 'specials'
holds -0.0, the smallest subnormal, the largest float32, 1/3 and -inf.
"""
import hashlib

import numpy as np

arrays = {
    "vector": np.arange(3, dtype=np.float32) / 8 - 1,                      # shape (3,)
    "matrix": (np.arange(6, dtype=np.float32) / 8 - 1).reshape(2, 3),       # shape (2, 3)
    "nchw": (np.arange(24, dtype=np.float32) / 8 - 1).reshape(1, 2, 3, 4),  # a test tensor's layout
    "specials": np.array([-0.0, np.finfo(np.float32).smallest_subnormal,
                          np.finfo(np.float32).max, np.float32(1) / np.float32(3), -np.inf],
                         dtype=np.float32),
}
with open("npy_fixtures.sha256", "w") as sums:
    for name, a in arrays.items():
        assert a.dtype == np.float32
        np.save(name + ".npy", a)
        with open(name + ".npy", "rb") as f:
            sums.write(hashlib.sha256(f.read()).hexdigest() + "  " + name + ".npy\n")
print("numpy", np.__version__)
