# Sourced by .ci/run: puts a Node that satisfies package.json's engines (>= 22.12, what Electron's
# tooling needs) first on PATH. Uses the machine's node when it is new enough; otherwise installs
# the official Node binary as npm publishes it (node-linux-<cpu>: the binary inside a registry
# package, no install script, no other download) into /opt/node22 (or ~/.cache/node22 without
# root). A short folder on purpose: tests show child processes' command lines, shortened to 120
# characters, and expect the script name to fit after the node binary's path.
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
  if [ "$(id -u)" -eq 0 ]; then node_home=/opt/node22; else node_home="$HOME/.cache/node22"; fi
  if [ "$("$node_home/bin/node" -v 2>/dev/null)" != "v$PADDOCK_NODE_VERSION" ]; then
    echo "[ci] installing Node $PADDOCK_NODE_VERSION (npm package node-linux-$node_cpu) into $node_home"
    node_tmp="$(mktemp -d)"
    npm install --prefix "$node_tmp" --no-save --no-package-lock --no-audit --no-fund "node-linux-$node_cpu@$PADDOCK_NODE_VERSION"
    mkdir -p "$node_home/bin"
    mv "$node_tmp/node_modules/node-linux-$node_cpu/bin/node" "$node_home/bin/node.new"
    mv "$node_home/bin/node.new" "$node_home/bin/node"
    rm -rf "$node_tmp"
  fi
  export PATH="$node_home/bin:$PATH"
  node_ok || { echo "[ci] $node_home/bin/node is not Node >= 22.12" >&2; exit 1; }
fi
echo "[ci] node $(node -v) ($(command -v node)), npm $(npm -v)"
