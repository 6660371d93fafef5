"""Command line of the e2e harness."""

import argparse
import sys

from .kernel_check import KernelError, check_kernel


def _check_kernel(args):
    try:
        info = check_kernel(args.kernel)
    except KernelError as e:
        print(f"aero_e2e: {e}", file=sys.stderr)
        return 2
    print(f"{args.kernel}: multiboot ELF32, entry 0x{info['entry']:x}, "
          f"header at file offset 0x{info['multiboot_offset']:x}")
    return 0


def main(argv):
    parser = argparse.ArgumentParser(prog="aero_e2e.py", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check-kernel", help="check that a file is a bootable multiboot ELF32 kernel")
    p.add_argument("kernel")
    p.set_defaults(func=_check_kernel)
    args = parser.parse_args(argv)
    return args.func(args)
