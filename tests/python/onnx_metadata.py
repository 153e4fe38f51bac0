"""Copies an ONNX file with metadata_props set, or writes a photo with its channels reversed.

usage: onnx_metadata.py model IN.onnx OUT.onnx key=value...
       onnx_metadata.py bgr IN.png OUT.png
"""
import sys

if sys.argv[1] == 'model':
    import onnx
    model = onnx.load(sys.argv[2])
    del model.metadata_props[:]
    for kv in sys.argv[4:]:
        key, value = kv.split('=', 1)
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.save(model, sys.argv[3])
elif sys.argv[1] == 'bgr':
    from PIL import Image
    r, g, b = Image.open(sys.argv[2]).convert('RGB').split()
    Image.merge('RGB', (b, g, r)).save(sys.argv[3])
