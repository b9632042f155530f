#!/bin/bash
# Builds one small highlighter per candidate and times it on the same three 100 KB
# samples (Rust, Python, JavaScript): µs per KB of code, and the stripped binary's size.
# The figures in docs/ARCHITECTURE.md ("Syntax highlighting") come from this script.
# usage: scripts/compare-highlighters/run.sh RUST.rs PY.py JS.js
set -euo pipefail
cd "$(dirname "$0")"
for f in syn onig tf tfonig ts hl; do
  cargo build -q --release --no-default-features --features "$f"
  cp target/release/hlbench "target/bin-$f"
done
ls -l target/bin-*
for f in syn onig tf tfonig; do
  for sample in "$1:rs" "$2:py" "$3:js"; do
    echo "$f ${sample##*:}: $(target/bin-$f "${sample%:*}" "${sample##*:}" 5)"
  done
done
for sample in "$1:rs" "$2:py" "$3:js"; do
  echo "hl ${sample##*:}: $(target/bin-hl "${sample%:*}" "${sample##*:}" 5)"
done
for sample in "$1:rust" "$2:py" "$3:js"; do
  echo "ts ${sample##*:}: $(target/bin-ts "${sample%:*}" "${sample##*:}" 5)"
done
