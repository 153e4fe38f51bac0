#!/usr/bin/python3
"""The PyTorch peer of ConvViz's scan: what a competent PyTorch user writes for the same job.

Runs with Debian's python3-torch 1.13 / python3-torchvision 0.14 / python3-pil
(/usr/bin/python3). Every mode prints one line "RESULT {json}" and nothing else on stdout.

  weights   save a seeded torchvision resnet18 state dict (ConvViz imports the same .pth)
  photos    make the benchmark JPEG sets from real photographs (seeded crops, flips, noise)
  scan      torchvision's eval transform with PIL, a DataLoader, forward hooks on the 20
            Conv2d modules, running top-k (value and position) per unit across batches
  forward   the same pipeline without hooks: the bare forward pass
  calibrate time scan with DataLoader workers 0, 1, 2 on a prefix and report the fastest
  project   deconvnet projections of the top-9 images of units 0..U-1 of a layer, batched
            through autograd (backward hooks make every ReLU pass only positive gradient)
"""
import argparse, glob, json, os, random, sys, time

import torch
import torch.nn as nn
import torchvision
from PIL import Image, ImageFilter
from torchvision import transforms


def emit(obj):
    print("RESULT " + json.dumps(obj), flush=True)


def seeded_resnet18(seed):
    torch.manual_seed(seed)
    model = torchvision.models.resnet18()
    # Non-trivial BatchNorm statistics, as a trained network has (the default 0/1 would make BN a no-op).
    g = torch.Generator().manual_seed(seed + 1)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            m.running_mean.copy_(torch.randn(n, generator=g) * 0.1)
            m.running_var.copy_(torch.rand(n, generator=g) * 0.5 + 0.75)
            m.weight.data.copy_(torch.rand(n, generator=g) * 0.5 + 0.75)
            m.bias.data.copy_(torch.randn(n, generator=g) * 0.1)
    return model


def load_model(path):
    model = torchvision.models.resnet18()
    model.load_state_dict(torch.load(path, map_location="cpu"))
    return model.eval()


class Files(torch.utils.data.Dataset):
    def __init__(self, paths):
        self.paths = paths
        # torchvision's documented ImageNet eval transform.
        self.transform = transforms.Compose([
            transforms.Resize(256),
            transforms.CenterCrop(224),
            transforms.ToTensor(),
            transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
        ])

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        with Image.open(self.paths[i]) as im:
            return self.transform(im.convert("RGB")), i


def loader(paths, batch, workers):
    return torch.utils.data.DataLoader(Files(paths), batch_size=batch, shuffle=False, num_workers=workers,
                                       persistent_workers=False)


def conv_taps(model):
    return [(n, m) for n, m in model.named_modules() if isinstance(m, nn.Conv2d)]


def run_scan(model, paths, batch, workers, k, hooks=True):
    """Returns (seconds, units). Running top-k of each unit's maximum over positions, with the position."""
    taps = conv_taps(model) if hooks else []
    best = {}
    current = {}

    def hook(name):
        def f(module, inputs, output):
            n, c, h, w = output.shape
            v, pos = output.flatten(2).max(dim=2)               # n x c: each image's strongest position per unit
            seq = current["seq"].unsqueeze(1).expand(n, c)
            if name in best:
                bv, bp, bs = best[name]
                v, pos, seq = torch.cat([bv, v]), torch.cat([bp, pos]), torch.cat([bs, seq])
            top, idx = v.topk(min(k, v.shape[0]), dim=0)
            best[name] = (top, pos.gather(0, idx), seq.gather(0, idx))
        return f

    handles = [m.register_forward_hook(hook(n)) for n, m in taps]
    start = time.perf_counter()
    with torch.inference_mode():
        for x, seq in loader(paths, batch, workers):
            current["seq"] = seq
            model(x)
    seconds = time.perf_counter() - start
    for h in handles:
        h.remove()
    units = sum(v[0].shape[1] for v in best.values())
    return seconds, units, len(taps)


def list_files(folder, count):
    files = sorted(glob.glob(os.path.join(folder, "*.jpg")))
    return files[:count] if count else files


