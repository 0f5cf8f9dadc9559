#!/usr/bin/env python3
"""Reads the GPU's NVML total-energy counter outside the JVM: every change of its value, stamped with
CLOCK_MONOTONIC (time.monotonic_ns, the clock of the JVM's System.nanoTime on Linux, which the energy profiler's
trace windows use), polled every 0.5 ms until SIGTERM or SIGINT. CSV: t_ns,energy_mj.
Usage: python3 nvml_counter.py OUT.csv [NVML_INDEX]"""
import signal
import sys
import time

import pynvml as nvml


def main():
    out, index = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0
    nvml.nvmlInit()
    h = nvml.nvmlDeviceGetHandleByIndex(index)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    rows, last = [], None
    while not stop:
        t = time.monotonic_ns()
        e = nvml.nvmlDeviceGetTotalEnergyConsumption(h)
        if e != last:
            rows.append((t, e))
            last = e
        time.sleep(0.0005)
    with open(out, "w") as f:
        f.write(f"# gpu={nvml.nvmlDeviceGetName(h)} uuid={nvml.nvmlDeviceGetUUID(h)} index={index}\nt_ns,energy_mj\n")
        f.writelines(f"{t},{e}\n" for t, e in rows)


if __name__ == "__main__":
    main()
