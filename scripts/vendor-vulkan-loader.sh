#!/usr/bin/env bash
# Copies this machine's Vulkan loader (libvulkan.so.1, Debian 12: 1.3.239, ~0.5 MB) into
# vendor/vulkan-loader/ so that it can be carried to a device machine that has the NVIDIA
# driver but no loader and no network (gpu-notes section 3.3). scripts/gpu-check.sh puts that
# folder on LD_LIBRARY_PATH when the system has no libvulkan.so.1 of its own.
# vendor/ is ignored by git. Links are dereferenced (plain files carry; links may not).
set -euo pipefail
cd "$(dirname "$0")/.."
src_dir=${VULKAN_LOADER_DIR:-/usr/lib/x86_64-linux-gnu}
dest=vendor/vulkan-loader
shopt -s nullglob
libs=("$src_dir"/libvulkan.so.1*)
if [ ${#libs[@]} -eq 0 ]; then
  echo "no $src_dir/libvulkan.so.1* here (apt-get install libvulkan1)" >&2
  exit 1
fi
mkdir -p "$dest"
for f in "${libs[@]}"; do
  cp -L "$f" "$dest/$(basename "$f")"
done
ls -l "$dest"
echo "carry it with the binary, e.g. run(carry=[\"target/release/interceptmc\", \"$dest\"])"
