# Source it (`. .ci/use-node.sh`): puts the Node.js this project pins first on PATH, so that npm
# itself, and everything it runs, is on the runtime the image ships. The version is the `node`
# devDependency in package.json (the npm registry's `node` package: official builds, per platform);
# it is installed once into ~/.cache/auth-service/node-<version>.
_auth_root=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)
_auth_node=$(node -p "require('$_auth_root/package.json').devDependencies.node")
_auth_dir="${XDG_CACHE_HOME:-$HOME/.cache}/auth-service/node-$_auth_node"
if [ "$("$_auth_dir/node_modules/.bin/node" --version 2>/dev/null)" != "v$_auth_node" ]; then
  npm install --prefix "$_auth_dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node@$_auth_node"
fi
export PATH="$_auth_dir/node_modules/.bin:$PATH"
unset _auth_root _auth_node _auth_dir
