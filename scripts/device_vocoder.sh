#!/usr/bin/env bash
# On a lent GPU machine (device tool): the paper's GAN (MPD + MSD) for a vocoder, on a corpus packed by
# training.pack, warm-started from a shipped vocoder; generator snapshots come back through $OUT.
#   here:   python -m training.pack --corpus $S/corpus/joe --out .carry/joe --mib 48
#           bash scripts/device_wheels.sh
#   device: run(command="bash scripts/device_vocoder.sh .carry/joe 8", carry=[".carry", ".whl"], timeout_s=600)
# Arguments: corpus, minutes of training, then optional preset and --init (defaults: the sinc vocoder).
# DEVICE=cpu and OUT=/tmp/x run the same path here, for a dry run.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$1 minutes=$2
preset=${3:-nsf-istft-v3-sinc}
init=${4:-models/vocoders/$preset/vocoder.pt}
device=${DEVICE:-cuda}
: "${OUT:?set OUT to the folder that comes back}"
if [ -d .whl ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target /tmp/site .whl/*.whl
  export PYTHONPATH=/tmp/site:$PWD
fi
export PYTHONUNBUFFERED=1
[ "$device" = cuda ] && nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
ckpt=$(mktemp -d)
hours=$(python3 -c "print($minutes / 60)")
python3 -m training.train_vocoder --corpus "$corpus" --ckpt "$ckpt" --preset "$preset" --init "$init" \
  --gan paper --batch 16 --device "$device" --threads 8 --hours "$hours" \
  --save-every "${SAVE_EVERY:-500}" --keep-every "${SAVE_EVERY:-500}" --log-every 100 2>&1 | tee "$OUT/train.log"
# at most 8 files come back: the log and the last six generator snapshots (about 8 MB each)
ls "$ckpt"/gen_*.pt | sort -t_ -k2 -n | tail -6 | xargs -r -I{} cp {} "$OUT/"
ls -la "$OUT"
