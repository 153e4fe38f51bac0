"""Exports torchvision classification models to ONNX for tests/OnnxModels.Tests.ps1.

usage: export_torchvision_onnx.py OUTDIR SPEC...   SPEC = name:constructor:input_size:opset

For each SPEC, with seeded random weights (torch.manual_seed(0) before construction) and
BatchNorm statistics set from random batches (calibrate):
  OUTDIR/name.onnx          torch.onnx.export at the opset, batch 1, fixed input size
  OUTDIR/name.json          {"input": S, "photo": "photo_R.png", "logits": [...]} where logits are
                            PyTorch's output on the photo through torchvision's eval transform
                            (Resize(R) is the identity because the photo is R x R, CenterCrop(S),
                            ToTensor, Normalize(ImageNet mean, std)).
  OUTDIR/photo_R.png        a seeded synthetic photo of R x R pixels, R = round(S / 0.875).
Files that exist are kept, so a cache folder is exported once.
"""
import json, os, sys
import numpy as np
import torch, torchvision
import torchvision.transforms as T
from PIL import Image

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
EXTRA = {  # constructor arguments that random-weight models need
    'googlenet': dict(aux_logits=False, init_weights=True),
    'inception_v3': dict(aux_logits=False, init_weights=True),
}


def photo(out, r):
    path = os.path.join(out, f'photo_{r}.png')
    if not os.path.exists(path):
        rng = np.random.RandomState(r)
        yy, xx = np.mgrid[0:r, 0:r] / r
        base = np.stack([np.sin(6 * xx + 1), np.cos(5 * yy - 2 * xx), np.sin(4 * (xx + yy))], -1)
        img = np.clip((base * 0.35 + 0.5) * 255 + rng.normal(0, 25, (r, r, 3)), 0, 255).astype(np.uint8)
        Image.fromarray(img, 'RGB').save(path)
    return path


def calibrate(model, size):
    """Sets every BatchNorm's running statistics from random batches, as training would. Without it
    some random-weight nets starve their deep layers (googlenet's std-0.01 init gives features of
    1e-11 and logits equal to the classifier's bias), and the logits would test no convolution."""
    norms = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # a cumulative average over the batches
    g = torch.Generator().manual_seed(1)
    model.train()
    with torch.no_grad():
        for _ in range(2):
            model(torch.randn(8, 3, size, size, generator=g))
    model.eval()


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    for spec in sys.argv[2:]:
        name, ctor, size, opset = spec.split(':')
        size, opset = int(size), int(opset)
        onnx_path, json_path = os.path.join(out, name + '.onnx'), os.path.join(out, name + '.json')
        if os.path.exists(onnx_path) and os.path.exists(json_path):
            continue
        r = int(round(size / 0.875))
        photo_path = photo(out, r)
        torch.manual_seed(0)
        model = getattr(torchvision.models, ctor)(weights=None, **EXTRA.get(ctor, {})).eval()
        calibrate(model, size)
        transform = T.Compose([T.Resize(r), T.CenterCrop(size), T.ToTensor(), T.Normalize(MEAN, STD)])
        x = transform(Image.open(photo_path).convert('RGB')).unsqueeze(0)
        with torch.no_grad():
            logits = model(x)
            torch.onnx.export(model, x, onnx_path + '.tmp', opset_version=opset, input_names=['input'], output_names=['logits'])
        os.replace(onnx_path + '.tmp', onnx_path)
        with open(json_path + '.tmp', 'w') as f:
            json.dump({'input': size, 'photo': os.path.basename(photo_path), 'opset': opset, 'constructor': ctor,
                       'logits': logits.flatten().tolist()}, f)
        os.replace(json_path + '.tmp', json_path)
        print(f'exported {name}', flush=True)


if __name__ == '__main__':
    main()
