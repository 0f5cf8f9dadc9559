#!/usr/bin/env bash
# The embedded model on the CPU, pytorch-fp32 batch 1: glibc malloc's own thresholds against the suite's fixed ones.
# From the repository root, after mvn package: bash results/cpu-build-machine/malloc/run.sh > results/cpu-build-machine/malloc/console.log 2>&1
# Writes into results/cpu-build-machine/malloc/ (step 3 its own console too, probe-console.log).
set -eu
D=results/cpu-build-machine/malloc
# 1. engine sessions reopened inside each of six JVMs, one JVM after another, without and with the fixed thresholds
JVMS=6 SESSIONS=3 WARMUP_S=2 ITERATIONS=4 JAVA_OPTS=-Dgpuenergy.malloc=default bash $D/scripts/reopen.sh $D/reopen-glibc.tsv
JVMS=6 SESSIONS=3 WARMUP_S=2 ITERATIONS=4 bash $D/scripts/reopen.sh $D/reopen-fixed.tsv
# with glibc's thresholds: one session for 24 s in each of three JVMs; three sessions open at once in each of three JVMs
JVMS=3 SESSIONS=1 WARMUP_S=2 ITERATIONS=24 JAVA_OPTS=-Dgpuenergy.malloc=default bash $D/scripts/reopen.sh $D/reopen-glibc-long.tsv
JVMS=3 SESSIONS=3 WARMUP_S=2 ITERATIONS=4 MODE=overlap JAVA_OPTS=-Dgpuenergy.malloc=default bash $D/scripts/reopen.sh $D/reopen-glibc-overlap.tsv
# with the fixed thresholds, the machine's own pace timed on the same thread before each iteration
JVMS=6 SESSIONS=2 WARMUP_S=2 ITERATIONS=4 CALIBRATE=1 bash $D/scripts/reopen.sh $D/reopen-fixed-calibrated.tsv
# the same with 32 x 32 images (the host's per-operator dispatch most of a batch's time), then both sizes JVM by JVM
JVMS=6 SESSIONS=2 WARMUP_S=2 ITERATIONS=4 CALIBRATE=1 JAVA_OPTS=-Dreopen.shape=3,32,32 bash $D/scripts/reopen.sh $D/reopen-fixed-32px-calibrated.tsv
bash $D/scripts/interleaved.sh $D/reopen-fixed-interleaved 6
# the CPU each iteration's thread last ran on, recorded too (10 JVMs)
JVMS=10 SESSIONS=2 WARMUP_S=2 ITERATIONS=4 CALIBRATE=1 bash $D/scripts/reopen.sh $D/reopen-fixed-cpu.tsv
(cd $D && python3 scripts/reopen_figures.py reopen-glibc.tsv reopen-fixed.tsv reopen-glibc-long.tsv reopen-glibc-overlap.tsv \
  reopen-fixed-calibrated.tsv reopen-fixed-32px-calibrated.tsv reopen-fixed-interleaved-224px.tsv \
  reopen-fixed-interleaved-32px.tsv reopen-fixed-cpu.tsv > reopen_figures.txt)
# 2. the suite itself, both in interleaved rounds, with the scheduling profiler's figures (minor faults per batch)
java -jar benchmarks/target/benchmarks.jar overhead -p engine=pytorch-fp32 -p batchSize=1 --variant "fixed=-prof sched" \
  --variant "glibc=-prof sched -jvmArgsAppend -Dgpuenergy.malloc=default" --rounds 6 -wi 2 -w 1s -i 6 -r 1s --out $D/overhead
python3 results/h200-580.159.04/profiler-overhead/scripts/run_figures.py $D/overhead sched.minor-faults/op \
  sched.worker-cpu-% sched.worker-wait-% sched.process-CPUs sched.steal-% > $D/run_figures.tsv
# 3. the suite as it is now (fixed thresholds), two identical variants in five interleaved rounds, with the probe of the
#    host's own speed: does a run's pace follow it?
java -jar benchmarks/target/benchmarks.jar overhead -p engine=pytorch-fp32 -p batchSize=1 --variant "a=-prof sched:probe=true" \
  --variant "b=-prof sched:probe=true" --rounds 5 -wi 2 -w 1s -i 6 -r 1s --out $D/probe 2>&1 | tee $D/probe-console.log
python3 results/h200-580.159.04/profiler-overhead/scripts/run_figures.py $D/probe sched.probe-chain-ns/step \
  sched.probe-sweep-GB/s sched.minor-faults/op sched.worker-cpu-% sched.worker-wait-% > $D/probe_figures.tsv
