# Writes this directory's ONNX fixtures with the onnx package (1.12: Debian's python3-onnx), run here:
#   tiny.onnx    keeps three tensors in external files named by the tensors (fc.weight, proj.weight, branch.bias): a
#                graph initializer, a Constant node's value and an initializer of an If node's branch; two small ones inline
#   inline.onnx  the same model with every tensor inline
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto
from onnx.external_data_helper import convert_model_to_external_data

rng = np.random.default_rng(1)
weight = numpy_helper.from_array(rng.standard_normal((16, 8)).astype(np.float32), "fc.weight")
bias = numpy_helper.from_array(np.zeros(8, np.float32), "fc.bias")
projection = numpy_helper.from_array(rng.standard_normal((8, 16)).astype(np.float32), "proj.weight")
branch_bias = numpy_helper.from_array(rng.standard_normal((8, 16)).astype(np.float32), "branch.bias")
zero = numpy_helper.from_array(np.array(0, np.float32), "zero")
row = ["batch", 16]

then = helper.make_graph([helper.make_node("Add", ["y", "branch.bias"], ["t"])], "then", [],
                         [helper.make_tensor_value_info("t", TensorProto.FLOAT, row)], [branch_bias])
other = helper.make_graph([helper.make_node("Identity", ["y"], ["e"])], "else", [],
                          [helper.make_tensor_value_info("e", TensorProto.FLOAT, row)])
nodes = [
    helper.make_node("Gemm", ["input", "fc.weight", "fc.bias"], ["h"]),
    helper.make_node("Constant", [], ["c"], value=projection),
    helper.make_node("MatMul", ["h", "c"], ["y"]),
    helper.make_node("ReduceSum", ["y"], ["s"], keepdims=0),
    helper.make_node("Greater", ["s", "zero"], ["cond"]),
    helper.make_node("If", ["cond"], ["logits"], then_branch=then, else_branch=other),
]
graph = helper.make_graph(nodes, "tiny", [helper.make_tensor_value_info("input", TensorProto.FLOAT, row)],
                          [helper.make_tensor_value_info("logits", TensorProto.FLOAT, row)], [weight, bias, zero])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="gpuenergy test fixture")
onnx.checker.check_model(model)
onnx.save_model(model, "inline.onnx")
convert_model_to_external_data(model, all_tensors_to_one_file=False, size_threshold=256, convert_attribute=True)
onnx.save_model(model, "tiny.onnx")
onnx.checker.check_model("tiny.onnx")
