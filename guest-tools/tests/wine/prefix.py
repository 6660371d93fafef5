#!/usr/bin/env python3
"""Makes or removes the Wine template prefix that the Guest Tools tests clone per case.

Usage: prefix.py create DIR | prefix.py remove DIR
"""

import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def main(argv):
    if len(argv) != 3 or argv[1] not in ("create", "remove"):
        sys.stderr.write(__doc__)
        return 2
    prefix = os.path.abspath(argv[2])
    if argv[1] == "create":
        try:
            harness.create_template(prefix)
        except harness.HarnessError as error:
            sys.stderr.write("prefix.py: %s\n" % error)
            return 1
        print("Wine template prefix ready: %s" % prefix)
        return 0
    if shutil.which("wineserver") and os.path.isdir(prefix):
        env = harness.base_env(prefix, os.path.dirname(prefix))
        subprocess.run(["wineserver", "-k"], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=30)
    shutil.rmtree(prefix, ignore_errors=True)
    shutil.rmtree(os.path.join(os.path.dirname(prefix), "home"), ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
