"""Checkpoint files for tests/Models.Tests.ps1, made from the reference resnet18.pth that
torch_reference.py wrote: resnet18's state dict the ways training code saves it (checkpoint
dicts with metadata under each key ConvViz looks for, DataParallel's "module." names), and
files that must be refused or diagnosed: a checkpoint with a non-plain object, a 10-class
resnet18, a dict without a state dict, an ONNX model with no convolution, and a tiny ONNX
CNN for -Model paths.

usage: torch_checkpoints.py CACHE_DIR MARKER
"""
import argparse
import os
import sys

import torch
import torch.nn as nn
import torchvision


def checkpoints(cache, done):
    if os.path.exists(done):
        return
    sd = torch.load(os.path.join(cache, "resnet18.pth"))
    model = torchvision.models.resnet18()
    model.load_state_dict(sd)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    model(torch.rand(2, 3, 64, 64)).sum().backward()  # train mode: batch-norm needs more than one value per channel
    opt.step()  # momentum buffers: optimizer state with tensors keyed by int
    model.load_state_dict(sd)  # the weights stay the reference's
    meta = {"epoch": 3, "arch": "resnet18", "best_acc1": 71.25, "history": [0.5, 0.25, (1, 2)],
            "config": {"lr": 0.1, "nested": {"milestones": [30, 60], "nesterov": False, "none": None}},
            "note": b"raw bytes", "tags": {"a", "b"}}
    for key in ("state_dict", "model_state_dict", "model", "net"):
        ck = dict(meta)
        ck[key] = model.state_dict()
        if key == "state_dict":
            ck["optimizer"] = opt.state_dict()
        torch.save(ck, os.path.join(cache, f"checkpoint-{key}.pth"))
    dp = nn.DataParallel(model)
    torch.save(dp.state_dict(), os.path.join(cache, "dataparallel.pth"))
    torch.save({"epoch": 2, "state_dict": dp.state_dict()}, os.path.join(cache, "checkpoint-dataparallel.pth"))
    # an object beside the state dict: the pickle names argparse.Namespace, which must be refused
    torch.save({"state_dict": model.state_dict(), "args": argparse.Namespace(lr=0.1)}, os.path.join(cache, "checkpoint-namespace.pth"))
    ten = torchvision.models.resnet18(num_classes=10)
    torch.save(ten.state_dict(), os.path.join(cache, "resnet18-10classes.pth"))
    torch.save({"epoch": 1}, os.path.join(cache, "checkpoint-empty.pth"))
    # ONNX: no convolution at all, and a tiny CNN
    flat = nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 4))
    torch.onnx.export(flat.eval(), torch.zeros(1, 3, 8, 8), os.path.join(cache, "noconv.onnx"), opset_version=13)
    tiny = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2))
    torch.onnx.export(tiny.eval(), torch.zeros(1, 3, 16, 16), os.path.join(cache, "tiny.onnx"), opset_version=13)
    open(done, "w").close()


if __name__ == "__main__":
    checkpoints(sys.argv[1], os.path.join(sys.argv[1], sys.argv[2]))
