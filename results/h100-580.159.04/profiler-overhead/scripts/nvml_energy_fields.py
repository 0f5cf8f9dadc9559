#!/usr/bin/env python3
"""The energy counter read as NVML field values 83 (NVML_FI_DEV_TOTAL_ENERGY_CONSUMPTION) and 191: whether they hold
what nvmlDeviceGetTotalEnergyConsumption returns, and what one read costs (wall and CPU ms), beside the function's own."""
import json, time
import pynvml as nvml
nvml.nvmlInit(); h = nvml.nvmlDeviceGetHandleByIndex(0)

def bench(name, f, n=200):
    c0 = time.process_time(); t0 = time.perf_counter()
    for _ in range(n): f()
    t1 = time.perf_counter(); c1 = time.process_time()
    print(json.dumps({"call": name, "n": n, "wall_ms_per_call": round((t1-t0)/n*1e3, 4), "cpu_ms_per_call": round((c1-c0)/n*1e3, 4)}))

def field(fid):
    v = nvml.nvmlDeviceGetFieldValues(h, [fid])[0]
    if v.nvmlReturn != 0: raise RuntimeError(f"field {fid}: nvmlReturn {v.nvmlReturn}")
    return v.value.ullVal

bench("energy", lambda: nvml.nvmlDeviceGetTotalEnergyConsumption(h))
for fid in (83, 191):
    try:
        a = nvml.nvmlDeviceGetTotalEnergyConsumption(h); b = field(fid); c = nvml.nvmlDeviceGetTotalEnergyConsumption(h)
        print(json.dumps({"field": fid, "function_before_mj": a, "field_mj": b, "function_after_mj": c}))
        bench(f"field{fid}", lambda: field(fid))
    except Exception as e:
        print(json.dumps({"field": fid, "error": str(e)}))
