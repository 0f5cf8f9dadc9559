#!/usr/bin/env bash
# Picks the b1pt.sh design by the board the call got: on an H200, PyTorch fp32 and fp16 inside the same runs at batch 1
# and 16, rounds alternating; on another board, batch 16 for pytorch-fp32 and pytorch-fp16 (the launch-bound
# configurations nearest a +-1 % decision over the pooled H100 runs).
# usage: JNI_BUILD=<command> OUT=$OUT bash .device/kit/auto.sh 560
name=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)
echo "board: $name"
if [[ "$name" == *H200* ]]; then
  ENGINES=pytorch-fp32,pytorch-fp16 B16=1 B16_ENGINES=pytorch-fp32,pytorch-fp16 B1_MIN=65 B16_MIN=65 CONT=0 \
    exec bash .device/kit/b1pt.sh "$@"
else
  ENGINES=none B16=1 B16_ENGINES=pytorch-fp32,pytorch-fp16 B16_MIN=65 CONT=0 exec bash .device/kit/b1pt.sh "$@"
fi
