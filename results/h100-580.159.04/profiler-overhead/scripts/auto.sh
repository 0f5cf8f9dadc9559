#!/usr/bin/env bash
# Picks the b1pt.sh design by the board the call got: on an H200, PyTorch inside the same runs at batch 1 (fp32, fp16)
# and 16 (fp16); on another board, pytorch-fp16 at batch 1 with ends and continuous in the same rounds.
# usage: JNI_BUILD=<command> OUT=$OUT bash .device/kit/auto.sh 560
name=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)
echo "board: $name"
if [[ "$name" == *H200* ]]; then
  ENGINES=pytorch-fp32,pytorch-fp16 B16=1 B1_MIN=65 CONT=0 exec bash .device/kit/b1pt.sh "$@"
else
  ENGINES=pytorch-fp16 B16=0 B1_MIN=75 CONT=1 exec bash .device/kit/b1pt.sh "$@"
fi
