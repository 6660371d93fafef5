#!/usr/bin/env bash
# Signs one staged driver package folder for one architecture, in the order Windows needs:
#   1. every PE file the INF references (.sys, .dll) gets an embedded Authenticode signature
#      (SHA-1; with --digests sha1+sha256 a nested SHA-256 signature is added);
#   2. aero-catalog writes the catalog over the signed files (the image hash leaves the
#      signature out, so signing never invalidates the catalog);
#   3. osslsigncode signs the catalog (SHA-1; catalogs cannot carry nested signatures);
#   4. osslsigncode verifies each PE file against the catalog and its embedded signature,
#      chaining to the root (and to the expected publisher).
# Outputs replace files through a temporary name, so an interrupted run leaves no half-signed
# file under a final name; the catalog appears only after it was signed.
#
# usage: sign-driver-package.sh --inf <staged.inf> --arch x86|amd64 --digests sha1|sha1+sha256
#          --time <unix-seconds> --catalog-tool <aero-catalog> --identity <test-identity-folder>
#          --certs <export-certificates output folder> [--description <text>]
set -euo pipefail
here=$(cd -- "$(dirname -- "$0")" && pwd)
# shellcheck source=signing-common.sh
. "$here/signing-common.sh"

inf='' arch='' digests=sha1 epoch='' catalog_tool='' identity='' certs=''
description="Aero Windows 7 drivers"
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || die "$1 needs a value"
  case "$1" in
    --inf) inf=$2 ;;
    --arch) arch=$2 ;;
    --digests) digests=$2 ;;
    --time) epoch=$2 ;;
    --catalog-tool) catalog_tool=$2 ;;
    --identity) identity=$2 ;;
    --certs) certs=$2 ;;
    --description) description=$2 ;;
    *) die "unknown argument '$1'" ;;
  esac
  shift 2
done
if [ -z "$inf" ] || [ -z "$arch" ] || [ -z "$epoch" ] || [ -z "$catalog_tool" ] || [ -z "$certs" ]; then
  die "--inf, --arch, --time, --catalog-tool and --certs are required"
fi
case "$digests" in sha1|sha1+sha256) ;; *) die "--digests must be sha1 or sha1+sha256" ;; esac
[ -f "$inf" ] || die "'$inf' is not a file"
if [ ! -f "$certs/root.pem" ] || [ ! -f "$certs/signing.txt" ]; then
  die "'$certs' has no exported certificates (export-certificates.sh writes them)"
fi
aero_select_identity "$identity"
publisher_sha1=$(sed -n 's/^publisher_sha1=//p' "$certs/signing.txt")
[ -n "$publisher_sha1" ] || die "'$certs/signing.txt' names no publisher"

folder=$(dirname -- "$inf")
catalog_name=$("$catalog_tool" --inf "$inf" --arch "$arch" --catalog-name)
mapfile -t files < <("$catalog_tool" --inf "$inf" --arch "$arch" --list-files)

sign_common=(-n "$description" -time "$epoch")
for file in "${files[@]}"; do
  case "${file,,}" in
    *.sys|*.dll) ;;
    *) continue ;;
  esac
  path=$folder/$file
  aero_osslsigncode_sign "${sign_common[@]}" -h sha1 -in "$path" -out "$path.signing"
  if [ "$digests" = sha1+sha256 ]; then
    aero_osslsigncode_sign "${sign_common[@]}" -nest -h sha256 -in "$path.signing" \
      -out "$path.signing2"
    mv -f -- "$path.signing2" "$path.signing"
  fi
  mv -f -- "$path.signing" "$path"
done

unsigned=$folder/.$catalog_name.unsigned
trap 'rm -f -- "$unsigned" "$folder/$catalog_name.signing"' EXIT
"$catalog_tool" --inf "$inf" --arch "$arch" --time "$epoch" --output "$unsigned"
rm -f -- "$folder/$catalog_name"
aero_osslsigncode_sign "${sign_common[@]}" -h sha1 -in "$unsigned" \
  -out "$folder/$catalog_name.signing"
mv -f -- "$folder/$catalog_name.signing" "$folder/$catalog_name"

for file in "${files[@]}"; do
  case "${file,,}" in
    *.sys|*.dll) ;;
    *) continue ;;
  esac
  path=$folder/$file
  run_quietly osslsigncode verify -in "$path" -CAfile "$certs/root.pem" \
    -require-leaf-hash "sha1:$publisher_sha1"
  run_quietly osslsigncode verify -in "$path" -catalog "$folder/$catalog_name" \
    -CAfile "$certs/root.pem" -require-leaf-hash "sha1:$publisher_sha1"
done
