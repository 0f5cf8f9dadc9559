#!/usr/bin/env python3
"""Exports timm vision models to the artifacts the benchmark suite loads, with a numerics record.

For each model (a timm id, or a name from the catalog, benchmarks/src/main/resources/catalog.csv)
it writes, under OUT/<name>/:
  <name>-fp32.pt       TorchScript, traced, float32 weights, float32 NCHW input (the paper's baseline)
  <name>-fp16.pt       TorchScript, traced, half weights in channels_last, half NCHW input (the
                       module converts the input to channels_last, as the Python reference does)
  <name>-opt-fp32.pt   the variant of the fp32 trace that used the least energy per image on the export GPU
                       (see "The optimized artifacts" below)
  <name>-opt-fp16.pt   the same for fp16
  <name>.onnx          float32 ONNX with a dynamic batch axis (input for TensorRT builders)
  <name>-gate-input.f32, <name>-gate-logits.f32
                       with the ONNX: the numerics check's random images and the float64 model's
                       logits for them (raw little-endian float32), from which the TensorRT engine's
                       numerics gate checks its FP16 output on the first batch
  <name>.json          what was exported: timm id, input size, seed, versions, and per artifact
                       its size and SHA-256 (the suite refuses a file that no longer matches) and
                       the numerics record: relative error ||out - ref|| / ||ref|| and top-1
                       agreement against the same model run in float64 on random input

The optimized artifacts: torch.jit.optimize_for_inference is two CUDA passes after freezing, and each
helps some models and hurts others (measured on the H100 at batch 128, results/h100-580.159.04/opt-engines/
variants/): fusing conv + add + relu into one cuDNN call is 1.7-1.8x faster on ResNet-50 and RegNetY and
about 2x slower on the depthwise MobileNets; pre-transposing frozen linear weights is up to 1.4x slower on
the transformers and ConvNeXt and faster on the small MobileNets. Throughput alone is the wrong yardstick too: on
EfficientNet-B0 the frozen graph ran as fast as the plain trace and drew 6 % more power. So the exporter builds
the four frozen variants (freeze, freeze+conv-add-relu, freeze+linear-transpose, optimize_for_inference = both),
runs each and the plain trace at --tune-batch on the export GPU for --tune-seconds, twice (the second round in
reverse order, so the GPU warming up favours no candidate), measures J/img with the NVML energy counter
(tools/energy_window.py) of the export GPU (found as tools/record_nvml_trace.py finds its GPU, honouring
CUDA_VISIBLE_DEVICES; one NVML cannot be matched to is said in one line), keeps the candidate with the lowest J/img
(the plain trace unless a frozen one beats it by more than 1 %; by img/s where there is no counter, e.g. on a CPU)
and records every candidate's img/s and J/img in the artifact's record under "tuning".

The numerics gate: an artifact whose relative error exceeds its precision's bound is not written (nor are an ONNX's gate
files; an earlier artifact under its name stays, as its record does) and the script exits 1, as it does where a model or an artifact cannot be exported (a timm id timm does not
know); the other models and artifacts are exported all the same, and the failures listed at the end. Bounds: fp32 5e-3 (PyTorch's defaults run fp32 convolutions in TF32: measured
3e-4 on resnet50 and 9e-4 on mobilenetv3_small_100 on the H100, so 1e-3 would be too tight), fp16 2e-2
(measured 5e-4 to 1.4e-3). A broken export is off by order 1. The benchmark suite refuses an artifact without a passing record unless told to.

An option that can export nothing (a --device torch does not know, --formats fp16 or opt-fp16 named with a device that
is not CUDA, no format or model named, --models catalog without the catalog, a batch < 1, an --out that is a file
or cannot be made or written) is refused in one line, exit 2, before anything is written.

A later export into a model's directory (--formats fp16 where fp32 is) keeps the record's other artifacts, which share
its timm id, input size and seed: a model whose record holds other values of these than the export's is refused in one
line, listed with the failures, and nothing of it is written. Each file is written under a temporary name beside it and
renamed once whole (an artifact once its numerics pass; an ONNX and its gate files once all three are): an export that
fails midway leaves the earlier files, or none. The record is written after each artifact: one stopped midway (Ctrl-C, SIGTERM) names each artifact done with its
SHA-256, and ends in one line, exit 130.

Weights are random (timm's init) from a fixed seed: energy and speed do not depend on the weights'
values, and the machines that run this have no pretrained weights.

Example (on the GPU machine, whose python3 has torch and timm):
  python3 tools/export_models.py --models resnet50,mobilenetv3_small_100 --out models
  python3 tools/export_models.py --models resnet50 --formats fp32,onnx --device cpu --out models
"""
import argparse
import contextlib
import csv
import hashlib
import json
import os
import signal
import sys
import time


