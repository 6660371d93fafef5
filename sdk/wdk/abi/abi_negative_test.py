#!/usr/bin/env python3
"""Proves the ABI check can fail: applies one deliberate mistake to a copy of the WDK headers and
expects abi_check.py to fail with a message naming the broken item."""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# name -> (header, text to replace, replacement, arch, text the failure must name)
MUTATIONS = {
    "field_offset": ("wdm.h", "  ULONG Flags;\n  PVOID DriverStart;", "  ULONGLONG Flags;\n  PVOID DriverStart;",
                     "x86", "DRIVER_OBJECT.DriverStart: offset"),
    "record_size": ("wdm.h", "  ULONG ByteCount;\n  ULONG ByteOffset;\n} MDL", "  ULONG ByteCount;\n  ULONG ByteOffset;\n  ULONG Extra;\n} MDL",
                    "x86", "field MDL.Extra: not in the facts"),
    "calling_convention": ("wdm.h", "VOID FASTCALL IofCompleteRequest", "VOID NTAPI IofCompleteRequest",
                           "x86", "function IofCompleteRequest: prototype or calling convention"),
    "constant_value": ("wdm.h", "#define IRP_MJ_PNP 0x1b", "#define IRP_MJ_PNP 0x1c",
                       "x64", "constant IRP_MJ_PNP: value is not 27"),
    "wrong_decoration": ("lib/ntoskrnl.def.in", "IoCreateDevice@28", "IoCreateDevice@24",
                         "x86", "ntoskrnl.exe lists 'IoCreateDevice@24' but the prototype decorates as 'IoCreateDevice@28'"),
    "missing_export": ("lib/hal.def.in", "KeStallExecutionProcessor@4\n", "",
                       "x64", "function KeStallExecutionProcessor: declared without a body but exported by 0"),
    "unlisted_function": ("wdm.h", "EXTERN_C_END\n\n#endif  // AERO_WDK_WDM_H",
                          "VOID NTAPI AeroNotAWdkFunction(VOID);\nEXTERN_C_END\n\n#endif  // AERO_WDK_WDM_H",
                          "x86", "function AeroNotAWdkFunction: not in the facts"),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mutation", choices=sorted(MUTATIONS), required=True)
    ap.add_argument("--facts", required=True)
    ap.add_argument("--work-dir", required=True)
    args = ap.parse_args()
    header, old, new, arch, expected = MUTATIONS[args.mutation]

    os.makedirs(args.work_dir, exist_ok=True)
    tmp = tempfile.mkdtemp(dir=args.work_dir)
    try:
        inc = os.path.join(tmp, "include")
        lib = os.path.join(tmp, "lib")
        shutil.copytree(os.path.join(HERE, "..", "include"), inc)
        shutil.copytree(os.path.join(HERE, "..", "lib"), lib,
                        ignore=shutil.ignore_patterns("__pycache__"))
        path = os.path.join(tmp, header) if header.startswith("lib/") else os.path.join(inc, header)
        text = open(path, encoding="utf-8").read()
        if text.count(old) != 1:
            print(f"negative test {args.mutation}: the text to mutate is not in {header} exactly once")
            return 1
        open(path, "w", encoding="utf-8").write(text.replace(old, new))
        r = subprocess.run([sys.executable, os.path.join(HERE, "abi_check.py"), "--arch", arch,
                            "--facts", args.facts, "--include-dir", inc, "--def-dir", lib,
                            "--work-dir", os.path.join(tmp, "work")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        print(r.stdout)
        if r.returncode != 1:
            print(f"negative test {args.mutation}: expected exit 1, got {r.returncode}")
            return 1
        if expected not in r.stdout:
            print(f"negative test {args.mutation}: the failure does not name '{expected}'")
            return 1
        print(f"negative test {args.mutation}: the check failed as it must ('{expected}')")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
