#!/usr/bin/env python3
"""Controls for the launch-bound jitter: img/s of ResNet-50 at batch 1 in Python eager (fp16 channels_last and the
traced TorchScript the suite loads), and a pure-CPU loop's rate, each over 1 s windows. Prints one JSON line per series.
Usage: python3 jitter_controls.py MODELS_DIR [WINDOWS]"""
import json, sys, time, statistics as st
import torch, timm
windows = int(sys.argv[2]) if len(sys.argv) > 2 else 15
torch.backends.cudnn.benchmark = True

def series(name, step, n=windows):
    end = time.perf_counter() + 1.0
    while time.perf_counter() < end: step()
    rates = []
    for _ in range(n):
        t0 = time.perf_counter(); k = 0
        while time.perf_counter() - t0 < 1.0:
            step(); k += 1
        rates.append(k / (time.perf_counter() - t0))
    print(json.dumps(dict(series=name, per_s=[round(r, 1) for r in rates], median=round(st.median(rates), 1),
                          cv=round(st.pstdev(rates) / st.mean(rates), 4))), flush=True)

def cpu_step():
    s = 0
    for i in range(20000): s += i * i
    return s

series("cpu-loop", cpu_step)
with torch.inference_mode():
    m = timm.create_model("resnet50", pretrained=False).eval().cuda().half().to(memory_format=torch.channels_last)
    x = torch.rand(1, 3, 224, 224, device="cuda", dtype=torch.float16).to(memory_format=torch.channels_last)
    series("eager-fp16-b1", lambda: (m(x), torch.cuda.synchronize()))
    ts = torch.jit.load(sys.argv[1] + "/resnet50/resnet50-fp16.pt").cuda().eval()
    xh = torch.rand(1, 3, 224, 224, device="cuda", dtype=torch.float16).to(memory_format=torch.channels_last)
    series("torchscript-fp16-b1", lambda: ts(xh).cpu())
series("cpu-loop-again", cpu_step)
