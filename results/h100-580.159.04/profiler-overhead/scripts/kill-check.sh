#!/usr/bin/env bash
# kill -9 of the launcher while its JMH fork measures on the GPU (pytorch-fp16, the embedded model): how soon the fork
# has left the GPU (no compute process in nvidia-smi), whether the fork left an hs_err_pid*.log (a crash in native exit
# handlers), and what the killed run's result files hold. Four kills at random points of the measured iterations.
# usage: JNI_BUILD=<command> OUT=$OUT bash .device/kit/kill-check.sh (JNI_BUILD leaves DJL 0.35.1's JNI, built against this
#   machine's libtorch, at /tmp/jni/0.35.1-libdjl_torch.so; neither it nor its build is in this repository)
set -u
R=$(pwd)
exec > >(tee "$OUT/kill.log") 2>&1
date -u +%Y%m%dT%H%M%SZ
[ -x /tmp/jre/bin/java ] || tar -xJf .device/jre.tar.xz -C /tmp
[ -f /tmp/jni/0.35.1-libdjl_torch.so ] || bash -c "$JNI_BUILD" > /tmp/jni-build.log 2>&1; tail -2 /tmp/jni-build.log
JAVA=/tmp/jre/bin/java; set --; . tools/gpu-env.sh /tmp/jni/0.35.1-libdjl_torch.so
nvidia-smi --query-gpu=name,uuid,driver_version --format=csv,noheader
mkdir -p /tmp/k && cd /tmp/k
for i in 1 2 3 4; do
  $JAVA -jar "$R/.device/benchmarks.jar" -p engine=pytorch-fp16 -p batchSize=1 -p device=gpu -wi 1 -i 60 -r 1s \
    -rff /tmp/k/r$i.json > /tmp/k/run$i.log 2>&1 &
  p=$!
  for t in $(seq 200); do grep -q "^Iteration   2" /tmp/k/run$i.log && break; sleep 0.3; done
  sleep $((RANDOM % 3)).$((RANDOM % 10))
  nvidia-smi --query-compute-apps=pid,process_name --format=csv,noheader
  kill -9 $p; t0=$(date +%s%N)
  n=1; for t in $(seq 100); do n=$(nvidia-smi --query-compute-apps=pid --format=csv,noheader | grep -c .); [ "$n" -eq 0 ] && break; sleep 0.1; done
  echo "kill $i: compute processes left $n after $(( ($(date +%s%N) - t0) / 1000000 )) ms; hs_err files so far: $(ls /tmp/k/hs_err* 2>/dev/null | wc -l); last iteration: $(grep -E '^Iteration +[0-9]+' /tmp/k/run$i.log | tail -1)"
  sleep 1
done
ls -la /tmp/k
for f in /tmp/k/r*.json; do python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print(sys.argv[1], [ (e['params'].get('engine'), len(e['primaryMetric']['rawData'][0])) for e in j])" "$f"; done
cp /tmp/k/run*.log "$OUT/" 2>/dev/null; ls /tmp/k/hs_err* 2>/dev/null && head -30 /tmp/k/hs_err* | cut -c1-200
