"""Copies an ONNX file with metadata_props set, or writes a photo with its channels reversed.

usage: onnx_metadata.py model IN.onnx OUT.onnx key=value...
       onnx_metadata.py bgr IN.png OUT.png
       onnx_metadata.py transpose_batch OUT.onnx   (Conv then a Transpose that moves the batch axis, opset 13)
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
elif sys.argv[1] == 'transpose_batch':
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper, TensorProto
    w = numpy_helper.from_array(np.ones((2, 3, 3, 3), np.float32), 'w')
    graph = helper.make_graph(
        [helper.make_node('Conv', ['x', 'w'], ['c'], name='conv'),
         helper.make_node('Transpose', ['c'], ['y'], name='swap_batch', perm=[1, 0, 2, 3])],
        'refused', [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info('y', TensorProto.FLOAT, [2, 1, 6, 6])], [w])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)]), sys.argv[2])
