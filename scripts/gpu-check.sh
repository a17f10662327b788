#!/usr/bin/env bash
# GPU check for a real NVIDIA machine with no network (e.g. a CUDA container): reports the
# driver and the Vulkan setup, repairs what it can without installing anything, then runs the
# prebuilt binary: `devices`, `verify --samples 200000` (when the binary has it) and
# `bench --backend auto`. Everything goes to results/bench/gpu-check-<host>-<date>.log.
#
#   scripts/gpu-check.sh [BINARY]          (default target/release/interceptmc)
#
# Exit status: 0 an NVIDIA discrete GPU (vendor 0x10de, DiscreteGpu) is usable through wgpu and
# every step passed; 1 it is usable but a step failed; 2 the binary is missing; 3 no NVIDIA
# adapter is usable (the steps still run, on the CPU / whatever adapter there is, for the log).
#
# Environment (all optional):
#   GPU_CHECK_OUT   directory for the log and the bench output (default results/bench);
#                   on the device machine use GPU_CHECK_OUT=$OUT to get them back
#   BENCH_ARGS      extra `bench` arguments, e.g. "--quick" (default: none, the full bench)
#   VERIFY_SAMPLES  samples for `verify` (default 200000; at most 20000 without an NVIDIA GPU)
#   BENCH_TIMEOUT   seconds for the bench step (default 420); other steps have fixed timeouts
#
# Vulkan in containers (gpu-notes section 3): the NVIDIA toolkit mounts the Vulkan ICD only with
# NVIDIA_DRIVER_CAPABILITIES containing `graphics` (or `all`). If the NVIDIA libraries are
# there but no ICD json is, or the GLX-based ICD fails headless, an ICD json pointing at
# libEGL_nvidia.so.0 is written and used. Without a system libvulkan.so.1 the loader carried in
# vendor/vulkan-loader/ (scripts/vendor-vulkan-loader.sh on the build machine) is used.
set -uo pipefail

