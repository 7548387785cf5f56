# Sourced by .ci/run: puts a Node that satisfies package.json's engines (>= 22.12, what Electron's
# tooling needs) first on PATH. Uses the machine's node when it is new enough; otherwise installs
# the official Node binary as npm publishes it (node-linux-<cpu>: the binary inside a registry
# package, no install script, no other download) into a cache folder outside the clone.
PADDOCK_NODE_VERSION=22.23.5
node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}
if ! node_ok; then
  case "$(uname -m)" in
    x86_64) node_cpu=x64 ;;
    aarch64|arm64) node_cpu=arm64 ;;
    *) echo "[ci] no Node $PADDOCK_NODE_VERSION package for $(uname -m)" >&2; exit 1 ;;
  esac
  node_dir="${XDG_CACHE_HOME:-$HOME/.cache}/paddock-ci/node-$PADDOCK_NODE_VERSION-$node_cpu"
  node_bin="$node_dir/node_modules/node-linux-$node_cpu/bin"
  if [ ! -x "$node_bin/node" ]; then
    echo "[ci] installing Node $PADDOCK_NODE_VERSION (npm package node-linux-$node_cpu) into $node_dir"
    mkdir -p "$node_dir"
    npm install --prefix "$node_dir" --no-save --no-package-lock --no-audit --no-fund "node-linux-$node_cpu@$PADDOCK_NODE_VERSION"
  fi
  export PATH="$node_bin:$PATH"
  node_ok || { echo "[ci] $node_bin/node is not Node >= 22.12" >&2; exit 1; }
fi
echo "[ci] node $(node -v), npm $(npm -v)"
