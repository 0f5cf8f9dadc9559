#!/usr/bin/env bash
# One-off checks on the GPU machine before a study call (run from the repository root, OUT set):
#  1. the Python reference's profiled window (gpu_kernel_ms_per_batch, after each energy window): ResNet-50 FP16,
#     5 s windows. Batch-1 windows after a profiled window against batch-1 windows of a run without any say whether
#     the profiler left a cost behind (CUPTI attached); at batch 128 the busy fraction (ms / 1000 x img/s / batch)
#     should be near 1 (well under 1 would also mean kernels the profiler missed).
# Ran once, first in call 20261123T023629Z (session 5; activation_sizes.py then had no convolution keys).
#  2. activation_sizes.py over the catalog with this machine's torch and timm (the committed run used
#     torch 1.13 on a CPU-only machine): the batch at which each model's largest activation passes 2^31 elements.
set -uo pipefail
export PYTHONUNBUFFERED=1
# batch 1 three times with the profiled window after each (windows 2 and 3 follow one), then three times without
# any (--no-kernel-time): launch-bound batch-1 throughput varies between seconds, so three windows each side
timeout 150 python3 results/h100-580.159.04/python_eager_reference.py --models resnet50 --batches 1,1,1,128 \
  --precisions fp16 --seconds 5 --out "$OUT/kernel-time-check.json" 2>&1 | grep -v Warning | tee "$OUT/checks.log"
timeout 120 python3 results/h100-580.159.04/python_eager_reference.py --models resnet50 --batches 1,1,1 \
  --precisions fp16 --seconds 5 --no-kernel-time --out "$OUT/no-kernel-time-check.json" 2>&1 | grep -v Warning | tee -a "$OUT/checks.log"
python3 - "$OUT/kernel-time-check.json" "$OUT/no-kernel-time-check.json" <<'PY' | tee -a "$OUT/checks.log"
import json, sys
for f in sys.argv[1:]:
    for r in json.load(open(f))["results"]:
        if "error" in r:
            print(f, r); continue
        ms = r.get("gpu_kernel_ms_per_batch")
        busy = f"{ms / 1000 * r['img_per_s'] / r['batch']:.3f}" if ms else "n/a"
        print(f"{f.rsplit('/', 1)[-1]} batch {r['batch']}: {r['img_per_s']:.0f} img/s, {r['j_per_img']:.4g} J/img, "
              f"kernel {ms} ms/batch, busy {busy}")
PY
{ time timeout 240 python3 results/h100-580.159.04/study/activation_sizes.py > "$OUT/activation_sizes.jsonl"; } 2>&1 | tee -a "$OUT/checks.log"
