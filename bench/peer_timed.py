#!/usr/bin/python3
"""Runs the PyTorch transfer peer unchanged and adds to its JSON line how long it took from the
process's start (BENCH_START_NS, set by the bench just before launching it, else this
interpreter's start) to its trained model, i.e. to the end of its last training loop, before
it classifies the test images. Usage: peer_timed.py PEER.py transfer ARGS..."""
import importlib.util
import os
import sys
import time

START = int(os.environ.get("BENCH_START_NS", time.time_ns()))
spec = importlib.util.spec_from_file_location("peer", sys.argv[1])
peer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peer)  # imports torch and torchvision: part of the peer's start
model_ns = [None]
fit, emit = peer.fit, peer.emit


def timed_fit(*args, **kw):
    fit(*args, **kw)
    model_ns[0] = time.time_ns()


def timed_emit(**kw):
    if model_ns[0] is not None:
        kw["model_s"] = round((model_ns[0] - START) / 1e9, 2)
    emit(**kw)


peer.fit, peer.emit = timed_fit, timed_emit
sys.argv = [sys.argv[1]] + sys.argv[2:]
peer.main()
