#!/usr/bin/python3
"""Exports full torchvision classification networks to ONNX with random weights (the check is
numerical identity, not accuracy), with one input and PyTorch's output for it, for
bench/onnx_exactness.sh. Usage: onnx_exactness.py OUT_DIR SIZE MODEL [MODEL ...]"""
import json
import os
import sys

import numpy as np
import onnx
import torch
import torchvision

out, size, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
for name in names:
    model = getattr(torchvision.models, name)(weights=None).eval()
    for m in model.modules():  # BatchNorm statistics as after training
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
    x = torch.randn(1, 3, size, size)
    with torch.no_grad():
        y = model(x)
    path = os.path.join(out, name + ".onnx")
    torch.onnx.export(model, x, path, opset_version=13, input_names=["input"],
                      output_names=["output"], do_constant_folding=False,
                      training=torch.onnx.TrainingMode.PRESERVE)
    onnx.checker.check_model(onnx.load(path), full_check=True)
    x.numpy().astype("<f4").tofile(os.path.join(out, name + ".input.bin"))
    y.numpy().astype("<f4").tofile(os.path.join(out, name + ".output.bin"))
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump({"input_shape": list(x.shape), "output_shape": list(y.shape)}, f)
    ops = sorted({n.op_type for n in onnx.load(path).graph.node})
    print(f"{name}: {os.path.getsize(path) / 1e6:.1f} MB, operators {' '.join(ops)}", flush=True)
