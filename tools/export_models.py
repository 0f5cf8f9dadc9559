#!/usr/bin/env python3
"""Exports timm vision models to the artifacts the benchmark suite loads, with a numerics record.

For each model (a timm id, or a name from the catalog, benchmarks/src/main/resources/catalog.csv)
it writes, under OUT/<name>/:
  <name>-fp32.pt       TorchScript, traced, float32 weights, float32 NCHW input (the paper's baseline)
  <name>-fp16.pt       TorchScript, traced, half weights in channels_last, half NCHW input (the
                       module converts the input to channels_last, as the Python reference does)
  <name>-opt-fp32.pt   the fp32 trace after torch.jit.freeze + torch.jit.optimize_for_inference
  <name>-opt-fp16.pt   the same for fp16 (folds batch norm into convolutions, fuses pointwise ops)
  <name>.onnx          float32 ONNX with a dynamic batch axis (input for TensorRT builders)
  <name>.json          what was exported: timm id, input size, seed, versions, and per artifact
                       the numerics record: relative error ||out - ref|| / ||ref|| and top-1
                       agreement against the same model run in float64 on random input

The numerics gate: an artifact whose relative error exceeds its precision's bound is deleted and
the script exits 1. Bounds: fp32 5e-3 (PyTorch's defaults run fp32 convolutions in TF32: measured
3e-4 on resnet50 and 9e-4 on mobilenetv3_small_100 on the H100, so 1e-3 would be too tight), fp16 2e-2
(measured 5e-4 to 1.4e-3). A broken export is off by order 1. The benchmark suite refuses an artifact without a passing record unless told to.

Weights are random (timm's init) from a fixed seed: energy and speed do not depend on the weights'
values, and the machines that run this have no pretrained weights.

Example (on the GPU machine, whose python3 has torch and timm):
  python3 tools/export_models.py --models resnet50,mobilenetv3_small_100 --out models
  python3 tools/export_models.py --models resnet50 --formats fp32,fp16 --device cpu --out models
"""
import argparse
import csv
import json
import os
import sys
import time

import torch

BOUNDS = {"fp32": 5e-3, "fp16": 2e-2}
ALL_FORMATS = ["fp32", "fp16", "opt-fp32", "opt-fp16", "onnx"]
CATALOG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "benchmarks", "src", "main",
                       "resources", "catalog.csv")


