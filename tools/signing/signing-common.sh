# shellcheck shell=bash
# Shared by the signing scripts (sourced, not run). Chooses the identity and wraps osslsigncode.
#
# The identity is the user's own PFX when AERO_SIGNING_PFX is set (password in
# AERO_SIGNING_PFX_PASSWORD, or in the file AERO_SIGNING_PFX_PASSWORD_FILE), otherwise the
# generated test identity (make-test-identity.sh). The password never appears on a command line.

die() { echo "$(basename -- "$0"): error: $*" >&2; exit 1; }

# Runs a command quietly; on failure shows its output and stops.
run_quietly() {
  local log
  log=$("$@" 2>&1) || { printf '%s\n' "$log" >&2; die "'$1 $2' failed (see above)"; }
}

# aero_select_identity <test-identity-folder>
# Sets AERO_IDENTITY_KIND (read by export-certificates.sh), AERO_PFX and how to read its
# password (AERO_PASS_FILE, "-" for the AERO_SIGNING_PFX_PASSWORD variable).
# shellcheck disable=SC2034  # AERO_IDENTITY_KIND is for the scripts that source this file
aero_select_identity() {
  if [ -n "${AERO_SIGNING_PFX:-}" ]; then
    [ -f "$AERO_SIGNING_PFX" ] || die "AERO_SIGNING_PFX='$AERO_SIGNING_PFX' is not a file"
    AERO_IDENTITY_KIND=user-pfx
    AERO_PFX=$AERO_SIGNING_PFX
    if [ -n "${AERO_SIGNING_PFX_PASSWORD_FILE:-}" ]; then
      [ -f "$AERO_SIGNING_PFX_PASSWORD_FILE" ] ||
        die "AERO_SIGNING_PFX_PASSWORD_FILE='$AERO_SIGNING_PFX_PASSWORD_FILE' is not a file"
      AERO_PASS_FILE=$AERO_SIGNING_PFX_PASSWORD_FILE
    elif [ -n "${AERO_SIGNING_PFX_PASSWORD+set}" ]; then
      AERO_PASS_FILE=-
    else
      die "AERO_SIGNING_PFX is set: also set AERO_SIGNING_PFX_PASSWORD or AERO_SIGNING_PFX_PASSWORD_FILE"
    fi
  else
    local folder=$1
    [ -f "$folder/identity.txt" ] || die "no test identity in '$folder' (make-test-identity.sh makes one)"
    AERO_IDENTITY_KIND=generated-test-identity
    AERO_PFX=$folder/publisher.pfx
    AERO_PASS_FILE=$folder/publisher.pfx.pass
  fi
}

# aero_pkcs12 <openssl pkcs12 arguments...>: reads AERO_PFX with its password.
aero_pkcs12() {
  local pass_arg=file:$AERO_PASS_FILE
  [ "$AERO_PASS_FILE" = - ] && pass_arg=env:AERO_SIGNING_PFX_PASSWORD
  openssl pkcs12 -in "$AERO_PFX" -passin "$pass_arg" "$@" 2>/dev/null ||
    openssl pkcs12 -legacy -in "$AERO_PFX" -passin "$pass_arg" "$@"
}

# aero_osslsigncode_sign <osslsigncode sign arguments...>
aero_osslsigncode_sign() {
  if [ "$AERO_PASS_FILE" = - ]; then
    printf '%s\n' "$AERO_SIGNING_PFX_PASSWORD" |
      run_quietly osslsigncode sign -pkcs12 "$AERO_PFX" -readpass - "$@"
  else
    run_quietly osslsigncode sign -pkcs12 "$AERO_PFX" -readpass "$AERO_PASS_FILE" "$@"
  fi
}
