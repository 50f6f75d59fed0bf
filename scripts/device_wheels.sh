#!/usr/bin/env bash
# Here, before a lent GPU machine (device tool) trains a vocoder: download into .whl/ the wheels that
# training.train_vocoder needs beyond that machine's image (Python 3.12 with torch, numpy, scipy, numba:
# librosa for the mel filterbank, soundfile for FLAC and their own needs). Carry .whl with the run.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf .whl && mkdir .whl
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 \
  --platform manylinux2014_x86_64 --platform manylinux1_x86_64 -d .whl \
  librosa==0.11.0 audioread soundfile soxr pooch platformdirs decorator cffi pycparser  # librosa as here
ls .whl
