#!/usr/bin/env python3
"""Runs clang-tidy (the repo's .clang-tidy, warnings are errors) over the kernel-facing code as the
host build compiles it: lib/virtio, every drivers/*/core and drivers/*/win7 source. Usage:
check-tidy.py <build dir with compile_commands.json>. Exit 0 clean, 1 findings, 2 set-up error."""
import json
import os
import re
import shutil
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECKED = re.compile(r"^(lib/virtio/src|drivers/[^/]+/core/src|drivers/[^/]+/win7)/[^/]+\.cpp$")

if len(sys.argv) != 2:
    print("usage: check-tidy.py <build dir>", file=sys.stderr)
    sys.exit(2)
database = os.path.join(sys.argv[1], "compile_commands.json")
tidy = shutil.which("clang-tidy-14") or shutil.which("clang-tidy")
if tidy is None or not os.path.isfile(database):
    print("check-tidy: needs clang-tidy and %s" % database, file=sys.stderr)
    sys.exit(2)
with open(database, encoding="utf-8") as f:
    entries = json.load(f)
files = sorted({os.path.relpath(e["file"], root) for e in entries
                if CHECKED.match(os.path.relpath(e["file"], root))})
if not files:
    print("check-tidy: no kernel-facing sources in %s" % database, file=sys.stderr)
    sys.exit(2)
r = subprocess.run([tidy, "-p", sys.argv[1], "--quiet"] + files, cwd=root,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
findings = [line for line in r.stdout.splitlines() if re.search(r": (warning|error): ", line)]
if r.returncode != 0 or findings:
    print(r.stdout[-20000:])
    print("check-tidy: %d findings in %d files (fix them, or NOLINT(check) with a reason)"
          % (len(findings), len(files)))
    sys.exit(1)
print("check-tidy: %d files clean" % len(files))
