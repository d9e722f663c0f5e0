#!/bin/bash
# Runs on the lent GPU machine, from the repository root (the device tool's working copy); see bench/gpu/README.md.
#   on-device.sh receive          keep what this call carried (chunks bench/.work/gpu/chunks/b.NN, chunks.sha256)
#                                 in /tmp/asm
#   on-device.sh run [ARGS...]    receive, check the chunks, unpack node + onnxruntime-node + the CUDA provider once,
#                                 and run the device check with ARGS (e.g. --weights int4); results and logs go to
#                                 $OUT. With PREBUILD=fp16 (say), a background process (its own session, so it
#                                 outlives this call while the machine stays warm) builds that weight kind's folder
#                                 meanwhile, with the same ARGS otherwise (so the same folder name).
set -euo pipefail
asm=/tmp/asm
repo=$(pwd)
mode=${1:-}
case "$mode" in
  receive | run) shift ;;
  *)
    echo "usage: on-device.sh receive | run [device-check arguments]" >&2
    exit 2
    ;;
esac
mkdir -p "$asm"
for carried in bench/.work/gpu/chunks/b.[0-9][0-9] bench/.work/gpu/chunks.sha256; do
  if [ -e "$carried" ]; then cp "$carried" "$asm/"; fi
done
if [ "$mode" = receive ]; then
  ls -la "$asm"
  exit 0
fi
out=${OUT:-$repo/bench/.work/gpu/out}
mkdir -p "$out"
if [ ! -x "$asm/dev/node" ]; then
  if ! (cd "$asm" && sha256sum --quiet -c chunks.sha256); then
    echo "a chunk is missing or damaged in $asm (a fresh machine keeps none): receive b.00, b.01 and b.02 again" >&2
    exit 1
  fi
  rm -f "$asm/bundle.tar.zst" "$asm/bundle.tar"
  cat "$asm"/b.[0-9][0-9] > "$asm/bundle.tar.zst"
  if command -v zstd > /dev/null; then
    zstd -dq "$asm/bundle.tar.zst" -o "$asm/bundle.tar"
  else # the device machine has no zstd binary, but its Python has pyarrow
    python3 - "$asm/bundle.tar.zst" "$asm/bundle.tar" <<'PY'
import sys, pyarrow as pa
with pa.CompressedInputStream(pa.OSFile(sys.argv[1]), 'zstd') as src, open(sys.argv[2], 'wb') as dst:
    for block in iter(lambda: src.read(1 << 24), b''):
        dst.write(block)
PY
  fi
  mkdir -p "$asm/dev"
  tar -C "$asm/dev" -xf "$asm/bundle.tar"
  rm -f "$asm/bundle.tar" "$asm/bundle.tar.zst"
fi
export LD_LIBRARY_PATH=/usr/local/cuda-13.0/targets/x86_64-linux/lib:/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export NODE_PATH="$asm/dev/node_modules"
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "no nvidia-smi"; } > "$out/gpu.txt"
if [ -n "${PREBUILD:-}" ]; then
  setsid nohup "$asm/dev/node" "$repo/bench/.work/gpu/device-check.cjs" "$@" --out "$asm/prebuild" --build-only \
    --weights "$PREBUILD" > "$asm/prebuild.log" 2>&1 < /dev/null &
fi
status=0
"$asm/dev/node" "$repo/bench/.work/gpu/device-check.cjs" --out "$out" "$@" 2>&1 | tee -a "$out/device-check.log" || status=$?
# a background build's log, for its reason when it failed
if [ -f "$asm/prebuild.log" ]; then cp "$asm/prebuild.log" "$out/"; fi
exit "$status"
