#!/usr/bin/env python3
"""Fails when a tracked C/C++ source differs from what clang-format (the repo's .clang-format)
would make of it. Generated files are skipped (their generator owns their layout)."""
import os
import subprocess
import sys

GENERATED = {"include/aero/contract/aero_contract.h"}

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
files = subprocess.run(["git", "ls-files", "*.c", "*.cpp", "*.h"], cwd=root, check=True,
                       stdout=subprocess.PIPE, text=True).stdout.split()
files = [f for f in files if f not in GENERATED]
if not files:
    print("check-format: no sources found (not a git checkout?)")
    sys.exit(2)
r = subprocess.run(["clang-format", "--dry-run", "-Werror"] + files, cwd=root,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
if r.returncode != 0:
    print(r.stdout[-20000:])
    print("check-format: the files above are not clang-formatted (run clang-format -i on them)")
    sys.exit(1)
print(f"check-format: {len(files)} files formatted")