class ChannelsLastHalf(torch.nn.Module):
    """Takes half NCHW input, hands it to the model in channels_last (what the Python reference feeds)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x.contiguous(memory_format=torch.channels_last))


def catalog_entries():
    if not os.path.exists(CATALOG):
        return {}
    with open(CATALOG, newline="") as f:
        return {row["name"]: row for row in csv.DictReader(f)}


def resolve(name, catalog):
    """Catalog name -> (name, timm id, input size); any other string is taken as a timm id."""
    if name in catalog:
        row = catalog[name]
        return name, row["timm_id"], int(row["input_size"])
    return name, name, None


def create(timm_id, seed):
    import timm
    torch.manual_seed(seed)
    model = timm.create_model(timm_id, pretrained=False).eval()
    size = model.pretrained_cfg.get("input_size", (3, 224, 224))
    return model, tuple(size)


def relative_error(out, ref):
    out, ref = out.double().cpu(), ref.double().cpu()
    return float(torch.linalg.vector_norm(out - ref) / torch.linalg.vector_norm(ref))


def numerics(module, x_ref64, ref, dtype, device):
    with torch.inference_mode():
        out = module(x_ref64.to(device=device, dtype=dtype))
        if isinstance(out, (tuple, list)):
            out = out[0]
    err = relative_error(out, ref)
    top1 = float((out.float().cpu().argmax(-1) == ref.argmax(-1)).double().mean())
    return err, top1


def export_one(name, timm_id, size_override, out_dir, formats, device, seed, check_batch):
    model, size = create(timm_id, seed)
    if size_override:
        size = (3, size_override, size_override)
    os.makedirs(os.path.join(out_dir, name), exist_ok=True)
    base = os.path.join(out_dir, name, name)
    params = sum(p.numel() for p in model.parameters())

    # float64 reference on fresh random input (never zeros), on the export device
    gen = torch.Generator().manual_seed(seed + 1)
    x64 = torch.rand((check_batch,) + size, generator=gen, dtype=torch.float64)
    ref_model = create(timm_id, seed)[0].double().to(device)
    with torch.inference_mode():
        ref = ref_model(x64.to(device)).cpu()
    del ref_model

    record = dict(name=name, timm_id=timm_id, input_size=list(size), params=params, seed=seed,
                  torch=torch.__version__, timm=__import__("timm").__version__, device=str(device),
                  tf32_convolutions=bool(torch.backends.cudnn.allow_tf32),
                  exported=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), artifacts={})
    failed = []
    example32 = torch.rand((2,) + size, device=device)
    for fmt in formats:
        precision = "fp16" if fmt.endswith("fp16") else "fp32"
        if precision == "fp16" and torch.device(device).type != "cuda":
            print(f"skip {name} {fmt}: fp16 artifacts are exported and checked on a CUDA device", file=sys.stderr)
            continue
        try:
            rec = export_format(name, timm_id, fmt, precision, base, device, seed, size, x64, ref, example32)
        except Exception as e:  # one model's export failing must not stop the others
            line = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            print(f"{name:28s} {fmt:9s} FAILED: {type(e).__name__}: {line}", flush=True)
            failed.append(f"{name} {fmt}: export failed: {type(e).__name__}: {line}")
            continue
        if not rec["passed"]:
            os.remove(os.path.join(out_dir, name, rec["file"]))
            failed.append(f"{name} {fmt}: relative error {rec['relative_error']:.2e} exceeds the {precision} bound {rec['bound']:.0e}")
        record["artifacts"][fmt] = rec
        if torch.device(device).type == "cuda":
            torch.cuda.empty_cache()
    meta = base + ".json"
    if os.path.exists(meta):  # keep records of formats exported earlier
        old = json.load(open(meta))
        old.get("artifacts", {}).update(record["artifacts"])
        record["artifacts"] = old["artifacts"]
    with open(meta, "w") as f:
        json.dump(record, f, indent=1)
    return failed


def export_format(name, timm_id, fmt, precision, base, device, seed, size, x64, ref, example32):
    """Writes one artifact and returns its numerics record (passed or not)."""
    m = create(timm_id, seed)[0].to(device)
    if fmt == "onnx":
        path = base + ".onnx"
        torch.onnx.export(m, example32, path, input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
                          opset_version=17, dynamo=False)
        err, top1 = None, None
        try:
            import onnxruntime as ort
            sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
            out = torch.from_numpy(sess.run(None, {"input": x64.float().numpy()})[0])
            err = relative_error(out, ref)
            top1 = float((out.argmax(-1) == ref.argmax(-1)).double().mean())
        except ImportError:
            pass
        rec = dict(file=os.path.basename(path), precision="fp32", relative_error=err, top1_agreement=top1,
                   bound=BOUNDS["fp32"], checked_with="onnxruntime CPU" if err is not None else None)
    else:
        dtype = torch.float16 if precision == "fp16" else torch.float32
        if precision == "fp16":
            m = ChannelsLastHalf(m.half().to(memory_format=torch.channels_last)).eval()
        with torch.inference_mode(False), torch.no_grad():
            traced = torch.jit.trace(m, example32.to(dtype), check_trace=False)
            if fmt.startswith("opt-"):
                traced = torch.jit.optimize_for_inference(torch.jit.freeze(traced.eval()))
                # run twice: the profiling executor specialises on the second call
                traced(example32.to(dtype)); traced(example32.to(dtype))
        path = base + "-" + fmt + ".pt"
        traced.save(path)
        loaded = torch.jit.load(path, map_location=device).eval()
        err, top1 = numerics(loaded, x64, ref, dtype, device)
        rec = dict(file=os.path.basename(path), precision=precision, relative_error=err, top1_agreement=top1,
                   bound=BOUNDS[precision], checked_with=str(device))
    rec["passed"] = rec["relative_error"] is None or rec["relative_error"] <= rec["bound"]
    rec["bytes"] = os.path.getsize(path)
    print(f"{name:28s} {fmt:9s} rel.err {rec['relative_error'] if rec['relative_error'] is not None else float('nan'):.2e}"
          f" (bound {rec['bound']:.0e}) top-1 agree {rec['top1_agreement'] if rec['top1_agreement'] is not None else float('nan'):.3f}"
          f" {'ok' if rec['passed'] else 'REFUSED'}", flush=True)
    return rec


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--models", required=True, help="comma-separated catalog names or timm ids; 'catalog' = all")
    p.add_argument("--out", default=os.environ.get("GPUENERGY_MODELS", "models"), help="models directory")
    p.add_argument("--formats", default=",".join(ALL_FORMATS), help="subset of " + ",".join(ALL_FORMATS))
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--check-batch", type=int, default=8, help="random images for the numerics check")
    a = p.parse_args()
    formats = [f for f in a.formats.split(",") if f]
    bad = [f for f in formats if f not in ALL_FORMATS]
    if bad:
        sys.exit(f"unknown format {bad[0]!r}; accepted: {', '.join(ALL_FORMATS)}")
    catalog = catalog_entries()
    names = list(catalog) if a.models == "catalog" else a.models.split(",")
    failed = []
    for n in names:
        name, timm_id, size = resolve(n, catalog)
        failed += export_one(name, timm_id, size, a.out, formats, a.device, a.seed, a.check_batch)
    if failed:
        print("numerics gate refused:\n  " + "\n  ".join(failed), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
