#!/usr/bin/env bash
# JRE, the DJL JNI for this libtorch, resnet50 exports (fp32, fp16, onnx), and the TensorRT engines for batch
# ${ENGINE_BATCHES:-1 16 128} built at once into /tmp/trt-engines. JNI_BUILD is a command that leaves DJL 0.35.1's JNI,
# built against this machine's libtorch, at /tmp/jni/0.35.1-libdjl_torch.so (neither it nor its build is in this
# repository); it runs beside the exports and the engine builds.
set -u; cd "$(dirname "$0")/../.."
exec > >(tee "$OUT/prep.log") 2>&1
date -u +%Y%m%dT%H%M%SZ
nvidia-smi --query-gpu=name,uuid,driver_version,power.limit,temperature.gpu,clocks.sm --format=csv
[ -x /tmp/jre/bin/java ] || tar -xJf .device/jre.tar.xz -C /tmp; JAVA=/tmp/jre/bin/java
bash .device/trt/unstage.sh | tail -2  # unpacks the TensorRT parts once all are on this machine
[ -f /tmp/jni/0.35.1-libdjl_torch.so ] || { bash -c "$JNI_BUILD" > /tmp/jni-build.log 2>&1 & jpid=$!; }
export PYTHONUNBUFFERED=1
[ -f /tmp/models/resnet50/resnet50.onnx ] || (time python3 tools/export_models.py --models resnet50 --formats fp32,fp16,onnx --out /tmp/models) 2>&1 | tail -6
ls -la /tmp/models/resnet50
pids=""
for b in ${ENGINE_BATCHES:-1 16 128}; do
  ls /tmp/trt-engines 2>/dev/null | grep -q "^resnet50-b$b-[0-9a-f]*\.engine$" && continue
  timeout -k 10 330 $JAVA -Djmh.ignoreLock=true -Dgpuenergy.energy=off -Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib \
    -Dgpuenergy.tensorrt.cache=/tmp/trt-engines -jar .device/benchmarks.jar InferenceBenchmark.infer \
    -p model=resnet50 -p engine=tensorrt-fp16 -p batchSize=$b -wi 0 -i 1 -r 1s > /tmp/build-$b.log 2>&1 & pids="$pids $!"
done
[ -n "$pids" ] && wait $pids
[ -n "${jpid:-}" ] && wait $jpid
cat /tmp/jni-build.log 2>/dev/null
for b in ${ENGINE_BATCHES:-1 16 128}; do grep -E "gpu energy|tensorrt|engine|Error|error|infer " /tmp/build-$b.log 2>/dev/null | tail -6; done
ls -la /tmp/trt-engines
date -u +%Y%m%dT%H%M%SZ
