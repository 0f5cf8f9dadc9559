#!/usr/bin/env bash
# The embedded model on the CPU, pytorch-fp32 batch 1, 4 interleaved rounds of two variants with -prof sched, gc, comp:
# the JVM as it is, and pinned by taskset to CPU 1 (a -jvm wrapper). From the repository root, after mvn package.
set -eu
printf '#!/bin/sh\nexec taskset -c 1 java "$@"\n' > /tmp/pinned-java; chmod +x /tmp/pinned-java
P="-prof sched -prof gc -prof comp"
java -jar benchmarks/target/benchmarks.jar overhead -p engine=pytorch-fp32 -p batchSize=1 --variant "base=$P" \
  --variant "pinned=-jvm /tmp/pinned-java $P" --rounds 4 -wi 2 -w 1s -i 6 -r 1s --out results/cpu-build-machine/run-to-run/overhead
python3 results/h200-580.159.04/profiler-overhead/scripts/run_figures.py results/cpu-build-machine/run-to-run/overhead \
  sched.worker-cpu-% sched.worker-wait-% sched.worker-preempted/s sched.worker-migrated/s sched.process-CPUs \
  sched.host-busy-% sched.steal-% gc.alloc.rate.norm compiler.time.profiled > results/cpu-build-machine/run-to-run/run_figures.tsv
