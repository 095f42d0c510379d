#!/usr/bin/env bash
# Sets up the notebooks: Jupyter from Debian's packages, the tslab and Deno kernels from npm (in
# notebooks/, an npm project of its own), and their kernelspecs under the project-local
# JUPYTER_PATH .jupyter/. Idempotent; run as root on Debian 12 from anywhere:
#
#   scripts/setup-notebooks.sh              # also installs jupyter-notebook, to open them in a browser
#   scripts/setup-notebooks.sh --headless   # only what `npm test` needs to execute them (CI)
#
# Why notebooks/ has its own package.json: tslab bundles TypeScript 5.0 (with a `tsc` bin) and
# @types/node 18; installed beside the lab's own TypeScript 5.9 they would shadow the project's
# `tsc` in node_modules/.bin. The lab itself is linked in as notebooks/node_modules/tollway, so a
# cell imports it by name: `import { runScenario } from "tollway"`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
headless=0
for arg in "$@"; do
  case "$arg" in
    --headless) headless=1 ;;
    *) echo "setup-notebooks: unknown option $arg (use --headless or nothing)" >&2; exit 2 ;;
  esac
done

# 1. Jupyter. Debian has the classic Notebook (jupyter-notebook 6.4) but no JupyterLab package.
debs=(jupyter-nbconvert jupyter-core python3-nbclient jupyter-client)
[ "$headless" = 1 ] || debs+=(jupyter-notebook)
missing=()
for deb in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || missing+=("$deb")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup-notebooks: apt-get install ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. The kernels, from notebooks/package-lock.json; skipped when already installed at those versions.
cd "$root/notebooks"
if ! npm ls --omit=optional tslab deno >/dev/null 2>&1 || [ ! -x node_modules/.bin/tslab ] || [ ! -x node_modules/.bin/deno ]; then
  echo "setup-notebooks: npm ci in notebooks/"
  npm ci --no-audit --no-fund 2>&1 | grep -v -e 'Unknown user config "nodedir"' -e 'install-scripts' || true
fi
# The lab by name: a link, not a `file:..` dependency, so the lab's own dependencies never have
# to be mirrored in notebooks/package-lock.json.
ln -sfn ../.. node_modules/tollway

# 3. Kernelspecs under the project-local JUPYTER_PATH (no global state, no IPython needed).
#    The warning filter keeps Node's one-time notice about require() of an ES module out of the cells.
#    Deno gets --sloppy-imports so that `import x from "./file"` (no extension) resolves as under tslab.
spec_dir="$root/.jupyter/kernels"
mkdir -p "$spec_dir/tslab" "$spec_dir/deno"
cat > "$spec_dir/tslab/kernel.json" <<JSON
{
  "argv": ["$root/notebooks/node_modules/.bin/tslab", "kernel", "--config-path", "{connection_file}"],
  "display_name": "TypeScript (tslab)",
  "language": "typescript",
  "env": { "NODE_OPTIONS": "--disable-warning=ExperimentalWarning" }
}
JSON
cat > "$spec_dir/deno/kernel.json" <<JSON
{
  "argv": ["$root/notebooks/node_modules/.bin/deno", "jupyter", "--kernel", "--sloppy-imports", "--conn", "{connection_file}"],
  "display_name": "Deno",
  "language": "typescript",
  "env": { "DENO_NO_UPDATE_CHECK": "1", "NO_COLOR": "1" }
}
JSON

# 4. The lab must be built for `import ... from "tollway"` to find dist/.
[ -f "$root/dist/src/index.js" ] || echo "setup-notebooks: note: run \`npm run build\` (or \`npm test\`) in $root before opening the notebooks"
echo "setup-notebooks: kernels tslab and deno registered in $spec_dir (use JUPYTER_PATH=$root/.jupyter)"
