#!/usr/bin/env bash
# On a lent GPU machine (device tool): the stage timings, a burst's timeline and the latency benchmark on torch
# CUDA (one and two inference threads), then onnxruntime on that machine's CPU cores, the peer measured in the
# same run. Results (8 files at most) come back through $OUT.
#   here:   bash scripts/device_site.sh      (the engine's packages missing there, into .carry/)
#   device: run(command="bash scripts/device_latency.sh", carry=[".carry"], timeout_s=480)
# The call carries at most 64 MiB: move models/rms and the vocoders joe does not use out of the tree for it.
# DEVICE=cpu PY=.venv/bin/python OUT=/tmp/x run the same path here, for a dry run.
set -uo pipefail
cd "$(dirname "$0")/.."
: "${OUT:?set OUT to the folder that comes back}"
device=${DEVICE:-cuda} py=${PY:-python3} quick=${QUICK:-} conc=${CONC:-1 4 8 16 64}
if [ -f .carry/site312.tar.xz ] && [ "$device" = cuda ]; then
  mkdir -p /tmp/site && tar -xJf .carry/site312.tar.xz -C /tmp/site
  export PYTHONPATH=/tmp/site:$PWD
else
  export PYTHONPATH=$PWD
fi
export PYTHONUNBUFFERED=1
[ "$device" = cuda ] && nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv,noheader
$py -c "import torch, onnxruntime; print('torch', torch.__version__, torch.cuda.is_available(), 'ort', onnxruntime.__version__, onnxruntime.get_available_providers())"
step() {  # name, seconds, command...: one step's failure or overrun does not stop the others
  local name=$1 limit=$2; shift 2
  echo "== $name"; timeout "$limit" "$@" > "$OUT/$name.log" 2>&1; echo "(exit $?)" >> "$OUT/$name.log"
  tail -40 "$OUT/$name.log"
}
reps=${quick:+3}
step stages-$device 120 $py -m benchmarks.stages --backend torch --device "$device" --repeats "${reps:-10}" --out "$OUT"
# device=cuda defaults to max_batch 64 and 2 inference workers (app/settings.py); trace and the first latency
# run pin one worker, as measured before those defaults, so runs stay comparable
export TTS_INFERENCE_WORKERS=1
step trace-$device 60 $py -m benchmarks.trace --backend torch --device "$device" --streams 8
step latency-torch-$device 240 $py -m benchmarks.latency --backend torch --device "$device" \
  --concurrency $conc --requests "${quick:-16}" --repeats "${reps:-9}" --probes "${quick:-10}" --no-piper \
  --out "$OUT/torch-$device"
# two inference threads: a second batch (the acoustic pass beside a vocoder window) starts while one runs
TTS_INFERENCE_WORKERS=2 step latency-torch-$device-2workers 150 $py -m benchmarks.latency --backend torch \
  --device "$device" --concurrency 1 8 64 --requests "${quick:-16}" --repeats "${reps:-5}" --probes 0 --no-piper \
  --out /tmp/bench-2workers
unset TTS_INFERENCE_WORKERS
# the peer in the same run: onnxruntime on this machine's CPU cores (only the log comes back: 8 files at most)
step latency-onnx-cpu 120 $py -m benchmarks.latency --backend onnx --device cpu --concurrency 1 8 \
  --requests "${quick:-8}" --repeats "${reps:-5}" --probes 0 --no-piper --out /tmp/bench-onnx-cpu
ls -la "$OUT" "$OUT"/*/
