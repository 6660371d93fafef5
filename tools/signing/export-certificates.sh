#!/usr/bin/env bash
# Writes the public half of the signing identity for the media and for verification:
#   aero-test-root.cer       the root the signatures chain to (DER; setup installs it into Root)
#   aero-test-publisher.cer  the signing certificate (DER; setup installs it into TrustedPublisher)
#   root.pem            the root again, as PEM, for osslsigncode verify -CAfile
#   signing.txt         identity kind, subjects and the publisher's SHA-1 (for the manifest)
# With a user PFX (AERO_SIGNING_PFX) the root is the self-signed certificate of the chain the
# PFX carries (or the signing certificate itself when that is self-signed).
#
# usage: export-certificates.sh <test-identity-folder> <output-folder>
set -euo pipefail
here=$(cd -- "$(dirname -- "$0")" && pwd)
# shellcheck source=signing-common.sh
. "$here/signing-common.sh"

[ $# -eq 2 ] || die "usage: export-certificates.sh <test-identity-folder> <output-folder>"
aero_select_identity "$1"
out=$2
mkdir -p -- "$out"
work=$(mktemp -d "$out/.export.XXXXXX")
trap 'rm -rf -- "$work"' EXIT

aero_pkcs12 -nokeys -clcerts -out "$work/publisher.pem" >/dev/null ||
  die "cannot read the signing certificate from '$AERO_PFX' (wrong password?)"
aero_pkcs12 -nokeys -cacerts -out "$work/chain.pem" >/dev/null ||
  die "cannot read the certificate chain from '$AERO_PFX'"
run_quietly openssl x509 -in "$work/publisher.pem" -out "$work/publisher.only.pem"

is_self_signed() {
  [ "$(openssl x509 -in "$1" -noout -subject -nameopt RFC2253)" = \
    "$(openssl x509 -in "$1" -noout -issuer -nameopt RFC2253 | sed 's/^issuer=/subject=/')" ]
}

root=
if is_self_signed "$work/publisher.only.pem"; then
  root=$work/publisher.only.pem
else
  # Split the chain into one file per certificate and pick the self-signed one.
  awk -v dir="$work" '/-----BEGIN CERTIFICATE-----/ { n++ } n { print > (dir "/ca" n ".pem") }' \
    "$work/chain.pem"
  for candidate in "$work"/ca*.pem; do
    [ -f "$candidate" ] || continue
    if is_self_signed "$candidate"; then
      root=$candidate
      break
    fi
  done
fi
[ -n "$root" ] || die "'$AERO_PFX' does not carry the root of its chain; add the root certificate to the PFX"
run_quietly openssl verify -CAfile "$root" -untrusted "$work/chain.pem" "$work/publisher.only.pem"

run_quietly openssl x509 -in "$root" -outform DER -out "$work/aero-test-root.cer"
run_quietly openssl x509 -in "$work/publisher.only.pem" -outform DER -out "$work/aero-test-publisher.cer"
run_quietly openssl x509 -in "$root" -out "$work/root.pem"
{
  echo "identity=$AERO_IDENTITY_KIND"
  echo "publisher_subject=$(openssl x509 -in "$work/publisher.only.pem" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')"
  echo "publisher_sha1=$(openssl x509 -in "$work/publisher.only.pem" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g')"
  echo "root_subject=$(openssl x509 -in "$root" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')"
  echo "certificate_signature=$(openssl x509 -in "$work/publisher.only.pem" -noout -text | sed -n 's/^ *Signature Algorithm: *//p' | head -n 1)"
} > "$work/signing.txt"

for name in aero-test-root.cer aero-test-publisher.cer root.pem signing.txt; do
  mv -f -- "$work/$name" "$out/$name"
done
