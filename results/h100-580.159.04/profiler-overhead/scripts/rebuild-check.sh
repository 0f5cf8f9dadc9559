#!/usr/bin/env bash
# A cached engine whose checksum holds but which TensorRT refuses (its first 64 bytes zeroed, the SHA-256 line
# rewritten to match) is rebuilt under -XX:MaxDirectMemorySize of 1.5 engines: the refused engine's buffer must be
# dropped before the rebuilt one is read (commit 7431270). Then the rebuilt engine is loaded under the same limit.
set -u
JAVA=/tmp/jre/bin/java
src=$(ls /tmp/trt-engines/resnet50-b1-*.engine | head -1)
rm -rf /tmp/trt-bad; mkdir -p /tmp/trt-bad
cp "$src" /tmp/trt-bad/
f=/tmp/trt-bad/$(basename "$src")
python3 - "$f" <<'EOF'
import sys, hashlib
p = sys.argv[1]; b = open(p, 'rb').read()
lines = []; pos = 0
for i in range(4):
    j = b.index(b'\n', pos); lines.append(b[pos:j]); pos = j + 1
eng = bytearray(b[pos:]); eng[0:64] = bytes(64)
print("header:", lines[0].decode(), "| old sha", lines[3].decode()[:16], "| engine bytes", len(eng))
lines[3] = hashlib.sha256(eng).hexdigest().encode()
open(p, 'wb').write(b'\n'.join(lines) + b'\n' + bytes(eng))
EOF
size=$(stat -c %s "$f")
lim=$(( size * 3 / 2 / 1048576 ))m
echo "file $f: $size bytes; -XX:MaxDirectMemorySize=$lim"
for pass in refused reload; do
  echo "--- $pass $(date -u +%H:%M:%S)"
  $JAVA -Djmh.ignoreLock=true -Dgpuenergy.energy=off -Dgpuenergy.models=/tmp/models -Dgpuenergy.tensorrt.lib=/tmp/trt/lib \
    -Dgpuenergy.tensorrt.cache=/tmp/trt-bad -jar .device/benchmarks.jar InferenceBenchmark.infer -p model=resnet50 \
    -p engine=tensorrt-fp16 -p batchSize=1 -wi 0 -i 1 -r 1s -jvmArgsAppend "-XX:MaxDirectMemorySize=$lim" \
    -rf json -rff /tmp/go/rebuild-$pass.json 2>&1 | grep -vE '^# (Warmup|Measurement|Timeout|Threads|Benchmark mode|VM |JMH|Blackhole|Run progress|Fork)' | tail -40
  echo "$pass exit ${PIPESTATUS[0]} $(date -u +%H:%M:%S)"
  ls -la /tmp/trt-bad
done
