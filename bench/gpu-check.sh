#!/usr/bin/env bash
# The CUDA check of issue #20, prepared for a fresh CUDA machine: Node >= 20,
# g++, this repository with its node_modules (npm ci), and Python's torch with
# CUDA (pip install torch). scripts/libtorch-config.mjs finds that torch.
#   bash bench/gpu-check.sh        (about 6 to 8 minutes; every stage has a timeout)
# 1. builds the addon against Python's torch;
# 2. runs the tests that need CUDA (cudaDevice: one step of every method on the GPU);
# 3. trains each method for 30 steps at 224 px on the GPU (fp32; Ada-CM in bf16 too);
# 4. runs bench:step --device cuda against PyTorch eager (bench/pytorch_step.py), fp32 and bf16, in the same run;
# then prints one table. Logs stay in $OUT (a temporary folder unless set).
set -euo pipefail
cd "$(dirname "$0")/.."
T0=$SECONDS
OUT=${OUT:-$(mktemp -d -t semifer-gpu-check-XXXX)}
TABLE="$OUT/table.txt"
: > "$TABLE"
stage() { echo "== [$((SECONDS - T0)) s] $*" >&2; }
row() { printf '%-28s %s\n' "$1" "$2" | tee -a "$TABLE" >&2; }
fail() { echo "gpu-check: $*" >&2; cat "$TABLE" >&2; exit 1; }

stage "device"
CARD=$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | head -1) || fail "nvidia-smi failed: no NVIDIA driver?"
TORCH=$(python3 -c 'import torch; assert torch.cuda.is_available(), "Python torch has no CUDA"; print(torch.__version__, "CUDA", torch.version.cuda)') || fail "Python torch with CUDA is needed (pip install torch)"
row "card" "$CARD"
row "python torch" "$TORCH"
[ -d node_modules ] || fail "node_modules is missing: run npm ci first (this script needs no network after that)"

stage "build the addon against Python's torch"
timeout 300 npx node-gyp rebuild -j "$(nproc)" > "$OUT/build.log" 2>&1 || { tail -40 "$OUT/build.log" >&2; fail "addon build failed (log: $OUT/build.log)"; }
timeout 120 npx tsc -p tsconfig.json > "$OUT/tsc.log" 2>&1 || { cat "$OUT/tsc.log" >&2; fail "tsc failed"; }
node -e "import('./dist/src/torch/index.js').then((t) => { if (!t.cuda.isAvailable()) { console.error('the addon sees no CUDA device'); process.exit(1); } })" || fail "addon built without CUDA"
row "build" "ok ($((SECONDS - T0)) s so far)"

stage "tests that need CUDA"
if timeout 240 node scripts/run-tests.mjs cudaDevice test/torch/tensor > "$OUT/tests.log" 2>&1; then
  row "cuda tests" "$(grep -E '^ℹ (pass|fail|skipped)' "$OUT/tests.log" | tr '\n' ' ')"
else
  tail -40 "$OUT/tests.log" >&2
  row "cuda tests" "FAILED (log: $OUT/tests.log)"
fi

stage "each method, 30 steps at 224 px (fp32; Ada-CM also bf16)"
DATA="$OUT/data"
node dist/src/cli/main.js data synth --out "$DATA" --n 700 --format rafdb --size 224 --quiet > /dev/null || fail "data synth failed"
for run in supervised:fp32 fixmatch:fp32 meanteacher:fp32 adacm:fp32 dta-snl:fp32 scn:fp32 adacm:bf16; do
  method=${run%%:*} precision=${run##*:}
  {
    # --prefetch 0: batches are augmented on the GPU, so augmentation's device placement is checked too.
    if timeout 120 node dist/src/cli/main.js train --dataset rafdb --root "$DATA" --labels-per-class 10 --method "$method" \
        --model resnet18 --size 224 --batch 16 --epochs 1 --steps-per-epoch 30 --device cuda --precision "$precision" --channels-last \
        --prefetch 0 --cache-dir "$OUT/cache" --out "$OUT/runs/$method-$precision" --json --quiet > "$OUT/train-$method-$precision.json" 2> "$OUT/train-$method-$precision.log"; then
      row "train $method $precision" "$(node -e "const s = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')); console.log(Math.round(s.imgPerSec) + ' img/s, ' + s.seconds.toFixed(1) + ' s, accuracy ' + s.accuracy.toFixed(3))" "$OUT/train-$method-$precision.json")"
    else
      row "train $method $precision" "FAILED: $(tail -c 300 "$OUT/train-$method-$precision.log" | tr '\n' ' ')"
    fi
  }
done

stage "bench:step --device cuda against PyTorch eager, fp32 and bf16 (ResNet-18, 224 px, batch 256)"
timeout 240 node dist/bench/trainStep.js --device cuda --rounds 3 --steps 20 > "$OUT/bench.log" 2>&1 || { tail -20 "$OUT/bench.log" >&2; row "bench:step" "FAILED (log: $OUT/bench.log)"; }
{ grep -E 'ratio|speedup' "$OUT/bench.log" || true; } | while IFS= read -r line; do row "bench:step" "$line"; done

stage "done in $((SECONDS - T0)) s"
echo
echo "semifer gpu-check ($(date -u +%F), $((SECONDS - T0)) s, logs in $OUT)"
cat "$TABLE"
