#!/usr/bin/env python3
"""The largest activation tensor of each catalog model, per image, and the first batch at which it passes 2^31.

Why: in the H100 study (results/h100-580.159.04/study) FP16 throughput drops by 25-40 % from one batch size to
the next at large batches: efficientnet_b0 1024 -> 2048, resnet50 2048 -> 4096, mobilenetv3_large_100 2048 -> 4096,
efficientvit_b1 2048 -> 4096. The hypothesis: a single activation tensor passing 2^31 - 1 elements moves the
kernels that touch it off 32-bit indexing (PyTorch splits such TensorIterator work into 32-bit-indexable pieces,
cuDNN may choose other algorithms). A tensor's element count is batch x its count per image, so each model has
one threshold batch; this tool prints it, to be set beside the measured drops.

For each model (--models a,b; default: every name in benchmarks/src/main/resources/catalog.csv, whose timm_id and
input_size columns give the timm model and its input) it creates the model (pretrained=False, eval) on the CPU,
runs one float32 image through it with a forward hook on every module, records the element count of every tensor
each module returns (inside tuples, lists and dicts too), and prints one JSON line:
  {"model", "timm_id", "input_size", "largest_activation_per_image" (elements), "module" (the first module that
   returned a tensor that large), "shape" (its shape at batch 1), "first_batch_over_int32"}
first_batch_over_int32 is the smallest power of two b with b x largest_activation_per_image > 2^31 - 1: the
study's batch sizes are powers of two. Hooks see what modules return: a tensor made and consumed inside one
module's forward (a fused attention's scores, say) is not seen. Element counts do not depend on the device or the
precision, so the CPU and float32 answer for the GPU in FP16; 13 models take well under a minute.
  python3 tools/activation_sizes.py [--models resnet50,efficientnet_b0]
"""
import argparse
import csv
import json
import os
import sys

INT32_MAX = 2**31 - 1
CATALOG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "benchmarks", "src", "main",
                       "resources", "catalog.csv")


def first_batch_over_int32(per_image):
    """Smallest power of two b with b x per_image > 2^31 - 1 (1 when one image already passes it)."""
    if per_image < 1:
        raise ValueError(f"element count per image {per_image}: expected at least 1")
    b = 1
    while b * per_image <= INT32_MAX:
        b *= 2
    return b


def tensors_in(output):
    """The tensors in a module's output: the output itself, or those inside tuples, lists and dicts (nested)."""
    if isinstance(output, (tuple, list)):
        return [t for o in output for t in tensors_in(o)]
    if isinstance(output, dict):
        return [t for o in output.values() for t in tensors_in(o)]
    return [output] if callable(getattr(output, "numel", None)) else []


def largest_activation(model, input_size):
    """(element count, module name, shape) of the largest tensor any module of model returns for one image."""
    import torch
    largest = [0, "", []]

    def hook(name):
        def record(module, inputs, output):
            for t in tensors_in(output):
                if t.numel() > largest[0]:  # strictly: of equal ones, the first module to return it
                    largest[:] = [t.numel(), name or "(model)", list(t.shape)]
        return record
    handles = [m.register_forward_hook(hook(name)) for name, m in model.named_modules()]
    try:
        with torch.inference_mode():
            model(torch.rand(1, 3, input_size, input_size))
    finally:
        for h in handles:
            h.remove()
    return tuple(largest)


def main():
    with open(CATALOG, newline="") as f:
        catalog = {row["name"]: row for row in csv.DictReader(f)}
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--models", default=",".join(catalog), help="comma-separated catalog names (default: all)")
    a = p.parse_args()
    names = [n for n in a.models.split(",") if n]
    unknown = [n for n in names if n not in catalog]
    if unknown or not names:
        sys.exit(f"unknown model {(unknown[0] if unknown else a.models)!r}; accepted: {', '.join(catalog)}")
    import timm
    for name in names:
        row = catalog[name]
        size = int(row["input_size"])
        model = timm.create_model(row["timm_id"], pretrained=False).eval()
        count, module, shape = largest_activation(model, size)
        print(json.dumps(dict(model=name, timm_id=row["timm_id"], input_size=size,
                              largest_activation_per_image=count, module=module, shape=shape,
                              first_batch_over_int32=first_batch_over_int32(count))), flush=True)
        del model


if __name__ == "__main__":
    main()
