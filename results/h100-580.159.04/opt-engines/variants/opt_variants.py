#!/usr/bin/env python3
"""Issue 8, why the frozen + optimized FP16 TorchScript is slower on some models: times the variants of one
traced FP16 channels_last module at one batch size, each pass alone, in the same process.

  plain        torch.jit.trace (the pytorch-fp16 artifact)
  freeze       torch.jit.freeze: folds batch norm into convolutions / linears, drops dropout
  freeze+ofi   freeze, then torch.jit.optimize_for_inference (the session-1 pytorch-opt-fp16 artifact)
  freeze+car   freeze, then only optimize_for_inference's CUDA pass: conv + add + relu -> cudnn fused op
  freeze+lt    freeze, then only its frozen-linear-transpose pass
  eager        the timm module itself (what the Python reference runs)

img/s from CUDA-synchronised wall time after a 1 s warm-up (the profiling executor specialises on the
second call); no energy (2 s windows are too short for the 100 ms NVML counter steps).
  python3 opt_variants.py --models resnet50,convnext_tiny --batch 128 --seconds 2 --out variants.jsonl
"""
import argparse, json, time
import torch, timm


class ChannelsLastHalf(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x.contiguous(memory_format=torch.channels_last))


def throughput(fn, x, seconds):
    with torch.no_grad():
        until = time.perf_counter() + 1.0
        while time.perf_counter() < until:
            fn(x); torch.cuda.synchronize()
        start, n = time.perf_counter(), 0
        while time.perf_counter() - start < seconds or n < 13:
            fn(x); torch.cuda.synchronize(); n += 1
        return n * x.shape[0] / (time.perf_counter() - start)


def variants(eager, x):
    with torch.no_grad():
        traced = torch.jit.trace(eager, x, check_trace=False)
    yield "plain", traced
    frozen = lambda: torch.jit.freeze(torch.jit.trace(eager, x, check_trace=False).eval())
    yield "freeze", frozen()
    yield "freeze+ofi", torch.jit.optimize_for_inference(frozen())
    f = frozen(); torch._C._jit_pass_fuse_frozen_conv_add_relu(f.graph); yield "freeze+car", f
    f = frozen(); torch._C._jit_pass_transpose_frozen_linear(f.graph); yield "freeze+lt", f
    yield "eager", eager


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--models", required=True)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--seconds", type=float, default=2.0)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    torch.backends.cudnn.benchmark = True
    with open(a.out, "a") as out:
        for name in a.models.split(","):
            eager = ChannelsLastHalf(timm.create_model(name, pretrained=False).eval().cuda().half()
                                     .to(memory_format=torch.channels_last)).eval()
            size = eager.model.pretrained_cfg.get("input_size", (3, 224, 224))
            x = torch.rand((a.batch,) + tuple(size), device="cuda", dtype=torch.float16)
            row = dict(model=name, batch=a.batch, torch=torch.__version__)
            with torch.no_grad():
                ref = eager(x).float()
            for label, fn in variants(eager, x):
                try:
                    row[label] = round(throughput(fn, x, a.seconds), 1)
                    with torch.no_grad():
                        out_ = fn(x).float()
                    row[label + ".rel_diff"] = float((out_ - ref).norm() / ref.norm())
                except Exception as e:
                    row[label] = None; row[label + ".error"] = f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
                if hasattr(fn, "graph_for"):
                    try:
                        g = str(fn.graph_for(x))
                        row[label + ".fusion_groups"] = g.count("prim::TensorExprGroup") + g.count("prim::CudaFusionGroup")
                        row[label + ".cudnn_conv_add_relu"] = g.count("cudnn_convolution_add_relu") + g.count("cudnn_convolution_relu")
                    except Exception:
                        pass
                torch.cuda.empty_cache()
            print(json.dumps(row), flush=True); out.write(json.dumps(row) + "\n")
            del eager; torch.cuda.empty_cache()


if __name__ == "__main__":
    main()
