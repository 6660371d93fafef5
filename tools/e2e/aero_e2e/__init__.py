"""The Aero end-to-end bench harness (docs/e2e.md): runs guest scenarios in QEMU and checks them."""
