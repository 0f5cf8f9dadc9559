#!/usr/bin/env bash
# after the TensorRT parts: JRE, the DJL JNI for this libtorch, resnet50 exports (fp32, fp16, onnx), and the three
# TensorRT engines (batch ${ENGINE_BATCHES:-1 4 16}) built at once into /tmp/trt-engines
set -u; cd "$(dirname "$0")/../.."
exec > >(tee "$OUT/prep.log") 2>&1
date -u +%Y%m%dT%H%M%SZ
nvidia-smi --query-gpu=name,uuid,driver_version,power.limit,temperature.gpu,clocks.sm --format=csv
[ -x /tmp/jre/bin/java ] || tar -xJf .device/jre.tar.xz -C /tmp; JAVA=/tmp/jre/bin/java
bash .device/kit/unstage.sh | tail -2
. tools/gpu-env.sh .device/jni/0.35.1-libdjl_torch.so
export PYTHONUNBUFFERED=1
[ -f /tmp/models/resnet50/resnet50.onnx ] || (time python3 tools/export_models.py --models resnet50 --formats fp32,fp16,onnx --out /tmp/models) 2>&1 | tail -6
ls -la /tmp/models/resnet50
for b in ${ENGINE_BATCHES:-1 4 16}; do
  timeout -k 10 300 $JAVA -Djmh.ignoreLock=true -Dgpuenergy.energy=off -Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib \
    -Dgpuenergy.tensorrt.cache=/tmp/trt-engines -jar .device/benchmarks.jar InferenceBenchmark.infer \
    -p model=resnet50 -p engine=tensorrt-fp16 -p batchSize=$b -wi 0 -i 1 -r 1s > /tmp/build-$b.log 2>&1 & pids="${pids:-} $!"
done
wait $pids  # a bare wait also waits for the tee above, which never ends
for b in ${ENGINE_BATCHES:-1 4 16}; do grep -E "gpu energy|tensorrt|engine|Error|error|infer " /tmp/build-$b.log | tail -6; done
ls -la /tmp/trt-engines
date -u +%Y%m%dT%H%M%SZ