def cmd_weights(a):
    torch.save(seeded_resnet18(a.seed).state_dict(), a.output)
    emit({"weights": a.output})


def cmd_photos(a):
    """Real-looking photographs: seeded crops of the demo photos, resized, flipped, with mild sensor noise."""
    sources = sorted(p for p in glob.glob(os.path.join(a.source, "*")) if p.lower().endswith((".png", ".jpg")))
    photos = []
    for p in sources:
        with Image.open(p) as im:
            if min(im.size) >= 256 and im.mode in ("RGB", "RGBA", "P", "L"):
                photos.append(im.convert("RGB"))
    if not photos:
        raise SystemExit("no photographs in " + a.source)
    rng = random.Random(a.seed)
    os.makedirs(a.output, exist_ok=True)
    w, h = a.width, a.height
    g = torch.Generator().manual_seed(a.seed)
    for i in range(a.count):
        im = photos[i % len(photos)]
        portrait = rng.random() < 0.25
        tw, th = (h, w) if portrait else (w, h)
        # A random window with the target's aspect ratio, 55..100% of the largest that fits.
        scale = min(im.width / tw, im.height / th) * rng.uniform(0.55, 1.0)
        cw, ch = max(1, int(tw * scale)), max(1, int(th * scale))
        x0, y0 = rng.randint(0, im.width - cw), rng.randint(0, im.height - ch)
        out = im.crop((x0, y0, x0 + cw, y0 + ch)).resize((tw, th), Image.BICUBIC)
        if rng.random() < 0.5:
            out = out.transpose(Image.FLIP_LEFT_RIGHT)
        if tw * th > 2_000_000:
            # Upscaled photos are too smooth for a camera; sensor-like noise gives realistic entropy.
            noise = (torch.randn(th, tw, 3, generator=g) * 5).to(torch.int16)
            arr = torch.from_numpy(__import__("numpy").asarray(out).copy()).to(torch.int16) + noise
            out = Image.fromarray(arr.clamp(0, 255).to(torch.uint8).numpy(), "RGB").filter(ImageFilter.SHARPEN)
        out.save(os.path.join(a.output, "photo%04d.jpg" % i), quality=a.quality)
    emit({"folder": a.output, "count": a.count, "width": w, "height": h})


def cmd_scan(a, hooks=True):
    torch.set_num_threads(a.threads) if a.threads else None
    model = load_model(a.weights)
    paths = list_files(a.folder, a.count)
    # Warm-up: first-call costs (allocator, kernels) are not the scan's.
    run_scan(model, paths[: a.batch], a.batch, 0, a.k, hooks)
    seconds, units, taps = run_scan(model, paths, a.batch, a.workers, a.k, hooks)
    emit({"mode": "scan" if hooks else "forward", "images": len(paths), "seconds": seconds, "imagesPerSecond": len(paths) / seconds,
          "units": units, "taps": taps, "workers": a.workers, "batch": a.batch, "threads": torch.get_num_threads(),
          "torch": torch.__version__, "torchvision": torchvision.__version__})


def cmd_calibrate(a):
    model = load_model(a.weights)
    paths = list_files(a.folder, a.count)
    run_scan(model, paths[: a.batch], a.batch, 0, a.k)
    times = {}
    for w in (0, 1, 2):
        times[w] = run_scan(model, paths, a.batch, w, a.k)[0]
    fastest = min(times, key=times.get)
    emit({"mode": "calibrate", "images": len(paths), "secondsByWorkers": times, "fastestWorkers": fastest})


