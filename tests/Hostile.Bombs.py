# Builds the ONNX bombs of tests/Hostile.Tests.ps1 with the onnx package (python3 Hostile.Bombs.py <dir>).
import sys, numpy as np, onnx
from onnx import helper, TensorProto, numpy_helper
out = sys.argv[1]
def save(name, nodes, inputs, outputs, inits=(), opset=13):
    g = helper.make_graph(nodes, name, inputs, outputs, initializer=list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])
    onnx.save(m, f"{out}/{name}.onnx")
x = lambda h, w: helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, h, w])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
# A declared 1x3x12000x12000 input: 1.6 GiB per image before any node runs.
save("input-bomb", [helper.make_node("Relu", ["x"], ["y"], name="relu")], [x(12000, 12000)], [y])
# Pad by 100000 pixels on every side of a 224x224 input.
pads = numpy_helper.from_array(np.array([0, 0, 100000, 100000, 0, 0, 100000, 100000], dtype=np.int64), "pads")
save("pad-bomb", [helper.make_node("Pad", ["x", "pads"], ["y"], name="pad")], [x(224, 224)], [y], [pads])
# Constant folding: a 20000x1 column plus its 1x20000 transpose broadcast to 400M values.
col = numpy_helper.from_array(np.zeros((20000, 1), dtype=np.float32), "col")
save("fold-bomb", [helper.make_node("Transpose", ["col"], ["row"], name="transpose"),
                   helper.make_node("Add", ["col", "row"], ["big"], name="broadcast"),
                   helper.make_node("Add", ["x", "big"], ["y"], name="use")], [x(224, 224)], [y], [col])
