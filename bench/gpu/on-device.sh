#!/bin/bash
# Runs on the lent GPU machine, from the repository root (the device tool's working copy); see bench/gpu/README.md.
#   on-device.sh receive          keep the chunk(s) this call carried (bench/.work/gpu/chunks/b.*) in /tmp/asm
#   on-device.sh run [ARGS...]    receive, unpack node + onnxruntime-node + the CUDA provider once, and run the
#                                 device check with ARGS (e.g. --weights int4); results and log go to $OUT.
#                                 With PREBUILD=fp16 (say), a background process (its own session, so it outlives
#                                 this call while the machine stays warm) builds that weight kind's folder meanwhile.
set -euo pipefail
asm=/tmp/asm
repo=$(pwd)
mkdir -p "$asm"
cp bench/.work/gpu/chunks/b.* "$asm/" 2>/dev/null || true
if [ "${1:-run}" = receive ]; then
  ls -la "$asm"
  exit 0
fi
shift || true
out=${OUT:-$repo/bench/.work/gpu/out}
mkdir -p "$out"
if [ ! -x "$asm/dev/node" ]; then
  cat "$asm"/b.* > "$asm/b.tar.zst"
  if command -v zstd > /dev/null; then
    zstd -dq "$asm/b.tar.zst" -o "$asm/b.tar"
  else # the device machine has no zstd binary, but its Python has pyarrow
    python3 - "$asm/b.tar.zst" "$asm/b.tar" <<'PY'
import sys, pyarrow as pa
with pa.CompressedInputStream(pa.OSFile(sys.argv[1]), 'zstd') as src, open(sys.argv[2], 'wb') as dst:
    for block in iter(lambda: src.read(1 << 24), b''):
        dst.write(block)
PY
  fi
  mkdir -p "$asm/dev"
  tar -C "$asm/dev" -xf "$asm/b.tar"
  rm -f "$asm/b.tar" "$asm/b.tar.zst"
fi
export LD_LIBRARY_PATH=/usr/local/cuda-13.0/targets/x86_64-linux/lib:/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export NODE_PATH="$asm/dev/node_modules"
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || echo "no nvidia-smi"; } > "$out/gpu.txt"
if [ -n "${PREBUILD:-}" ]; then
  setsid nohup "$asm/dev/node" "$repo/bench/.work/gpu/device-check.cjs" "$@" --out "$asm/prebuild" --build-only \
    --weights "$PREBUILD" > "$asm/prebuild.log" 2>&1 < /dev/null &
fi
"$asm/dev/node" "$repo/bench/.work/gpu/device-check.cjs" --out "$out" "$@" 2>&1 | tee -a "$out/device-check.log"
