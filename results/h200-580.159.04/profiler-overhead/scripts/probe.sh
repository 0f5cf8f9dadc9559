#!/usr/bin/env bash
# The measuring part of the probe calls, as run on the GPU machine from the repository root (the scripts were run
# from a copy in .device/). Needs a JRE in /tmp/jre, a benchmarks.jar built with -Dexternal-libtorch (commit 97abd40),
# and DJL 0.35.1's pytorch JNI built against the machine's libtorch 2.11 (not part of this repository), given as JNI.
set -u
nvidia-smi --query-gpu=name,uuid,driver_version,power.limit,temperature.gpu,clocks.sm --format=csv
nproc; lscpu | grep -E "Model name|Socket|NUMA|Thread|MHz"
python3 scripts/nvml_timing.py                                   # the cost of each NVML read
python3 tools/export_models.py --models resnet50 --formats fp32,fp16 --out /tmp/models
. tools/gpu-env.sh "$JNI"
JAVA=/tmp/jre/bin/java
mkdir -p $OUT/pre
run() { tag=$1; shift; echo "== $tag"; timeout -k 5 120 "$@" -jar benchmarks.jar InferenceBenchmark.infer -p model=resnet50 \
  -p engine=pytorch-fp16 -p batchSize=1 -wi 3 -w 1s -i 15 -r 1s -prof gc $PROF -rf json -rff $OUT/pre/$tag.json ; }
PROF="";                     run off        $JAVA -Dgpuenergy.models=/tmp/models
PROF="-prof energy:idle=0";  run cont       $JAVA -Dgpuenergy.models=/tmp/models
PROF="";                     run off-pinned taskset -c 0-3 $JAVA -Dgpuenergy.models=/tmp/models
PROF="";                     run off-2      $JAVA -Dgpuenergy.models=/tmp/models
