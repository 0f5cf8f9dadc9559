#!/usr/bin/env bash
# one call: the engines' state, issue 22's shard test, then issue 19's batch-128 overhead runs until the call's time is
# nearly spent (the overhead command resumes in the same directory); everything under /tmp/res, copied to $OUT
set -u; cd "$(dirname "$0")/.."; T0=$SECONDS; LIMIT=${LIMIT:-570}
mkdir -p /tmp/res; R=/tmp/res
{
date -u +%Y%m%dT%H%M%SZ
nvidia-smi --query-gpu=name,uuid,driver_version,power.limit,temperature.gpu,clocks.sm --format=csv
ls -la /tmp/trt-engines; for b in 1 16 128; do grep -E "tensorrt|engine|rror|infer " /tmp/build-$b.log | tail -4; done
[ -x /tmp/jre/bin/java ] || tar -xJf .device/jre.tar.xz -C /tmp
[ -f /tmp/models/resnet50/resnet50-fp16.pt ] || (. tools/gpu-env.sh .device/jni/0.35.1-libdjl_torch.so; python3 tools/export_models.py --models resnet50 --formats fp32,fp16 --out /tmp/models 2>&1 | tail -3)
JAVA=/tmp/jre/bin/java; . tools/gpu-env.sh
if [ "${SHARDS:-1}" = 1 ] && [ ! -f $R/shards/done ]; then
  mkdir -p $R/shards
  S=($JAVA -Dgpuenergy.models=/tmp/models -jar .device/benchmarks.jar sweep -p model=resnet50 -p engine=pytorch-fp32,pytorch-fp16
     --max-batch 2 --min-seconds 2 -wi 1 -w 1s -i 3 -prof "energy:settle=5")
  set -x
  timeout -k 5 120 "${S[@]}" --out $R/shards/whole
  timeout -k 5 75 "${S[@]}" --shard 1/2 --out $R/shards/parts/shard-1-of-2
  timeout -k 5 75 "${S[@]}" --shard 2/2 --out $R/shards/parts/shard-2-of-2
  $JAVA -jar .device/benchmarks.jar report $R/shards/whole --out $R/shards/report-whole
  $JAVA -jar .device/benchmarks.jar report $R/shards/parts --out $R/shards/report-parts
  $JAVA -jar .device/benchmarks.jar compare $R/shards/whole $R/shards/parts
  set +x; touch $R/shards/done
fi
J=($JAVA -Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib -Dgpuenergy.tensorrt.cache=/tmp/trt-engines
   -jar .device/benchmarks.jar overhead -p model=resnet50 -p engine=${ENGINES:-pytorch-fp32,pytorch-fp16,tensorrt-fp16})
V=(--variant off= --variant "lean=energy:sampling=lean;settle=5")
for part in ${PARTS:-b128 b1 b16}; do
  left=$((LIMIT - (SECONDS - T0))); [ $left -lt 30 ] && break
  set -x
  case $part in
    b128) timeout -k 5 $left "${J[@]}" -p batchSize=128 "${V[@]}" --variant "continuous=energy:sampling=continuous;settle=5" \
            --rounds 2 -wi 2 -w 1s -i 5 -r 1s --out $R/overhead/b128 ;;
    b1)   timeout -k 5 $left "${J[@]}" -p batchSize=1 "${V[@]}" --rounds 2 -wi 2 -w 1s -i 8 -r 1s --out $R/overhead/b1 ;;
    b16)  timeout -k 5 $left "${J[@]}" -p batchSize=16 "${V[@]}" --rounds 2 -wi 2 -w 1s -i 5 -r 1s --out $R/overhead/b16 ;;
  esac
  set +x
done
date -u +%Y%m%dT%H%M%SZ
} 2>&1 | tee -a $R/calls.log | tail -60
cp -r $R/. $OUT/
