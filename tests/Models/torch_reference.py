"""Independent reference for tests/Models.Tests.ps1: torchvision models with seeded random
weights (batch-norm statistics and affine parameters randomised too, so a misplaced
batch-norm shows), saved with torch.save, and what PyTorch computes for one image.

usage: torch_reference.py CACHE_DIR ARCH [ARCH ...]

Writes into CACHE_DIR:
  image.png              256x256 RGB noise (ConvViz crops its centre 224x224, as done here)
  ARCH.pth               torch.save(model.state_dict())
  ARCH.json              {"shapes": {module: [C, H, W] or [N]}, "values": {module: file}}
                         for every module called exactly once in the forward pass
  ARCH.<module>.f32      that module's output (little-endian float32, C*H*W) for the
                         modules listed in hooked.json and "logits" (the model output)
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torchvision
from PIL import Image


class ZfNet(nn.Module):
    """Zeiler and Fergus (2014) in torchvision's AlexNet layout; pools round up (Caffe)."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 96, 7, 2, 1), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, ceil_mode=True), nn.LocalResponseNorm(5, 1e-4, 0.75, 2.0),
            nn.Conv2d(96, 256, 5, 2, 0), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, ceil_mode=True), nn.LocalResponseNorm(5, 1e-4, 0.75, 2.0),
            nn.Conv2d(256, 384, 3, 1, 1), nn.ReLU(inplace=True),
            nn.Conv2d(384, 384, 3, 1, 1), nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, 3, 1, 1), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, ceil_mode=True))
        self.classifier = nn.Sequential(
            nn.Dropout(), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(inplace=True),
            nn.Dropout(), nn.Linear(4096, 4096), nn.ReLU(inplace=True), nn.Linear(4096, 1000))

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


# Module outputs whose values are compared (besides the logits); the Pester suite reads it too.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "hooked.json")) as _f:
    HOOKED = json.load(_f)


def build(arch):
    if arch == "zfnet":
        return ZfNet()
    return getattr(torchvision.models, arch)()


def randomise(model, seed):
    g = torch.Generator().manual_seed(seed + 1000)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                n = m.num_features
                m.running_mean.copy_(torch.randn(n, generator=g) * 0.1)
                m.running_var.copy_(torch.rand(n, generator=g) * 0.5 + 0.75)
                m.weight.copy_(torch.rand(n, generator=g) * 0.5 + 0.75)
                m.bias.copy_(torch.randn(n, generator=g) * 0.1)
            elif isinstance(m, (nn.Conv2d, nn.Linear)) and m.bias is not None:
                m.bias.copy_(torch.randn(m.bias.shape, generator=g) * 0.01)


def image(cache):
    path = os.path.join(cache, "image.png")
    if not os.path.exists(path):
        g = torch.Generator().manual_seed(7)
        # smooth noise (upsampled) plus fine noise: natural-ish statistics, every pixel differs
        coarse = torch.rand(1, 3, 16, 16, generator=g)
        smooth = nn.functional.interpolate(coarse, size=(256, 256), mode="bilinear", align_corners=False)
        fine = torch.rand(1, 3, 256, 256, generator=g) * 0.3
        pixels = ((smooth * 0.7 + fine).clamp(0, 1) * 255).round().to(torch.uint8)[0].permute(1, 2, 0).contiguous()
        Image.fromarray(pixels.numpy(), "RGB").save(path)
    img = Image.open(path).convert("RGB")
    x = torch.frombuffer(bytearray(img.tobytes()), dtype=torch.uint8).view(256, 256, 3).permute(2, 0, 1).float() / 255
    x = x[:, 16:240, 16:240]  # torchvision's CenterCrop(224) of a 256x256 image
    mean = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)
    return ((x - mean) / std).unsqueeze(0)


def write(path, t):
    with open(path, "wb") as f:
        f.write(t.detach().contiguous().float().numpy().astype("<f4").tobytes())


def main():
    cache = sys.argv[1]
    os.makedirs(cache, exist_ok=True)

    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    x = image(cache)
    for i, arch in enumerate(sys.argv[2:]):
        if os.path.exists(os.path.join(cache, arch + ".json")):
            continue
        torch.manual_seed(100 + i)
        model = build(arch)
        randomise(model, 100 + i)
        model.eval()
        shapes, calls, outputs = {}, {}, {}
        hooked = set(HOOKED.get(arch, []))

        def hook(name):
            def f(_module, _inputs, output):
                calls[name] = calls.get(name, 0) + 1
                shapes[name] = list(output.shape[1:])
                if name in hooked:
                    outputs[name] = output.detach().clone()
            return f

        handles = [m.register_forward_hook(hook(n)) for n, m in model.named_modules() if n]
        with torch.no_grad():
            logits = model(x)
        for h in handles:
            h.remove()
        values = {}
        for name, out in outputs.items():
            file = f"{arch}.{name}.f32"
            write(os.path.join(cache, file), out[0])
            values[name] = file
        write(os.path.join(cache, f"{arch}.logits.f32"), logits[0])
        values["logits"] = f"{arch}.logits.f32"
        torch.save(model.state_dict(), os.path.join(cache, arch + ".pth"))
        once = {n: s for n, s in shapes.items() if calls[n] == 1}
        with open(os.path.join(cache, arch + ".json"), "w") as f:
            json.dump({"shapes": once, "values": values}, f)
        del model


if __name__ == "__main__":
    main()
