#!/usr/bin/env bash
# Pack what a GPU machine without Node or network needs to run sextant: this machine's node binary (xz), a production
# install of the package (dist/, python/, bench/gpu/, node_modules without dev or optional dependencies) and C-Eval.
# usage: bench/gpu/pack-carry.sh CARRY_DIR [DATA_DIR]   (run `npm run build` first; DATA_DIR default ../shared/data)
set -euo pipefail
carry=$1
data=${2:-../shared/data}
mkdir -p "$carry/app" "$carry/data"
[ -f "$carry/node.xz" ] || xz -6 -c "$(command -v node)" > "$carry/node.xz"
cp package.json package-lock.json "$carry/app/"
[ -d "$carry/app/node_modules" ] || (cd "$carry/app" && npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund)
rm -rf "$carry/app/dist" "$carry/app/python" "$carry/app/bench"
cp -r dist python "$carry/app/"
mkdir -p "$carry/app/bench" && cp -r bench/gpu "$carry/app/bench/"
[ -d "$carry/data/ceval" ] || cp -r "$data/ceval" "$carry/data/"
du -sh "$carry"
