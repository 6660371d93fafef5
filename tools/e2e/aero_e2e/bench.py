"""The virtio-blk benchmark report: the guest prints one AERO_SELFTEST|INFO|event=blk_bench line
per run (requests, elapsed microseconds, doorbell writes, interrupts, ISR reads, MMIO accesses);
this turns them into IOPS, MB/s and exits per request."""

from .model import CheckResult

FIELDS = ("bytes", "qd", "requests", "elapsed_us", "notifies", "interrupts", "isr_reads",
          "mmio_reads", "mmio_writes")


def bench_row(fields):
    """A report row from the fields of one blk_bench line (ValueError when one is bad)."""
    row = {"label": fields.get("label", "?")}
    for name in FIELDS:
        if name not in fields:
            raise ValueError(f"blk_bench line lacks {name}")
        row[name] = int(fields[name])
    if row["requests"] <= 0 or row["elapsed_us"] <= 0:
        raise ValueError(f"blk_bench {row['label']}: no requests or no time measured")
    seconds = row["elapsed_us"] / 1e6
    requests = row["requests"]
    row["iops"] = round(requests / seconds, 1)
    row["mb_per_s"] = round(requests * row["bytes"] / seconds / 1e6, 2)
    row["notifies_per_request"] = round(row["notifies"] / requests, 3)
    row["interrupts_per_request"] = round(row["interrupts"] / requests, 3)
    row["mmio_per_request"] = round((row["mmio_reads"] + row["mmio_writes"]) / requests, 3)
    return row


def check_blk_bench(result):
    """Scenario check: every blk_bench line parses; the rows go to result.bench."""
    problems = []
    for info in result.stream.infos_with(event="blk_bench"):
        try:
            result.bench.append(bench_row(info.fields))
        except ValueError as e:
            problems.append(str(e))
    if not result.bench and not problems:
        problems.append("the guest printed no blk_bench lines")
    return [CheckResult("host.blk_bench", not problems,
                        "; ".join(problems) or f"{len(result.bench)} runs measured")]


def bench_lines(rows):
    if not rows:
        return []
    lines = ["  virtio-blk bench (guest-counted exits; TCG, so figures are relative):",
             f"    {'run':<20} {'IOPS':>9} {'MB/s':>8} {'notify/req':>10} {'irq/req':>8} "
             f"{'mmio/req':>9}"]
    for row in rows:
        lines.append(f"    {row['label']:<20} {row['iops']:>9.1f} {row['mb_per_s']:>8.2f} "
                     f"{row['notifies_per_request']:>10.3f} {row['interrupts_per_request']:>8.3f} "
                     f"{row['mmio_per_request']:>9.3f}")
    return lines
