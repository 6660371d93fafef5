"""Command line of the e2e harness.

  aero_e2e.py list                         the scenarios
  aero_e2e.py run --kernel ELF [-s NAME]... run scenarios (all when none is named)
  aero_e2e.py check-kernel ELF             is ELF a kernel QEMU's multiboot loader takes?

Exit status of run: 0 when every scenario ended as expected, 1 when one did not, 2 on usage or
setup errors (missing kernel or QEMU).
"""

import argparse
import json
import os
import shutil
import sys
import time

from . import report
from .kernel_check import KernelError, check_kernel
from .runner import run_scenario
from .scenarios import SCENARIOS


def _check_kernel(args):
    try:
        info = check_kernel(args.kernel)
    except KernelError as e:
        print(f"aero_e2e: {e}", file=sys.stderr)
        return 2
    print(f"{args.kernel}: multiboot ELF32, entry 0x{info['entry']:x}, "
          f"header at file offset 0x{info['multiboot_offset']:x}")
    return 0


def _list(args):
    if args.json:
        print(json.dumps([{"name": s.name, "machine": s.machine, "labels": s.labels,
                           "expect": s.expect.outcome, "description": s.description}
                          for s in SCENARIOS.values()], indent=2))
    elif args.names:
        for name in SCENARIOS:
            print(name)
    else:
        for s in SCENARIOS.values():
            print(f"{s.name:<30} {s.machine:<4} expect {s.expect.outcome:<15} {s.description}")
    return 0


def _run(args):
    names = args.scenario or list(SCENARIOS)
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        print(f"aero_e2e: unknown scenario(s): {', '.join(unknown)} (see `aero_e2e.py list`)",
              file=sys.stderr)
        return 2
    try:
        check_kernel(args.kernel)
    except KernelError as e:
        print(f"aero_e2e: {e}\naero_e2e: build the guest tree first (docs/e2e.md)",
              file=sys.stderr)
        return 2
    if shutil.which(args.qemu) is None and not os.path.isfile(args.qemu):
        print(f"aero_e2e: QEMU binary not found: {args.qemu}", file=sys.stderr)
        return 2
    if args.timeout_scale <= 0:
        print("aero_e2e: --timeout-scale must be positive", file=sys.stderr)
        return 2
    log = (lambda line: print(line, flush=True)) if args.verbose else None
    results = []
    started = time.monotonic()
    for name in names:
        scenario = SCENARIOS[name]
        print(f"running {name} ...", flush=True)
        result = run_scenario(scenario, args.kernel, os.path.join(args.work_dir, name),
                              qemu=args.qemu, accel=args.accel,
                              timeout_scale=args.timeout_scale, log=log)
        results.append(result)
    summary = report.summary_text(results, time.monotonic() - started)
    print(summary, end="")
    if args.summary:
        report.atomic_write(args.summary, summary)
    if args.junit:
        report.atomic_write(args.junit, report.junit_xml(results))
    rows = [dict(row, scenario=r.scenario) for r in results for row in r.cost]
    rows += [dict(row, scenario=r.scenario, kind="blk_bench")
             for r in results for row in r.bench]
    if args.cost_json and rows:
        report.atomic_write(args.cost_json, json.dumps(rows, indent=2) + "\n")
    return 0 if all(r.verdict_ok for r in results) else 1


def main(argv):
    parser = argparse.ArgumentParser(prog="aero_e2e.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check-kernel",
                       help="check that a file is a bootable multiboot ELF32 kernel")
    p.add_argument("kernel")
    p.set_defaults(func=_check_kernel)

    p = sub.add_parser("list", help="list the scenarios")
    p.add_argument("--json", action="store_true")
    p.add_argument("--names", action="store_true", help="names only, one per line")
    p.set_defaults(func=_list)

    p = sub.add_parser("run", help="run scenarios against a guest kernel")
    p.add_argument("--kernel", required=True, help="the test guest (aero_e2e_guest.elf)")
    p.add_argument("-s", "--scenario", action="append", help="scenario name (repeatable)")
    p.add_argument("--work-dir", default="aero-e2e-work",
                   help="per-scenario directories with images, serial log, QEMU stderr, trace")
    p.add_argument("--junit", help="write JUnit XML here")
    p.add_argument("--summary", help="write the human summary here too")
    p.add_argument("--cost-json", help="write the cost report rows here as JSON")
    p.add_argument("--qemu", default="qemu-system-x86_64")
    p.add_argument("--accel", default="tcg")
    p.add_argument("--timeout-scale", type=float,
                   default=float(os.environ.get("AERO_E2E_TIMEOUT_SCALE", "1")),
                   help="multiply every harness timeout (env AERO_E2E_TIMEOUT_SCALE)")
    p.add_argument("-v", "--verbose", action="store_true", help="echo markers as they arrive")
    p.set_defaults(func=_run)

    args = parser.parse_args(argv)
    return args.func(args)
