"""READY actions that talk to QMP: block_resize and the blockstats comparison."""

import unittest

from aero_e2e import actions


class FakeQmp:
    def __init__(self, replies):
        self.replies = replies
        self.calls = []

    def execute(self, command, arguments=None):
        self.calls.append((command, arguments))
        return self.replies.get(command)


class FakeMarker:
    def __init__(self, **fields):
        self.fields = {k: str(v) for k, v in fields.items()}


class FakeContext:
    def __init__(self, qmp, marker):
        self.qmp = qmp
        self.marker = marker
        self.checks = []

    def check(self, name, ok, message=""):
        self.checks.append((name, ok, message))


def blockstats_reply(device, wr_bytes, flushes):
    return [{"device": "other", "stats": {"wr_bytes": 0, "flush_operations": 0}},
            {"device": device, "stats": {"wr_bytes": wr_bytes, "flush_operations": flushes}}]


class BlockResizeTest(unittest.TestCase):
    def test_resizes_to_the_size_the_guest_asks_for(self):
        qmp = FakeQmp({})
        ctx = FakeContext(qmp, FakeMarker(new_bytes=3145728))
        actions.block_resize("d0")(ctx)
        self.assertEqual(qmp.calls, [("block_resize", {"device": "d0", "size": 3145728})])
        self.assertTrue(ctx.checks[0][1])


class BlockstatsTest(unittest.TestCase):
    def run_action(self, reply, **fields):
        ctx = FakeContext(FakeQmp({"query-blockstats": reply}), FakeMarker(**fields))
        actions.blockstats("d0")(ctx)
        return ctx

    def test_agreement_passes(self):
        ctx = self.run_action(blockstats_reply("d0", 4096, 3), write_bytes=4096, flushes=3)
        self.assertEqual(ctx.checks, [("host.blockstats", True, ctx.checks[0][2])])

    def test_each_difference_fails(self):
        for wr_bytes, flushes in [(4096, 2), (512, 3)]:
            with self.assertRaises(ValueError) as raised:
                self.run_action(blockstats_reply("d0", wr_bytes, flushes), write_bytes=4096,
                                flushes=3)
            self.assertIn("the guest wrote 4096 bytes and caused 3 flushes", str(raised.exception))

    def test_missing_drive_fails(self):
        with self.assertRaises(ValueError):
            self.run_action(blockstats_reply("d1", 4096, 3), write_bytes=4096, flushes=3)


if __name__ == "__main__":
    unittest.main()
