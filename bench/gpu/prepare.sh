#!/bin/bash
# Prepares the GPU device check on this machine: bundles bench/gpu/device-check.ts into one CommonJS file and packs
# node + onnxruntime-node 1.29.0 + the CUDA 13 execution provider into ≤ 60 MiB chunks (../shared/gpu/make-bundle.sh),
# all under bench/.work/gpu (ignored by git; each device call carries one chunk). See bench/gpu/README.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/bench/.work/gpu"
cd "$root"
rm -rf "$out"
mkdir -p "$out"
npx esbuild bench/gpu/device-check.ts --bundle --platform=node --target=node20 --format=cjs \
  --external:onnxruntime-node --outfile="$out/device-check.cjs" --log-level=warning
bash "$root/../shared/gpu/make-bundle.sh" "$root" "$out/chunks"
# 56 MiB, not make-bundle's 60: a call carries 64 MiB in all, the working tree and device-check.cjs included
cat "$out"/chunks/b.* > "$out/b.tar.zst"
rm "$out"/chunks/b.*
split -b 56m -d "$out/b.tar.zst" "$out/chunks/b."
rm "$out/b.tar.zst"
# checked on the device before unpacking: a chunk lost with a replaced machine is named, not a zstd error
(cd "$out/chunks" && sha256sum b.[0-9][0-9]) > "$out/chunks.sha256"
ls -la "$out" "$out/chunks"
