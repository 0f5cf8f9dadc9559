#!/usr/bin/env bash
# Device call: the suite's tensorrt-fp16 with the energy profiler (JMH's default iterations), the NVML counter read
# outside the JVM over the same run, then Python eager FP32 and FP16 references in the same call.
# Env: MODEL, BATCHES (comma list), REF_BATCHES, TAG; engines cached in /tmp/trt-engines by earlier calls.
set -u
cd "$(dirname "$0")/.."
mkdir -p "$OUT/$TAG"
exec > >(tee "$OUT/$TAG/call.log") 2>&1
date -u +%Y%m%dT%H%M%SZ
[ -x /tmp/jre/bin/java ] || tar -xJf .device/jre.tar.xz -C /tmp
JAVA=/tmp/jre/bin/java
nvidia-smi --query-gpu=name,uuid,driver_version,power.limit,temperature.gpu,clocks.sm --format=csv
[ -f /tmp/models/$MODEL/$MODEL.onnx ] || python3 tools/export_models.py --models $MODEL --formats onnx --out /tmp/models
ls -la /tmp/trt-engines
W=/tmp/work-$TAG; rm -rf $W; mkdir -p $W/trace
python3 .device/study/nvml_counter.py $W/outside-counter.csv & SAMPLER=$!
sleep 1
CMD=($JAVA -Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib -Dgpuenergy.tensorrt.cache=/tmp/trt-engines
  -jar .device/benchmarks.jar InferenceBenchmark.infer -p model=$MODEL -p engine=tensorrt-fp16 -p batchSize=$BATCHES
  -prof "energy:trace=$W/trace" -rf json -rff $W/suite.json)
echo "suite command: ${CMD[*]}"
timeout -k 10 ${JAVA_TIMEOUT:-330} "${CMD[@]}"
echo "suite rc=$?"
kill -TERM $SAMPLER; wait $SAMPLER
python3 .device/study/external_check.py $W/suite.json $W/trace $W/outside-counter.csv | tee $W/external-check.jsonl
REF=(python3 .device/python_eager_reference.py --models $MODEL --batches $REF_BATCHES --precisions fp32,fp16 --seconds 10 --out $W/reference.json)
echo "reference command: ${REF[*]}"
timeout -k 10 ${REF_TIMEOUT:-200} "${REF[@]}"
echo "reference rc=$?"
cp /tmp/models/$MODEL/$MODEL.json $W/export-record.json
(cd $W && tar czf "$OUT/$TAG/raw.tgz" .)
cp $W/suite.json $W/external-check.jsonl $W/reference.json "$OUT/$TAG/" 2>/dev/null
ls -la $W "$OUT/$TAG"
date -u +%Y%m%dT%H%M%SZ
