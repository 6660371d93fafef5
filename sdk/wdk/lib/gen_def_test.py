import unittest

from gen_def import convert

MASTER = """; comment
LIBRARY hal.dll
EXPORTS
@KeAcquireInStackQueuedSpinLock@8 ; arch=x86
KeStallExecutionProcessor@4
KeOnlyOnX64 ; arch=x64
DbgPrint
KeTickCount DATA
""".splitlines()


class GenDefTest(unittest.TestCase):
    def test_x86_keeps_decorations_and_drops_x64_lines(self):
        self.assertEqual(convert(MASTER, "x86"), [
            "LIBRARY hal.dll", "EXPORTS", "@KeAcquireInStackQueuedSpinLock@8",
            "KeStallExecutionProcessor@4", "DbgPrint", "KeTickCount DATA"])

    def test_x64_undecorates_and_drops_x86_lines(self):
        self.assertEqual(convert(MASTER, "x64"), [
            "LIBRARY hal.dll", "EXPORTS", "KeStallExecutionProcessor", "KeOnlyOnX64", "DbgPrint",
            "KeTickCount DATA"])

    def test_rejects_fastcall_without_size_and_junk(self):
        with self.assertRaisesRegex(ValueError, "line 1: fastcall export Foo needs @N"):
            convert(["@Foo"], "x86")
        with self.assertRaisesRegex(ValueError, "line 2: not an export"):
            convert(["EXPORTS", "Foo Bar Baz"], "x86")


if __name__ == "__main__":
    unittest.main()
