#!/usr/bin/env bash
# Generates the test-signing identity into a build-tree folder (never into git or the media):
#   root.key / root.pem / root.cer            test root CA (self-signed, CA:TRUE)
#   publisher.key / publisher.pem / .cer      code-signing leaf issued by the root (EKU codeSigning)
#   publisher.pfx + publisher.pfx.pass        the leaf, its key and the root, for osslsigncode
#   identity.txt                              what was generated (read by the packaging step)
# Certificates are signed with SHA-1 by default: Windows 7 without the SHA-2 updates
# (KB3033929/KB4474419) checks nothing else. Pass sha256 as the second argument for SHA-256.
# Validity runs from 2020-01-01 to 2049-12-31 so that any SOURCE_DATE_EPOCH used as the signing
# time falls inside it. An existing complete identity with the same digest is kept as it is.
#
# usage: make-test-identity.sh <folder> [sha1|sha256]
set -euo pipefail

die() { echo "make-test-identity: error: $*" >&2; exit 1; }

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  die "usage: make-test-identity.sh <folder> [sha1|sha256]"
fi
folder=$1
digest=${2:-sha1}
case "$digest" in sha1|sha256) ;; *) die "certificate digest must be sha1 or sha256, not '$digest'";; esac
command -v openssl >/dev/null || die "openssl is not installed"

marker="$folder/identity.txt"
if [ -f "$marker" ] && grep -qx "certificate_digest=$digest" "$marker"; then
  exit 0
fi

parent=$(dirname -- "$folder")
mkdir -p -- "$parent"
work=$(mktemp -d "$parent/.test-identity.XXXXXX")
trap 'rm -rf -- "$work"' EXIT
chmod 700 "$work"
cd "$work"

cat > ca.cnf <<'EOF'
[ca]
default_ca = test_ca
[test_ca]
database = index.txt
new_certs_dir = issued
serial = serial.txt
policy = any_name
unique_subject = no
copy_extensions = none
[any_name]
commonName = supplied
organizationName = optional
[req]
distinguished_name = subject
prompt = no
[subject]
[root_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
[publisher_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
: > index.txt
mkdir issued
echo 01 > serial.txt

quiet() {
  local log
  log=$("$@" 2>&1) || { echo "$log" >&2; die "'$1 $2' failed"; }
}

subject_o="/O=Aero test signing - not for production use"
quiet openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out root.key
quiet openssl req -new -config ca.cnf -key root.key -subj "/CN=Aero Test Root CA$subject_o" \
  -out root.csr
quiet openssl ca -batch -config ca.cnf -selfsign -keyfile root.key -in root.csr -md "$digest" \
  -startdate 20200101000000Z -enddate 20491231235959Z -extensions root_ext -notext -out root.pem

quiet openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out publisher.key
quiet openssl req -new -config ca.cnf -key publisher.key \
  -subj "/CN=Aero Test Driver Publisher$subject_o" -out publisher.csr
quiet openssl ca -batch -config ca.cnf -cert root.pem -keyfile root.key -in publisher.csr \
  -md "$digest" -startdate 20200101000000Z -enddate 20491231235959Z -extensions publisher_ext \
  -notext -out publisher.pem

quiet openssl x509 -in root.pem -outform DER -out root.cer
quiet openssl x509 -in publisher.pem -outform DER -out publisher.cer
quiet openssl verify -x509_strict -CAfile root.pem publisher.pem

openssl rand -hex 24 > publisher.pfx.pass
quiet openssl pkcs12 -export -inkey publisher.key -in publisher.pem -certfile root.pem \
  -name "Aero Test Driver Publisher" -passout file:publisher.pfx.pass -out publisher.pfx

{
  echo "kind=generated-test-identity"
  echo "certificate_digest=$digest"
  echo "root_subject=$(openssl x509 -in root.pem -noout -subject -nameopt RFC2253 | sed 's/^subject=//')"
  echo "publisher_sha1=$(openssl x509 -in publisher.pem -noout -fingerprint -sha1 | sed 's/.*=//; s/://g')"
} > identity.txt.new

rm -rf -- ./*.csr index.txt* serial.txt* ca.cnf issued
chmod 600 root.key publisher.key publisher.pfx publisher.pfx.pass
mv identity.txt.new identity.txt
cd - >/dev/null
rm -rf -- "$folder"
mv -- "$work" "$folder"
trap - EXIT
