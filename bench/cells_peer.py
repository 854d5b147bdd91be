#!/usr/bin/python3
"""The PyTorch side of bench/cells.sh: the same 500 cells (Fashion-MNIST T-shirts, trousers,
sneakers, bags of the t10k set, the first 500 in file order, as CellsBench takes them), resnet18
features once at --size pixels (batch 32), then per label count (20, 50, 100: the first of each
class) a linear head trained as DeepClass's panel does (Adam 0.01, L2 1e-3, all labelled cells in one
batch up to 256, 30-100 epochs, on standardised features) and every cell predicted; median of 3. Prints JSON lines."""
import argparse, gzip, json, os, statistics, time

import numpy as np
import torch
import torch.nn.functional as F
import torchvision

p = argparse.ArgumentParser()
p.add_argument("--size", type=int, default=64)
p.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
a = p.parse_args()
torch.set_num_threads(2)
torch.manual_seed(42)


def idx(name, offset):
    with gzip.open(os.path.join(a.data_dir, name + ".gz")) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


x = idx("t10k-images-idx3-ubyte", 16).reshape(-1, 28, 28).astype(np.float32)
y = idx("t10k-labels-idx1-ubyte", 8)
classes = [0, 1, 7, 8]
keep = [i for i in range(len(y)) if y[i] in classes][:500]
cells = torch.from_numpy(x[keep])
truth = np.array([classes.index(v) for v in y[keep]])


def emit(**kw):
    print(json.dumps({"peer": "pytorch", "model": "features", **kw}), flush=True)


net = torchvision.models.resnet18(num_classes=10)
net.fc = torch.nn.Identity()
net.eval()
t = time.perf_counter()
with torch.no_grad():
    feats = []
    for i in range(0, len(cells), 32):
        b = cells[i:i + 32]
        lo = torch.quantile(b.flatten(1), 0.01, dim=1).view(-1, 1, 1)
        hi = torch.quantile(b.flatten(1), 0.998, dim=1).view(-1, 1, 1)
        b = ((b - lo) / (hi - lo).clamp_min(1e-6)).unsqueeze(1)
        b = F.interpolate(b, size=(a.size, a.size), mode="bilinear", align_corners=False).repeat(1, 3, 1, 1)
        mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
        std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
        feats.append(net((b - mean) / std))
    f = torch.cat(feats)
emit(what="features_once", cells=len(cells), labels=0, seconds=round(time.perf_counter() - t, 3))
f = (f - f.mean(0)) / f.std(0, unbiased=False).clamp_min(1e-6)
for labels in (20, 50, 100):
    chosen = np.concatenate([np.where(truth == c)[0][:labels // 4] for c in range(4)])
    times = []
    for _ in range(3):
        t = time.perf_counter()
        head = torch.nn.Linear(f.shape[1], 4)
        opt = torch.optim.Adam(head.parameters(), lr=0.01, weight_decay=1e-3)
        epochs = max(30, min(100, 100 * 256 // len(chosen)))
        xs, ys = f[chosen], torch.from_numpy(truth[chosen])
        for _ in range(epochs):
            perm = torch.randperm(len(xs))
            for i in range(0, len(xs), 256):
                j = perm[i:i + 256]
                loss = F.cross_entropy(head(xs[j]), ys[j])
                opt.zero_grad(); loss.backward(); opt.step()
        with torch.no_grad():
            predicted = head(f).argmax(1)
        times.append(time.perf_counter() - t)
    emit(what="retrain_predict", cells=len(cells), labels=labels, seconds=round(statistics.median(times), 3))
