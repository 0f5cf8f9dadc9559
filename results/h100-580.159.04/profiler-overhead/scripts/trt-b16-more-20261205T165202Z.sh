#!/usr/bin/env bash
# Run from the repository root on the GPU machine, warm after go-20261205T165202Z.sh (JRE, JNI, models and TensorRT
# engines in /tmp): six more interleaved rounds of tensorrt-fp16 batch 16, no profiler against sampling=ends, into
# their own directory. The device call's command line, as run:
set --; . tools/gpu-env.sh >/dev/null 2>&1; cd /tmp && timeout -k 5 270 /tmp/jre/bin/java -Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib -Dgpuenergy.tensorrt.cache=/tmp/trt-engines -jar $OLDPWD/.device/benchmarks.jar overhead -p model=resnet50 -p engine=tensorrt-fp16 -p batchSize=16 --variant off= --variant "ends=energy:sampling=ends;settle=5" --rounds 6 -wi 2 -w 1s -i 8 -r 1s --out /tmp/overhead/trt-b16-more > /tmp/go/trt-b16-more.log 2>&1; echo rc $?; grep -E "^\[overhead\]" /tmp/go/trt-b16-more.log | tail -5; tar -C /tmp -czf $OUT/more.tgz overhead/trt-b16-more go/trt-b16-more.log
