"""Draws the user guide's plots from the measured figures in docs/data/*.csv.

    /usr/bin/python3 docs/plots.py [out-dir]     (matplotlib; scripts/screenshots.sh runs it)
"""
import csv
import sys
from pathlib import Path

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
OUT = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent / "images")
BLUE, ORANGE = "#1f77b4", "#ff7f0e"


def rows(name):
    with open(DATA / name, newline="") as f:
        return list(csv.DictReader(f))


def save(fig, name):
    fig.tight_layout()
    fig.savefig(OUT / name, dpi=80)
    plt.close(fig)
    print("wrote", OUT / name)


def speed_vs_peer():
    r = rows("bench.csv")
    labels = [f"{x['model']}\nb{x['batch']}" for x in r]
    fig, ax = plt.subplots(figsize=(9, 3.6))
    xs = range(len(r))
    train = [float(x["deepclass_train"]) / float(x["peer_train"]) for x in r]
    infer = [float(x["deepclass_infer"]) / float(x["peer_eval"]) for x in r]
    ax.bar([i - 0.2 for i in xs], train, 0.4, label="training", color=BLUE)
    ax.bar([i + 0.2 for i in xs], infer, 0.4, label="inference", color=ORANGE)
    ax.axhline(1, color="black", linewidth=1)
    ax.set_xticks(list(xs))
    ax.set_xticklabels(labels, fontsize=8)
    ax.set_ylabel("DeepClass / PyTorch (images/s)")
    ax.set_title("Speed against the PyTorch peer, 1 epoch of Fashion-MNIST, 2 threads (above 1: faster)")
    ax.legend()
    save(fig, "speed-vs-peer.png")


def demo_epochs():
    r = rows("demo_epochs.csv")
    e = [int(x["epoch"]) for x in r]
    fig, ax = plt.subplots(figsize=(5, 3.2))
    ax.plot(e, [float(x["deepclass_test_acc"]) for x in r], "o-", label="DeepClass", color=BLUE)
    ax.plot(e, [float(x["peer_test_acc"]) for x in r], "s--", label="PyTorch peer", color=ORANGE)
    ax.set_xlabel("epoch")
    ax.set_ylabel("test accuracy (%)")
    ax.set_xticks(e)
    ax.set_title("bncnn on Fashion-MNIST, batch 64")
    ax.legend()
    save(fig, "demo-epochs.png")


def transfer_table():
    r = rows("transfer_table.csv")
    fig, axes = plt.subplots(1, 3, figsize=(9, 3.2), sharey=True)
    for ax, strategy in zip(axes, ["scratch", "features", "fine-tune"]):
        sel = [x for x in r if x["strategy"] == strategy]
        labels = [x["labels_per_class"] for x in sel]
        xs = range(len(sel))
        ax.bar([i - 0.2 for i in xs], [float(x["deepclass_acc"]) for x in sel], 0.4,
               label="DeepClass", color=BLUE)
        ax.bar([i + 0.2 for i in xs], [float(x["peer_acc"]) for x in sel], 0.4,
               label="PyTorch", color=ORANGE)
        ax.set_xticks(list(xs))
        ax.set_xticklabels(labels)
        ax.set_xlabel("labels per class")
        ax.set_title(strategy if strategy != "scratch" else "scratch (not the same network)")
        ax.set_ylim(40, 100)
    axes[0].set_ylabel("test accuracy (%)")
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="upper right", fontsize=8)
    fig.suptitle("Transfer from a Fashion-MNIST resnet18 to digits", fontsize=11)
    save(fig, "transfer-table.png")


def active_learning():
    r = rows("active_learning.csv")
    n = [int(x["labels"]) for x in r]
    fig, ax = plt.subplots(figsize=(5.6, 3.4))
    for key, name, color, style in (("uncertain", "next uncertain (margin)", BLUE, "-"),
                                    ("random", "next random", ORANGE, "--")):
        m = [float(x[key + "_mean"]) for x in r]
        sd = [float(x[key + "_sd"]) for x in r]
        ax.plot(n, m, style, label=name, color=color)
        ax.fill_between(n, [a - b for a, b in zip(m, sd)], [a + b for a, b in zip(m, sd)],
                        color=color, alpha=0.2, linewidth=0)
    ax.set_xlabel("labelled cells (the first 10: one per class, at random)")
    ax.set_ylabel("accuracy on held-out cells (%)")
    ax.set_xticks([10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
    ax.set_title(f"Labelling digit cells: mean ± sd over {r[0]['seeds']} seeds", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    save(fig, "active-learning.png")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    speed_vs_peer()
    demo_epochs()
    transfer_table()
    active_learning()
