#!/usr/bin/env python3
"""Writes the x86 or x64 .def file for one module from its master list (<module>.def.in)."""
import os
import re
import sys


def convert(lines, arch):
    out = []
    for n, raw in enumerate(lines, 1):
        text, _, comment = raw.partition(";")
        text = text.strip()
        only = re.search(r"\barch=(x86|x64)\b", comment)
        if not text or (only and only.group(1) != arch):
            continue
        if text.startswith("LIBRARY") or text == "EXPORTS":
            out.append(text)
            continue
        m = re.match(r"^(@?)([A-Za-z_]\w*)(@\d+)?(\s+DATA)?$", text)
        if not m:
            raise ValueError(f"line {n}: not an export: {text!r}")
        fast, name, size, data = m.groups()
        if fast and not size:
            raise ValueError(f"line {n}: fastcall export {name} needs @N")
        if arch == "x86":
            out.append(f"{fast}{name}{size or ''}{data or ''}")
        else:
            out.append(f"{name}{data or ''}")
    return out


def main():
    if len(sys.argv) != 4 or sys.argv[2] not in ("x86", "x64"):
        print("usage: gen_def.py <module.def.in> <x86|x64> <out.def>", file=sys.stderr)
        return 2
    src, arch, dst = sys.argv[1:]
    try:
        lines = convert(open(src, encoding="utf-8").read().splitlines(), arch)
    except (OSError, ValueError) as e:
        print(f"gen_def.py: {src}: {e}", file=sys.stderr)
        return 1
    tmp = dst + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, dst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