def cmd_project(a):
    """Deconvnet projections (Zeiler & Fergus): backward through the net with every ReLU passing
    relu(gradient) instead of gradient * (input > 0); max pooling uses its switches (ordinary
    autograd), conv/BN/add use their transposes. Rows of one batch are independent records."""
    torch.set_num_threads(a.threads) if a.threads else None
    model = load_model(a.weights)
    for m in model.modules():
        if isinstance(m, nn.ReLU):
            m.inplace = False
    # torchvision's BasicBlock calls self.relu twice; a full backward hook handles both calls.
    handles = [m.register_full_backward_hook(lambda mod, gin, gout: (gout[0].clamp(min=0),))
               for m in model.modules() if isinstance(m, nn.ReLU)]
    layer = dict(model.named_modules())[a.layer]
    paths = list_files(a.folder, a.count)
    ds = Files(paths)
    # The records: each unit's top-9 images at their strongest position (found by a plain scan).
    grabbed = {}
    h = layer.register_forward_hook(lambda m, i, o: grabbed.__setitem__("o", o))
    acts = []
    with torch.no_grad():
        for x, _ in loader(paths, a.batch, 0):
            model(x)
            o = grabbed["o"][:, : a.units]
            acts.append(o.flatten(2).max(dim=2))
    h.remove()
    values = torch.cat([v for v, _ in acts])
    positions = torch.cat([p for _, p in acts])
    records = []
    for u in range(a.units):
        top = values[:, u].topk(min(9, len(paths))).indices
        records += [(int(i), u, int(positions[i, u])) for i in top]
    start = time.perf_counter()
    done = 0
    for b in range(0, len(records), a.batch):
        chunk = records[b: b + a.batch]
        x = torch.stack([ds[i][0] for i, _, _ in chunk]).requires_grad_(True)
        out = layer_output(model, layer, x)
        sel = torch.zeros_like(out)
        for r, (_, u, p) in enumerate(chunk):
            sel[r, u].view(-1)[p] = out[r, u].view(-1)[p].detach()
        (grad,) = torch.autograd.grad(out, x, grad_outputs=sel)
        done += grad.shape[0]
    seconds = time.perf_counter() - start
    for hd in handles:
        hd.remove()
    emit({"mode": "project", "records": done, "seconds": seconds, "projectionsPerSecond": done / seconds, "layer": a.layer})


def cmd_breakdown(a):
    """Where the peer's time goes, single process: PIL decode + transform per image (median), and the
    forward pass alone (with and without the hooks' work) on one batch, at this process's thread count."""
    torch.set_num_threads(a.threads) if a.threads else None
    model = load_model(a.weights)
    paths = list_files(a.folder, a.count)
    ds = Files(paths)
    dec, tr = [], []
    for p in paths:
        t = time.perf_counter()
        with Image.open(p) as im:
            rgb = im.convert("RGB")
        dec.append(time.perf_counter() - t)
        t = time.perf_counter()
        ds.transform(rgb)
        tr.append(time.perf_counter() - t)
    x = torch.stack([ds[i][0] for i in range(min(a.batch, len(paths)))])
    med = lambda v: sorted(v)[len(v) // 2]
    with torch.inference_mode():
        model(x)
        fw = []
        for _ in range(a.repeat):
            t = time.perf_counter(); model(x); fw.append(time.perf_counter() - t)
    emit({"mode": "breakdown", "images": len(paths), "decode": med(dec), "transform": med(tr), "forwardBatch": med(fw),
          "batch": x.shape[0], "threads": torch.get_num_threads()})


def layer_output(model, layer, x):
    box = {}
    h = layer.register_forward_hook(lambda m, i, o: box.__setitem__("o", o))
    try:
        model(x)
    finally:
        h.remove()
    return box["o"]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["weights", "photos", "scan", "forward", "calibrate", "project", "breakdown"])
    p.add_argument("--weights"); p.add_argument("--folder"); p.add_argument("--output"); p.add_argument("--source")
    p.add_argument("--seed", type=int, default=0); p.add_argument("--count", type=int, default=0)
    p.add_argument("--batch", type=int, default=16); p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=0); p.add_argument("--k", type=int, default=9)
    p.add_argument("--width", type=int, default=500); p.add_argument("--height", type=int, default=375)
    p.add_argument("--quality", type=int, default=90); p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--layer", default="layer3"); p.add_argument("--units", type=int, default=64)
    a = p.parse_args()
    {"weights": cmd_weights, "photos": cmd_photos, "scan": cmd_scan, "forward": lambda a: cmd_scan(a, hooks=False),
     "calibrate": cmd_calibrate, "project": cmd_project, "breakdown": cmd_breakdown}[a.mode](a)


if __name__ == "__main__":
    main()