def lacks(package):
    """Exits with one line: this Python cannot import a package the export needs."""
    sys.exit(f"export_models.py: this Python ({sys.executable}) cannot import {package}, which the export needs; run it"
             " where torch and timm are installed (pip install torch timm onnxruntime)")


def options():
    """The command line's parser; it needs no torch."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--models", required=True, help="comma-separated catalog names or timm ids; 'catalog' = all")
    p.add_argument("--out", default=os.environ.get("GPUENERGY_MODELS", "models"), help="models directory")
    p.add_argument("--formats", help="subset of " + ",".join(ALL_FORMATS) + " (default: all; fp16 and opt-fp16 on a CUDA "
                                     "device only, skipped elsewhere)")
    p.add_argument("--device", help="a torch device (default: cuda where torch sees a GPU, else cpu)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--check-batch", type=int, default=8, help="random images for the numerics check")
    p.add_argument("--tune-batch", type=int, default=128, help="batch size at which opt-* variants are timed")
    p.add_argument("--tune-seconds", type=float, default=2.0, help="timed seconds per opt-* variant and round")
    return p


BOUNDS = {"fp32": 5e-3, "fp16": 2e-2}
ALL_FORMATS = ["fp32", "fp16", "opt-fp32", "opt-fp16", "onnx"]

if __name__ == "__main__":
    options().parse_args()  # --help and a malformed command line are answered before torch is imported: they need none

try:
    import torch
except ImportError:
    if __name__ != "__main__":  # the tests import the module only where torch is there
        raise
    lacks("torch")

from energy_window import CounterEdges, CounterWentBack
from record_nvml_trace import cuda_device_handle

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


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@contextlib.contextmanager
def written_whole(*paths):
    """Temporary names beside paths (a dict, path -> its temporary) to write their new content to, each renamed to its
    path (os.replace, in one step) once the block ends and all removed where it raises: a path holds its earlier file or
    the whole new one, never the part of a write that failed midway (an exporter's error, a full disk, Ctrl-C), which the
    suite would take for the artifact until its SHA-256 is checked. Files written in one block (the ONNX and its gate
    files) are renamed only once every one of them is whole, so that a failure at one leaves none of them new under a
    record that names the earlier ones. The content is forced to disk before the renames, so that a crash after them
    leaves no empty file under the name."""
    tmps = {path: os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.partial")
            for path in paths}
    try:
        yield tmps
        for tmp in tmps.values():
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
        for path, tmp in tmps.items():
            os.replace(tmp, path)
    except BaseException:
        for tmp in tmps.values():
            with contextlib.suppress(FileNotFoundError):
                os.remove(tmp)
        raise


class Refused(Exception):
    """An artifact beyond its precision's bound, raised inside its written_whole block so that none of its files is
    renamed into place: an earlier artifact under its name stays, as its record does. rec: its numerics record."""

    def __init__(self, rec):
        super().__init__(f"relative error {rec['relative_error']:.2e} exceeds the {rec['precision']} bound "
                         f"{rec['bound']:.0e}")
        self.rec = rec


def gate_files(base):
    """The TensorRT engine's numerics gate's files beside the ONNX base + ".onnx": key -> path."""
    return {key: f"{base}-gate-{key}.f32" for key in ("input", "logits")}


def write_gate(base, x64, ref, tmps):
    """The TensorRT engine's numerics gate: the check's images and the float64 model's logits for them, as raw
    little-endian float32 beside the ONNX, named in its record with their sizes and SHA-256s; written to their
    temporaries in tmps (path -> temporary, from written_whole)."""
    gate = dict(images=int(x64.shape[0]), classes=int(ref.shape[-1]), bound=BOUNDS["fp16"],
                reference="the model in float64 on these images")
    tensors = dict(input=x64, logits=ref)
    for key, path in gate_files(base).items():
        tensors[key].detach().cpu().to(torch.float32).contiguous().numpy().astype("<f4").tofile(tmps[path])
        gate[key] = os.path.basename(path)
        gate[key + "_sha256"] = sha256(tmps[path])
    return gate


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


def first_line(e, limit=None):
    """An exception in one line: its type and the first line of its message (its first limit characters)."""
    lines = str(e).strip().splitlines()
    return type(e).__name__ + (": " + lines[0][:limit] if lines else "")


def export_one(name, timm_id, size_override, out_dir, formats, device, seed, check_batch, tune):
    model, size = create(timm_id, seed)
    if size_override:
        size = (3, size_override, size_override)
    base = os.path.join(out_dir, name, name)
    meta = base + ".json"
    earlier = earlier_record(meta)
    differs = shared_fields_differ(earlier, dict(timm_id=timm_id, input_size=list(size), seed=seed))
    if differs:
        line = f"{meta} records {differs}: its artifacts {', '.join(sorted(earlier['artifacts']))} were exported so, and " \
               f"the record is one for all; export with its values, or remove {os.path.dirname(meta)} to export anew"
        print(f"{name:28s} FAILED: {line}", flush=True)
        return [f"{name}: not exported: {line}"]
    os.makedirs(os.path.join(out_dir, name), exist_ok=True)
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

    def write_record():
        # after each artifact, not once at the end: an export stopped at a later one (Ctrl-C, a kill) leaves each artifact
        # renamed into place so far named in the record with its SHA-256, not a new file under an earlier one's record
        kept = dict(earlier["artifacts"], **record["artifacts"]) if earlier else record["artifacts"]
        with written_whole(meta) as tmp, open(tmp[meta], "w") as f:
            json.dump(dict(record, artifacts=kept), f, indent=1)

    for fmt in formats:
        precision = "fp16" if fmt.endswith("fp16") else "fp32"
        if precision == "fp16" and torch.device(device).type != "cuda":
            print(f"skip {name} {fmt}: fp16 artifacts are exported and checked on a CUDA device", file=sys.stderr)
            continue
        try:
            rec = export_format(name, timm_id, fmt, precision, base, device, seed, size, x64, ref, example32, tune)
        except Refused as e:  # nothing of it written: an earlier artifact of the format stays, as its record does
            failed.append(f"{name} {fmt}: {e}")
            continue
        except Exception as e:  # one model's export failing must not stop the others
            print(f"{name:28s} {fmt:9s} FAILED: {first_line(e)}", flush=True)
            failed.append(f"{name} {fmt}: export failed: {first_line(e)}")
            continue
        record["artifacts"][fmt] = rec
        write_record()
        if torch.device(device).type == "cuda":
            torch.cuda.empty_cache()
    if not record["artifacts"] and not earlier:  # none exported: a record still replaces a damaged one, as earlier_record
        write_record()                           # said, and a sound one stays as it was
    return failed


def earlier_record(meta):
    """The record an earlier export wrote to meta; None where there is none. A file there that is not such a record
    (damaged, or edited by hand) has no artifact to keep: it is replaced, with a line that says so, since the suite
    refuses a model under it and says to export again."""
    if not os.path.exists(meta):
        return None
    try:
        with open(meta) as f:
            old = json.load(f)
        if isinstance(old, dict) and isinstance(old.get("artifacts"), dict):
            return old
        why = "not the JSON object this script writes"
    except (OSError, ValueError) as e:
        why = first_line(e)
    print(f"{meta}: replaced, keeping no earlier artifact's record ({why}): export the formats it named again",
          file=sys.stderr)
    return None


# The record's fields that every artifact under it shares: the model, its input (the suite feeds every artifact the
# record's input_size) and the seed its weights were drawn from
SHARED = ("timm_id", "input_size", "seed")


def shared_fields_differ(earlier, shared):
    """Where an earlier record with artifacts holds other shared values than this export's, those values as one phrase
    ('seed 0 (this export's: 1)'); None where none differs. Written over, they would describe its artifacts wrongly:
    their weights drawn from another seed, their input another size."""
    if not earlier or not earlier["artifacts"]:
        return None
    differ = [f"{k} {json.dumps(earlier.get(k))} (this export's: {json.dumps(shared[k])})"
              for k in SHARED if earlier.get(k) != shared[k]]
    return ", ".join(differ) or None


# Frozen variants tried for an opt-* artifact: name -> the passes run on the frozen graph
VARIANTS = {
    "freeze": [],
    "freeze+conv-add-relu": ["_jit_pass_fuse_frozen_conv_add_relu"],
    "freeze+linear-transpose": ["_jit_pass_transpose_frozen_linear"],
    "optimize_for_inference": None,  # torch.jit.optimize_for_inference itself (both passes; MKLDNN on CPU)
}


# Relative difference under which a frozen variant does not replace the plain trace (the pick's noise: two
# 2 s windows per candidate)
TIE = 0.01


def frozen_variant(traced, variant):
    if VARIANTS[variant] is None:
        return torch.jit.optimize_for_inference(torch.jit.freeze(traced.eval()))
    frozen = torch.jit.freeze(traced.eval())  # a copy: the traced module stays as it was
    for p in VARIANTS[variant]:
        getattr(torch._C, p)(frozen.graph)
    return frozen


def energy_counter(device):
    """A started CounterEdges on the NVML total-energy counter of the GPU the export runs on, or None (CPU export, no
    pynvml, no counter, a GPU that cannot be told): then opt-* tuning picks by img/s. The GPU is found as
    tools/record_nvml_trace.py finds its own, honouring CUDA_VISIBLE_DEVICES: NVML numbers GPUs otherwise than CUDA, and
    a GPU that cannot be told is said in one line, never measured by another GPU's counter."""
    if torch.device(device).type != "cuda":
        return None
    try:
        import pynvml as nvml
        nvml.nvmlInit()
    except Exception as e:
        print(f"opt-* tuning by img/s only: no NVML ({first_line(e)})", file=sys.stderr)
        return None
    ordinal = torch.device(device).index
    try:
        handle = cuda_device_handle(nvml, torch.cuda.current_device() if ordinal is None else ordinal)
    except Exception as e:  # LookupError: the CUDA driver cannot say; NVMLError: NVML has no such GPU
        print(f"opt-* tuning by img/s only: which NVML GPU is {device} cannot be told ({first_line(e)}), so no GPU's energy"
              " is measured", file=sys.stderr)
        return None
    try:
        nvml.nvmlDeviceGetTotalEnergyConsumption(handle)  # fails here on a GPU without the counter
    except Exception as e:
        print(f"opt-* tuning by img/s only: no NVML energy counter ({first_line(e)})", file=sys.stderr)
        return None
    sampler = CounterEdges(lambda: nvml.nvmlDeviceGetTotalEnergyConsumption(handle))
    sampler.start()
    return sampler


def run_window(module, x, seconds, energy):
    """(img/s, J/img or None where the energy counter gives none): synchronous batches for >= seconds after a warm-up
    that lets the profiling executor specialise and cuDNN autotune."""
    sync = torch.cuda.synchronize if x.is_cuda else (lambda: None)
    with torch.no_grad():
        for _ in range(3):
            module(x)
        sync()
        until = time.perf_counter() + seconds / 3
        while time.perf_counter() < until:
            module(x); sync()
        marks, n = [(time.perf_counter(), 0)], 0
        while marks[-1][0] - marks[0][0] < seconds or n < 3:
            module(x); sync(); n += 1
            marks.append((time.perf_counter(), n * x.shape[0]))
    img_per_s = marks[-1][1] / (marks[-1][0] - marks[0][0])
    if not energy:
        return img_per_s, None
    try:
        return img_per_s, energy.joules_per_image(marks)
    except CounterWentBack as e:  # no J/img, never a negative one that would pick this candidate
        print(f"opt-* tuning by img/s only: {e}", file=sys.stderr)
        return img_per_s, None


def best_variant(traced, x, seconds, energy):
    """(module, tuning record): of the plain trace and the frozen variants, the one with the lowest J/img on
    x's device (the highest img/s without an energy counter). Two rounds, the second in reverse order, so
    the GPU warming up during tuning favours no candidate; each candidate's figures are the rounds' mean."""
    candidates, failed = {"plain trace": traced}, {}
    for variant in VARIANTS:
        try:
            candidates[variant] = frozen_variant(traced, variant)
        except Exception as e:  # a pass that does not apply to this graph is a candidate less, not an error
            failed[variant] = "failed: " + first_line(e, 160)
    runs = {name: [] for name in candidates}
    names = list(candidates)
    run_window(traced, x, 3 * seconds, None)  # warm the GPU first: round 1 must not start on a cool, idle card
    for name in names + names[::-1]:
        if name in failed:
            continue
        try:
            runs[name].append(run_window(candidates[name], x, seconds, energy))
        except Exception as e:
            failed[name] = "failed: " + first_line(e, 160)
        if x.is_cuda:
            torch.cuda.empty_cache()
    mean = lambda v: sum(v) / len(v) if v and None not in v else None
    img = {n: mean([r[0] for r in runs[n]]) for n in names if n not in failed}
    jpi = {n: mean([r[1] for r in runs[n]]) for n in names if n not in failed}
    if not img:
        raise RuntimeError("no variant could run: " + json.dumps(failed))
    by_energy = all(v is not None for v in jpi.values())
    chosen = min(jpi, key=jpi.get) if by_energy else max(img, key=img.get)
    # a frozen graph must beat the plain trace by more than the tuning's noise to be worth a different artifact
    plain = "plain trace"
    if plain in img and (jpi[plain] <= jpi[chosen] * (1 + TIE) if by_energy else img[plain] >= img[chosen] * (1 - TIE)):
        chosen = plain
    record = dict(variant=chosen, chosen_by="J/img" if by_energy else "img/s", tie=TIE, batch=x.shape[0],
                  device=str(x.device), seconds=seconds, rounds=2, cudnn_benchmark=torch.backends.cudnn.benchmark,
                  img_per_s={n: round(v, 1) for n, v in img.items()})
    if by_energy:
        record["j_per_img"] = {n: round(v, 6) for n, v in jpi.items()}
    record["img_per_s"].update(failed)
    return candidates[chosen], record


def export_format(name, timm_id, fmt, precision, base, device, seed, size, x64, ref, example32, tune):
    """Writes one artifact and returns its numerics record (passed or not)."""
    m = create(timm_id, seed)[0].to(device)
    if fmt == "onnx":
        path = base + ".onnx"
        gates = gate_files(base)
        try:
            import onnxruntime as ort
        except ImportError:
            raise RuntimeError("the ONNX artifact is checked with onnxruntime, which this Python lacks (pip install onnxruntime)")
        exporter = dict(exporter="torch.onnx (TorchScript-based)", opset=17)
        with written_whole(path, *gates.values()) as tmp:  # the ONNX and its gate files, checked before the renames
            try:
                torch.onnx.export(m, example32, tmp[path], input_names=["input"], output_names=["logits"],
                                  dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
                                  opset_version=17, dynamo=False)
            except Exception as e:  # a torch without the TorchScript-based exporter: the dynamo one, weights inline
                print(f"{name:28s} onnx      TorchScript-based export failed ({first_line(e, 200)}); using torch.export",
                      flush=True)
                exporter = dict(exporter="torch.onnx (torch.export)", opset=18)
                torch.onnx.export(m, (example32,), tmp[path], input_names=["input"], output_names=["logits"],
                                  dynamic_shapes=({0: torch.export.Dim("batch", min=1, max=1 << 16)},),
                                  opset_version=18, dynamo=True, external_data=False)
            sess = ort.InferenceSession(tmp[path], providers=["CPUExecutionProvider"])
            out = torch.from_numpy(sess.run(None, {"input": x64.float().numpy()})[0])
            err = relative_error(out, ref)
            top1 = float((out.argmax(-1) == ref.argmax(-1)).double().mean())
            rec = dict(file=os.path.basename(path), precision="fp32", relative_error=err, top1_agreement=top1,
                       bound=BOUNDS["fp32"], checked_with="onnxruntime CPU", gate=write_gate(base, x64, ref, tmp),
                       **exporter)
            return checked(rec, tmp[path], name, fmt)
    else:
        dtype = torch.float16 if precision == "fp16" else torch.float32
        if precision == "fp16":
            m = ChannelsLastHalf(m.half().to(memory_format=torch.channels_last)).eval()
        tuning = None
        with torch.inference_mode(False), torch.no_grad():
            traced = torch.jit.trace(m, example32.to(dtype), check_trace=False)
            if fmt.startswith("opt-"):
                x = torch.rand((tune["batch"],) + size, device=device, dtype=dtype)
                traced, tuning = best_variant(traced, x, tune["seconds"], tune["energy"])
                print(f"{name:28s} {fmt:9s} {tuning['variant']} (by {tuning['chosen_by']}; batch {tuning['batch']}: img/s "
                      f"{json.dumps(tuning['img_per_s'])} J/img {json.dumps(tuning.get('j_per_img'))})", flush=True)
                del x
        path = base + "-" + fmt + ".pt"
        with written_whole(path) as tmp:  # checked before the rename: one that fails the check keeps the earlier file
            traced.save(tmp[path])
            loaded = torch.jit.load(tmp[path], map_location=device).eval()
            err, top1 = numerics(loaded, x64, ref, dtype, device)
            rec = dict(file=os.path.basename(path), precision=precision, relative_error=err, top1_agreement=top1,
                       bound=BOUNDS[precision], checked_with=str(device))
            if tuning:
                rec["tuning"] = tuning
            return checked(rec, tmp[path], name, fmt)


def checked(rec, tmp, name, fmt):
    """An artifact's numerics record rec with its verdict, size and SHA-256 (of tmp, the artifact under its temporary
    name), said in one line; Refused where it fails the bound."""
    rec["passed"] = rec["relative_error"] <= rec["bound"]
    rec["bytes"] = os.path.getsize(tmp)
    rec["sha256"] = sha256(tmp)
    print(f"{name:28s} {fmt:9s} rel.err {rec['relative_error']:.2e} (bound {rec['bound']:.0e}) top-1 "
          f"agree {rec['top1_agreement']:.3f} {'ok' if rec['passed'] else 'REFUSED'}", flush=True)
    if not rec["passed"]:
        raise Refused(rec)
    return rec


def main():
    p = options()
    a = p.parse_args()
    if a.device is None:
        a.device = "cuda" if torch.cuda.is_available() else "cpu"
    try:
        cuda = torch.device(a.device).type == "cuda"
    except RuntimeError as e:  # torch's "Expected one of cpu, cuda, ... device type at start of device string: ..."
        p.error(f"--device {a.device!r} is not a torch device ({first_line(e, 200)})")
    if a.check_batch < 1 or a.tune_batch < 1:
        p.error(f"--check-batch and --tune-batch must be >= 1 (got {a.check_batch}, {a.tune_batch})")
    if not 0 < a.tune_seconds < float("inf"):
        p.error(f"--tune-seconds must be a finite number > 0 (got {a.tune_seconds})")
    # a name given twice is exported (and tuned) once, in the order first given
    formats = ALL_FORMATS if a.formats is None else list(dict.fromkeys(f for f in a.formats.split(",") if f))
    bad = [f for f in formats if f not in ALL_FORMATS]
    if bad or not formats:
        p.error((f"--formats: unknown format {bad[0]!r}" if bad else "--formats names no format")
                + f"; accepted: {', '.join(ALL_FORMATS)}")
    half = [f for f in formats if f.endswith("fp16")]
    if a.formats is not None and half and not cuda:
        p.error(f"--formats {','.join(half)}: fp16 artifacts are exported and checked on a CUDA device, not --device "
                f"{a.device}")
    names = list(dict.fromkeys(n for n in a.models.split(",") if n))
    if not names:
        p.error("--models names no model")
    catalog = catalog_entries()
    if names == ["catalog"]:
        names = list(catalog)
        if not names:  # a tools/ copied without the suite's checkout: "catalog" must not export nothing and pass
            p.error(f"--models catalog: {os.path.normpath(CATALOG)} "
                    + ("names no model" if os.path.exists(CATALOG) else "is not there; name the models"))
    # after the other options (a wrong one is said as such wherever timm is missing too), before --out is made (a Python
    # without timm leaves no directory behind)
    try:
        import timm  # noqa: F401 (create imports it; a Python without it fails here, before any export)
    except ImportError:
        lacks("timm")
    # an --out that cannot hold the models' directories is said once, before any model is made, not once per model
    if os.path.exists(a.out) and not os.path.isdir(a.out):
        p.error(f"--out {a.out} is a file, not a models directory")
    try:
        os.makedirs(a.out, exist_ok=True)
    except OSError as e:  # a parent that is a file, or one that cannot be written
        p.error(f"--out {a.out} cannot be made ({e.strerror or e})")
    if not os.access(a.out, os.W_OK | os.X_OK):
        p.error(f"--out {a.out} cannot be written")
    # the suite runs with cuDNN's benchmark mode (ai.djl.pytorch.cudnn_benchmark=true): tune under the same algorithms
    torch.backends.cudnn.benchmark = True
    tune = dict(batch=a.tune_batch, seconds=a.tune_seconds,
                energy=energy_counter(a.device) if any(f.startswith("opt-") for f in formats) else None)
    failed = []
    started = time.perf_counter()
    for n in names:
        name, timm_id, size = resolve(n, catalog)
        print(f"{name}: start at {time.perf_counter() - started:.0f} s", flush=True)
        try:
            failed += export_one(name, timm_id, size, a.out, formats, a.device, a.seed, a.check_batch, tune)
        except Exception as e:  # a model that cannot be made (a timm id timm does not know) must not stop the others
            print(f"{name:28s} FAILED: {first_line(e)}", flush=True)
            failed.append(f"{name}: not exported: {first_line(e)}")
    if tune["energy"]:
        tune["energy"].stop()
    if failed:
        print("not exported, or refused by the numerics gate:\n  " + "\n  ".join(failed), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    # a kill (scancel, a job's time limit, kill PID) stops the export as Ctrl-C does: the file under way is removed under
    # its temporary name, where SIGTERM's default would end the process with that temporary left beside the artifacts
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        main()
    except KeyboardInterrupt:
        print("export_models.py: stopped; each artifact exported before is named in its model's record, the one under"
              " way is not written", file=sys.stderr)
        sys.exit(130)