cd "$(dirname "$0")/.." || exit 2
BIN=${1:-target/release/interceptmc}
OUT_DIR=${GPU_CHECK_OUT:-results/bench}
HOST=$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname 2>/dev/null || echo unknown)
HOST=${HOST//[^A-Za-z0-9._-]/_}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT_DIR" || exit 2
LOG="$OUT_DIR/gpu-check-$HOST-$STAMP.log"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gpu-check.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# step NAME TIMEOUT_S CMD...: runs CMD under timeout, logs its exit status, returns it.
step() {
  local name=$1 limit=$2 rc
  shift 2
  log "=== $name: $* (timeout ${limit}s)"
  timeout --kill-after=10 "$limit" "$@"
  rc=$?
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    log "=== $name: TIMED OUT after ${limit}s"
  else
    log "=== $name: exit $rc"
  fi
  return "$rc"
}

# find_lib NAME: path of a shared library from the linker cache or the usual directories.
find_lib() {
  local hit d
  hit=$(ldconfig -p 2>/dev/null | awk -v n="$1" '$1 == n { print $NF; exit }')
  if [ -n "$hit" ]; then echo "$hit"; return 0; fi
  for d in /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/lib /usr/local/nvidia/lib64 \
           /usr/local/nvidia/lib; do
    for hit in "$d/$1" "$d"/"$1".*; do
      if [ -e "$hit" ]; then echo "$hit"; return 0; fi
    done
  done
  return 1
}

# nvidia_adapter FILE: the name of the first adapter in `devices --json` output with vendor
# 0x10de (4318) and device type DiscreteGpu (the report's objects are flat, one key a line).
nvidia_adapter() {
  awk '
    /^[[:space:]]*\{/ { n = ""; v = ""; t = "" }
    /"name":/ { n = $0; sub(/^[^:]*:[[:space:]]*"/, "", n); sub(/",?[[:space:]]*$/, "", n) }
    /"vendor":/ { v = $0; gsub(/[^0-9]/, "", v) }
    /"device_type":/ { t = $0; sub(/^[^:]*:[[:space:]]*"/, "", t); sub(/",?[[:space:]]*$/, "", t) }
    /^[[:space:]]*\}/ { if (v == "4318" && t == "DiscreteGpu") { print n; exit } }
  ' "$1"
}

main() {
  local failed=() nvidia="" egl_icd="" icd_dirs icd d f rc

  log "interceptmc GPU check on $HOST ($STAMP); log: $LOG"
  log "binary: $BIN"
  uname -a
  (lscpu 2>/dev/null | grep -E '^(Model name|CPU\(s\)|Thread)') || nproc
  (free -g 2>/dev/null | head -2) || true
  ldd --version 2>/dev/null | head -1

  log "--- NVIDIA driver"
  echo "NVIDIA_DRIVER_CAPABILITIES=${NVIDIA_DRIVER_CAPABILITIES-<unset>}"
  echo "NVIDIA_VISIBLE_DEVICES=${NVIDIA_VISIBLE_DEVICES-<unset>}"
  case ",${NVIDIA_DRIVER_CAPABILITIES-}," in
    *,all,* | *,graphics,*) ;;
    *) log "warning: NVIDIA_DRIVER_CAPABILITIES lacks 'graphics' (or 'all'): the container" \
           "toolkit then mounts no Vulkan driver; restart the container with graphics" ;;
  esac
  if command -v nvidia-smi >/dev/null 2>&1; then
    timeout 30 nvidia-smi || log "nvidia-smi failed (exit $?)"
    timeout 30 nvidia-smi --query-gpu=name,driver_version,memory.total,pci.bus_id \
      --format=csv,noheader || true
  else
    log "nvidia-smi: not found (no NVIDIA driver utilities in this container)"
  fi

  log "--- Vulkan loader"
  if f=$(find_lib libvulkan.so.1); then
    log "system loader: $f"
  elif [ -e vendor/vulkan-loader/libvulkan.so.1 ]; then
    export LD_LIBRARY_PATH="$PWD/vendor/vulkan-loader${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    log "no system libvulkan.so.1: using the carried vendor/vulkan-loader/libvulkan.so.1"
  else
    log "no Vulkan loader (libvulkan.so.1) and none carried in vendor/vulkan-loader/:" \
        "wgpu cannot see a Vulkan adapter (run scripts/vendor-vulkan-loader.sh where" \
        "libvulkan1 is installed and carry vendor/vulkan-loader)"
  fi

  log "--- NVIDIA user-space libraries"
  for f in libGLX_nvidia.so.0 libEGL_nvidia.so.0 libnvidia-glvkspirv.so libnvidia-glcore.so \
           libcuda.so.1 libXext.so.6; do
    if d=$(find_lib "$f"); then echo "  found   $f -> $d"; else echo "  missing $f"; fi
  done

  log "--- Vulkan ICD files"
  icd_dirs="/usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/share/vulkan/icd.d"
  icd=""
  for d in $icd_dirs; do
    [ -d "$d" ] || continue
    for f in "$d"/*.json; do
      [ -e "$f" ] || continue
      echo "  $f: $(tr -d '\n' < "$f" | tr -s ' ')"
      case "$(basename "$f")" in nvidia*) icd=${icd:-$f} ;; esac
    done
  done
  echo "VK_DRIVER_FILES=${VK_DRIVER_FILES-<unset>} VK_ICD_FILENAMES=${VK_ICD_FILENAMES-<unset>}"
  if find_lib libEGL_nvidia.so.0 >/dev/null; then
    egl_icd="$WORK/nvidia_egl_icd.json"
    printf '{"file_format_version":"1.0.0","ICD":{"library_path":"libEGL_nvidia.so.0","api_version":"1.3.0"}}\n' \
      > "$egl_icd"
  fi
  if [ -z "$icd" ] && [ -n "$egl_icd" ] && [ -z "${VK_DRIVER_FILES-}" ]; then
    export VK_DRIVER_FILES="$egl_icd" VK_ICD_FILENAMES="$egl_icd"
    log "no NVIDIA ICD json but libEGL_nvidia.so.0 exists: using $egl_icd (headless-safe)"
  elif [ -z "$icd" ]; then
    log "no NVIDIA Vulkan ICD json and no libEGL_nvidia.so.0: no NVIDIA Vulkan driver here"
  fi

  export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}
  export WGPU_BACKEND=${WGPU_BACKEND:-vulkan}
  log "WGPU_BACKEND=$WGPU_BACKEND WGPU_ADAPTER_NAME=${WGPU_ADAPTER_NAME-<unset>}"
  if command -v vulkaninfo >/dev/null 2>&1; then
    step "vulkaninfo" 60 vulkaninfo --summary || true
  fi

  if [ ! -x "$BIN" ]; then
    log "ERROR: $BIN is not an executable (build it with cargo build --release and carry it)"
    return 2
  fi
  step "version" 30 "$BIN" --version || failed+=(version)

  # Probe: which adapters wgpu sees; retry with the EGL ICD if the installed ICD yields none.
  step "devices --json" 120 "$BIN" devices --json > "$WORK/devices.json"
  cat "$WORK/devices.json"
  nvidia=$(nvidia_adapter "$WORK/devices.json")
  if [ -z "$nvidia" ] && [ -n "$egl_icd" ] && [ "${VK_DRIVER_FILES-}" != "$egl_icd" ]; then
    log "no NVIDIA discrete adapter with the installed ICD: retrying with $egl_icd" \
        "(the GLX-based ICD fails without an X server)"
    export VK_DRIVER_FILES="$egl_icd" VK_ICD_FILENAMES="$egl_icd"
    step "devices --json (EGL ICD)" 120 "$BIN" devices --json > "$WORK/devices.json"
    cat "$WORK/devices.json"
    nvidia=$(nvidia_adapter "$WORK/devices.json")
    if [ -z "$nvidia" ]; then
      unset VK_DRIVER_FILES VK_ICD_FILENAMES
      log "the EGL ICD did not help either; back to the default ICD search"
    fi
  fi
  if [ -n "$nvidia" ]; then
    export WGPU_ADAPTER_NAME="$nvidia"
    log "NVIDIA adapter usable: $nvidia (pinned with WGPU_ADAPTER_NAME)"
  else
    log "NO usable NVIDIA adapter (vendor 0x10de, DiscreteGpu): GPU figures cannot be" \
        "measured here; the steps below run on whatever backend is available"
  fi
  step "devices" 120 "$BIN" devices || failed+=(devices)

  if "$BIN" --help 2>/dev/null | grep -Eq '^[[:space:]]+verify([[:space:]]|$)'; then
    local samples=${VERIFY_SAMPLES:-200000}
    if [ -z "$nvidia" ] && [ "$samples" -gt 20000 ]; then
      samples=20000
      log "verify: no NVIDIA adapter, so at most 20000 samples (a software adapter is slow)"
    fi
    step "verify" 420 "$BIN" verify --samples "$samples"
    rc=$?
    # Exit 3 = no GPU backend: expected without an adapter, a failure with one.
    if [ "$rc" -ne 0 ] && { [ -n "$nvidia" ] || [ "$rc" -ne 3 ]; }; then failed+=(verify); fi
  else
    log "=== verify: this binary has no 'verify' command (an older build): skipped"
  fi

  # shellcheck disable=SC2086 # BENCH_ARGS is a word list on purpose
  step "bench" "${BENCH_TIMEOUT:-420}" "$BIN" bench --backend auto \
    --out "$OUT_DIR/gpu-check-$HOST-$STAMP" ${BENCH_ARGS-} || failed+=(bench)
  if [ -f "$OUT_DIR/gpu-check-$HOST-$STAMP/bench.csv" ]; then
    log "bench.csv: $OUT_DIR/gpu-check-$HOST-$STAMP/bench.csv"
    cat "$OUT_DIR/gpu-check-$HOST-$STAMP/bench.csv"
  fi

  log "--- summary"
  log "NVIDIA adapter: ${nvidia:-none}"
  log "failed steps: ${failed[*]:-none}"
  if [ -z "$nvidia" ]; then return 3; fi
  if [ ${#failed[@]} -gt 0 ]; then return 1; fi
  return 0
}

main "$@" 2>&1 | tee "$LOG"
exit "${PIPESTATUS[0]}"
