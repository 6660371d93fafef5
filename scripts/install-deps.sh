#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need. A no-op when all are present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build python3
  clang lld llvm-14 libclang-rt-14-dev clang-format clang-tidy
  mingw-w64 g++-mingw-w64-i686-win32 g++-mingw-w64-x86-64-win32
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libvalijson-dev
  openssl libssl-dev osslsigncode
  libarchive-dev xorriso
  qemu-system-x86
  wine wine64
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
