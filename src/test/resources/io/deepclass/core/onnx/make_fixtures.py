#!/usr/bin/python3
"""Small ONNX test fixtures exported by PyTorch, with their reference outputs.

Run with Debian's /usr/bin/python3 (python3-torch, python3-onnx):
    /usr/bin/python3 src/test/resources/io/deepclass/core/onnx/make_fixtures.py
Each fixture NAME gives NAME.onnx and NAME.json: {"input_shape", "input", "output"} with the
input DeepClass feeds and the logits or probabilities PyTorch computed for it (eval mode).
Narrow widths and 16x16 inputs keep every file small.
"""
import json
import os

import onnx
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)


class Residual(nn.Module):
    """Conv/BN/ReLU stem, max-pool, a residual block (Add), global pooling, Reshape, and a
    classifier head."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False),
                                  nn.BatchNorm2d(8), nn.ReLU())
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)
        self.block = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8),
                                   nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1, bias=False),
                                   nn.BatchNorm2d(8))
        self.relu = nn.ReLU()
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Sequential(nn.Dropout(0.2), nn.Linear(8, 5))

    def forward(self, x):
        x = self.pool(self.stem(x))
        x = self.relu(x + self.block(x))
        return self.head(self.gap(x).view(-1, 8))  # Reshape to N x 8


class Mobile(nn.Module):
    """Depthwise and pointwise convolutions with ReLU6 (Clip), dilation, average pooling,
    a channel concatenation, Pad, and a softmax output."""

    def __init__(self):
        super().__init__()
        self.a = nn.Sequential(nn.Conv2d(3, 6, 3, padding=1), nn.ReLU6(),
                               nn.Conv2d(6, 6, 3, padding=1, groups=6), nn.BatchNorm2d(6),
                               nn.ReLU6(), nn.Conv2d(6, 4, 1))
        self.b = nn.Sequential(nn.Conv2d(3, 4, 3, padding=2, dilation=2), nn.ReLU())
        self.pool = nn.AvgPool2d(2)  # exported as Pad (of zeros) and AveragePool
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(8 * 8 * 8, 3), nn.Softmax(dim=1))

    def forward(self, x):
        x = torch.cat([self.a(x), self.b(x)], dim=1)
        return self.head(self.pool(x))


class Excite(nn.Module):
    """Grouped convolution, HardSwish (opset 14), max-pooling with ceil_mode, a
    squeeze-and-excitation block (HardSigmoid, Mul broadcasting N x C x 1 x 1) and SiLU (Sigmoid
    and Mul of equal shapes)."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.Hardswish())
        self.group = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1, groups=2), nn.ReLU())
        self.pool = nn.MaxPool2d(3, stride=2, ceil_mode=True)  # 16 -> 8 (7 without ceil_mode)
        self.se = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(8, 4, 1), nn.ReLU(),
                                nn.Conv2d(4, 8, 1), nn.Hardsigmoid())
        self.silu = nn.SiLU()
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 4))

    def forward(self, x):
        x = self.pool(self.group(self.stem(x)))
        x = x * self.se(x)
        return self.head(self.silu(x))


class ConvHead(nn.Module):
    """SqueezeNet's shape: ceil-mode max-pooling of a stride-2 convolution, a Fire-like
    concatenation, and a convolution classifier ending in global pooling and Flatten (the output
    is N x classes, not N x classes x 1 x 1)."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 6, 3, stride=2), nn.ReLU(inplace=True),
                                  nn.MaxPool2d(3, stride=2, ceil_mode=True))
        self.e1 = nn.Sequential(nn.Conv2d(6, 4, 1), nn.ReLU(inplace=True))
        self.e3 = nn.Sequential(nn.Conv2d(6, 4, 3, padding=1), nn.ReLU(inplace=True))
        self.classifier = nn.Sequential(nn.Dropout(0.5), nn.Conv2d(8, 3, 1), nn.ReLU(inplace=True),
                                        nn.AdaptiveAvgPool2d(1), nn.Flatten())

    def forward(self, x):
        x = self.stem(x)
        return self.classifier(torch.cat([self.e1(x), self.e3(x)], 1))


def export(name, model, opset=13):
    model.eval()
    # BatchNorm statistics that are not 0 and 1, as after training
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.2, 0.2)
    x = torch.randn(2, 3, 16, 16)
    with torch.no_grad():
        y = model(x)
    path = os.path.join(HERE, name + ".onnx")
    torch.onnx.export(model, x, path, opset_version=opset, input_names=["input"],
                      output_names=["output"], dynamic_axes={"input": {0: "n"}, "output": {0: "n"}},
                      do_constant_folding=False, training=torch.onnx.TrainingMode.PRESERVE)
    onnx.checker.check_model(onnx.load(path), full_check=True)
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump({"input_shape": list(x.shape), "input": x.flatten().tolist(),
                   "output_shape": list(y.shape), "output": y.flatten().tolist()}, f)
    print(name, os.path.getsize(path), "bytes,", [n.op_type for n in onnx.load(path).graph.node])


class Upsampling(nn.Module):
    """An operator DeepClass does not map (Resize): the import must name it."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 2, 3, padding=1)
        self.up = nn.Upsample(scale_factor=2)

    def forward(self, x):
        return self.up(self.conv(x)).mean(dim=(2, 3))


export("residual", Residual())
export("mobile", Mobile())
export("unsupported", Upsampling())
export("excite", Excite(), opset=14)
export("convhead", ConvHead())
