#!/usr/bin/env python3
"""Writes tiny_cnn/tiny_cnn.onnx: the smallest image classifier shaped like tools/export_models.py's ONNX
(input "input" [batch,3,8,8] float32 with a dynamic batch axis "batch", output "logits" [batch,5]).

Used by the -Ptensorrt tests to drive the ONNX Runtime plumbing on the CPU (session, DJL model, static-batch
copy) on machines without TensorRT. Needs only the onnx package (Debian: apt-get install python3-onnx):
  /usr/bin/python3 make_tiny_cnn.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(0)
weights = [
    numpy_helper.from_array(rng.standard_normal((4, 3, 3, 3)).astype(np.float32), "conv.w"),
    numpy_helper.from_array(rng.standard_normal(4).astype(np.float32), "conv.b"),
    numpy_helper.from_array(rng.standard_normal((5, 4)).astype(np.float32), "fc.w"),
    numpy_helper.from_array(rng.standard_normal(5).astype(np.float32), "fc.b"),
]
nodes = [
    helper.make_node("Conv", ["input", "conv.w", "conv.b"], ["c"], name="conv", pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c"], ["r"], name="relu"),
    helper.make_node("GlobalAveragePool", ["r"], ["p"], name="pool"),
    helper.make_node("Flatten", ["p"], ["f"], name="flatten", axis=1),
    helper.make_node("Gemm", ["f", "fc.w", "fc.b"], ["logits"], name="fc", transB=1),
]
graph = helper.make_graph(
    nodes, "tiny_cnn",
    [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 3, 8, 8])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 5])],
    initializer=weights)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="make_tiny_cnn.py")
model.ir_version = 8
onnx.checker.check_model(model)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tiny_cnn", "tiny_cnn.onnx")
os.makedirs(os.path.dirname(out), exist_ok=True)
onnx.save(model, out)
print(out, os.path.getsize(out), "bytes")
