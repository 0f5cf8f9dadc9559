#!/usr/bin/env bash
# The study's report from everything measured so far: the sweep and every call's Python references (eager and
# TorchScript). Run from the repository root after `mvn -B package`; regenerated whenever the sweep grows.
#   bash results/h100-580.159.04/study/report.sh
set -euo pipefail
shopt -s nullglob
here=results/h100-580.159.04/study
refs=()
for f in "$here"/calls/*/python-eager-*.json "$here"/calls/*/python-torchscript-*.json; do refs+=(--reference "$f"); done
# into a new directory first: a failing report leaves the committed one as it was
rm -rf "$here/report.new"
# other-board/ first: of a configuration measured twice (again on its references' board, for the validation), the
# report plots the file given first, the one on the board of its ladder's neighbours, so that the best batch is not
# picked across boards (which differ by up to ~7 % in J/img); the validation pairs each reference with its own board's
java -jar benchmarks/target/benchmarks.jar report "$here"/other-board/*.json "$here"/sweep/*.json "${refs[@]}" --out "$here/report.new"
rm -rf "$here/report" && mv "$here/report.new" "$here/report"
