#!/usr/bin/python3
"""Writes Fashion-MNIST images as 8-bit grayscale PNG files, for the SLURM example and test.

    fashion_pngs.py IDX_DIR OUT N_TRAIN N_LIST

OUT/train/<class>/<i>.png: the first N_TRAIN training images in one sub-folder per class (what
`deepclass train --folder` reads); OUT/images/<i>.png: the first N_LIST test images, and
OUT/todo.txt listing them, one relative path a line (what `deepclass shard` cuts). Standard
library only (gzip, struct, zlib), so any python3 runs it.
"""
import gzip
import os
import struct
import sys
import zlib

CLASSES = ["tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
           "boot"]


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return shape, data[4 + 4 * dims:]


def png(path, width, height, pixels):
    raw = b"".join(b"\x00" + pixels[y * width:(y + 1) * width] for y in range(height))

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                                   0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def main():
    src, out, n_train, n_list = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    for split, n, labelled in (("train", n_train, True), ("t10k", n_list, False)):
        (count, h, w), images = idx(os.path.join(src, split + "-images-idx3-ubyte.gz"))
        _, labels = idx(os.path.join(src, split + "-labels-idx1-ubyte.gz"))
        names = []
        for i in range(min(n, count)):
            folder = os.path.join(out, "train", CLASSES[labels[i]]) if labelled else os.path.join(
                out, "images")
            os.makedirs(folder, exist_ok=True)
            name = os.path.join(folder, "%05d.png" % i)
            png(name, w, h, images[i * h * w:(i + 1) * h * w])
            names.append(os.path.relpath(name, out))
        if not labelled:
            with open(os.path.join(out, "todo.txt"), "w") as f:
                f.write("\n".join(names) + "\n")


if __name__ == "__main__":
    main()
