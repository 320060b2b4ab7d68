#!/usr/bin/env bash
# Compares Infer4j with llama.cpp on one GGUF file: the same prompt and generation tests, the same thread count,
# engines taking turns (A B, then B A, ...) so that a busy or cooling machine hurts both alike; prints each
# engine's tokens per second (mean ± standard deviation over every timed run) and Infer4j's ratio to llama.cpp.
#
# llama.cpp is node-llama-cpp's prebuilt CPU build, installed with npm on first use into
# ${INFER4J_LLAMACPP_DIR:-~/.cache/infer4j/llamacpp} (needs node >= 20 and npm). JAVA_OPTS reaches Infer4j's JVM.
#
# Usage: bench/compare-llamacpp.sh MODEL [-p 512] [-n 128] [-t 2] [-r 3] [--rounds 2]
#   -p N        prompt tokens of the pp test (0 skips it)       -n N   generated tokens of the tg test (0 skips it)
#   -t N        threads of both engines                         -r N   timed runs per engine per round
#   --rounds N  times each engine runs (each run: one warm-up, then -r timed runs)
set -euo pipefail

NODE_LLAMA_CPP_VERSION=3.21.1
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${INFER4J_LLAMACPP_DIR:-$HOME/.cache/infer4j/llamacpp}"

die() {
  printf 'compare-llamacpp: %s\n' "$1" >&2
  exit 1
}

usage() {
  sed -n '/^# Usage:/,/^set /p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

model="" prompt=512 gen=128 threads=2 repetitions=3 rounds=2
while (($# > 0)); do
  case "$1" in
    -p) prompt="${2:?}"; shift 2 ;;
    -n) gen="${2:?}"; shift 2 ;;
    -t) threads="${2:?}"; shift 2 ;;
    -r) repetitions="${2:?}"; shift 2 ;;
    --rounds) rounds="${2:?}"; shift 2 ;;
    -h|--help) usage ;;
    -*) printf 'compare-llamacpp: unknown option %s\n' "$1" >&2; usage ;;
    *) [[ -z "$model" ]] || usage; model="$1"; shift ;;
  esac
done
[[ -n "$model" ]] || usage
[[ -f "$model" ]] || die "$model: no such file"
for number in "$prompt" "$gen" "$threads" "$repetitions" "$rounds"; do
  [[ "$number" =~ ^[0-9]+$ ]] || die "'$number' is not a whole number"
done
((threads > 0 && repetitions > 0 && rounds > 0 && prompt + gen > 0)) \
  || die "-t, -r and --rounds must be above 0, and -p or -n too"
model="$(cd "$(dirname "$model")" && pwd)/$(basename "$model")"

command -v node >/dev/null && command -v npm >/dev/null || die "needs node (20 or newer) and npm for llama.cpp"
if [[ ! -f "$cache/node_modules/node-llama-cpp/package.json" ]]; then
  printf 'compare-llamacpp: installing node-llama-cpp@%s (prebuilt llama.cpp) into %s...\n' \
    "$NODE_LLAMA_CPP_VERSION" "$cache" >&2
  mkdir -p "$cache"
  [[ -f "$cache/package.json" ]] || printf '{"private": true}\n' >"$cache/package.json"
  # Skips building llama.cpp from source: the prebuilt binaries come with the package.
  (cd "$cache" && NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm install --no-audit --no-fund --save-exact \
    "node-llama-cpp@$NODE_LLAMA_CPP_VERSION") >&2 || die "npm could not install node-llama-cpp"
fi

runs="$(mktemp -d)"
trap 'rm -rf "$runs"' EXIT

run_llamacpp() {
  node "$root/bench/llamacpp-bench.mjs" "$cache" "$model" "$prompt" "$gen" "$threads" "$repetitions" \
    >"$runs/llamacpp-$1.jsonl"
}

run_infer4j() {
  "$root/infer4j" bench -m "$model" -p "$prompt" -n "$gen" -t "$threads" -r "$repetitions" --json \
    >"$runs/infer4j-$1.json"
}

# Builds Infer4j now, if due, rather than inside the first timed round.
"$root/infer4j" --help >/dev/null

load_before="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
started=$SECONDS
for ((round = 1; round <= rounds; round++)); do
  printf 'compare-llamacpp: round %d of %d\n' "$round" "$rounds" >&2
  if ((round % 2 == 1)); then
    run_llamacpp "$round"
    run_infer4j "$round"
  else
    run_infer4j "$round"
    run_llamacpp "$round"
  fi
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"

node "$root/bench/summarize-comparison.mjs" "$runs" "$model" "$threads" "$rounds" "$repetitions"
printf '\nrun time %d s; load average before %s, after %s\n' "$((SECONDS - started))" "$load_before" "$load_after"
