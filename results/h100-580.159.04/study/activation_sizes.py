#!/usr/bin/env python3
"""The largest activation tensor and the largest convolution tensor of each catalog model, per image, and the first
batch at which each passes 2^31.

Why: in the H100 study (results/h100-580.159.04/study) FP16 throughput drops by 25-40 % from one batch size to
the next at large batches: efficientnet_b0 1024 -> 2048, resnet50 2048 -> 4096, mobilenetv3_large_100 2048 -> 4096,
efficientvit_b1 2048 -> 4096. The hypothesis: a single activation tensor passing 2^31 - 1 elements moves the
kernels that touch it off 32-bit indexing (PyTorch splits such TensorIterator work into 32-bit-indexable pieces,
cuDNN may choose other algorithms). A tensor's element count is batch x its count per image, so each model has
one threshold batch; this tool prints it, to be set beside the measured drops.
Later ladders contradict "largest activation": convnext_tiny's largest (a Linear, mlp.fc1's 56 x 56 x 384 output)
passes at 2048 but its FP16 ladder drops only at 8192 (11,191 -> 5,959 img/s); swin_tiny (largest passes at 2048, a
Linear) and deit_small (8192, a Linear) show no drop; the conv models drop where their largest conv tensor passes.
So the tool also reports the largest tensor a 2-d convolution (cuDNN) takes or returns, to test the hypothesis that
the drop comes with a convolution tensor passing 2^31.

For each model (--models a,b; default: every name in benchmarks/src/main/resources/catalog.csv, whose timm_id and
input_size columns give the timm model and its input) it creates the model (pretrained=False, eval) on the CPU,
runs one float32 image through it with a forward hook on every module, records the element count of every tensor
each module returns (inside tuples, lists and dicts too) and of every tensor a 2-d convolution takes, and prints
one JSON line:
  {"model", "timm_id", "input_size", "largest_activation_per_image" (elements), "module" (the first module that
   returned a tensor that large), "shape" (its shape at batch 1), "first_batch_over_int32",
   "largest_conv_tensor_per_image" (elements), "conv_module" (the first convolution that took or returned a tensor
   that large), "conv_tensor" ("input" or "output"), "conv_shape" (its shape at batch 1),
   "first_batch_conv_over_int32"}
first_batch_over_int32 is the smallest power of two b with b x largest_activation_per_image > 2^31 - 1: the
study's batch sizes are powers of two; first_batch_conv_over_int32 is the same for the conv tensor. A convolution
is any torch _ConvNd with a 2-d kernel (nn.Conv2d and subclasses such as timm's Conv2dSame and StdConv2d, and the
Conv2d inside timm's ConvNormAct); a model without one gets null conv keys. A convolution's input counts too: a
strided conv's (a ViT's patch embedding, say) is larger than its output. Hooks see what modules return and
convolutions take: a tensor made and consumed inside one module's forward (a fused attention's scores, say) is not
seen. Element counts do not depend on the device or the precision, so the CPU and float32 answer for the GPU in
FP16; the 13 models took 21 s on the GPU machine's CPU before the convolution keys were added
(results/h100-580.159.04/study/calls/20261123T023629Z/checks.log).
  python3 results/h100-580.159.04/study/activation_sizes.py [--models resnet50,efficientnet_b0]
"""
import argparse
import csv
import json
import os
import sys

INT32_MAX = 2**31 - 1
CATALOG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "benchmarks", "src", "main",
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


def is_conv2d(module):
    """A 2-d convolution: torch's nn.Conv2d, its subclasses (timm's Conv2dSame, StdConv2d) and ConvTranspose2d."""
    import torch
    return isinstance(module, torch.nn.modules.conv._ConvNd) and len(module.kernel_size) == 2


def largest_tensors(model, input_size):
    """For one image through model: (element count, module name, shape) of the largest tensor any module returns,
    and (element count, module name, "input" or "output", shape) of the largest tensor any 2-d convolution takes
    or returns, or None when model has no convolution. Of equal ones, the first module to take or return it."""
    import torch
    largest = [0, "", []]
    conv = [0, None, None, None]

    def hook(name, module):
        checks_conv = is_conv2d(module)

        def record(module, inputs, output):
            for t in tensors_in(output):
                if t.numel() > largest[0]:
                    largest[:] = [t.numel(), name or "(model)", list(t.shape)]
            if checks_conv:
                for kind, ts in (("input", tensors_in(inputs)), ("output", tensors_in(output))):
                    for t in ts:
                        if t.numel() > conv[0]:
                            conv[:] = [t.numel(), name or "(model)", kind, list(t.shape)]
        return record
    handles = [m.register_forward_hook(hook(name, m)) for name, m in model.named_modules()]
    try:
        with torch.inference_mode():
            model(torch.rand(1, 3, input_size, input_size))
    finally:
        for h in handles:
            h.remove()
    return tuple(largest), (tuple(conv) if conv[1] is not None else None)


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
        (count, module, shape), conv = largest_tensors(model, size)
        conv_count, conv_module, conv_tensor, conv_shape = conv or (None, None, None, None)
        print(json.dumps(dict(model=name, timm_id=row["timm_id"], input_size=size,
                              largest_activation_per_image=count, module=module, shape=shape,
                              first_batch_over_int32=first_batch_over_int32(count),
                              largest_conv_tensor_per_image=conv_count, conv_module=conv_module,
                              conv_tensor=conv_tensor, conv_shape=conv_shape,
                              first_batch_conv_over_int32=first_batch_over_int32(conv_count) if conv else None)),
              flush=True)
        del model


if __name__ == "__main__":
    main()
