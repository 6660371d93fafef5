"""The human summary and the JUnit XML of a bench run. Files are written to a temporary name and
renamed, so a reader never sees half a report."""

import os
import xml.etree.ElementTree as ET

from .bench import bench_lines
from .qemu import describe_exit


def atomic_write(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def _exit_text(result):
    if result.stopped_by_harness:
        return f"stopped by the harness (status {result.exit_status})"
    return describe_exit(result.exit_status)


def _cost_lines(result):
    if not result.cost:
        return []
    header = (f"    {'window':<28} {'batch':>5} {'reqs':>5} {'notify/batch':>12} "
              f"{'irq(dev)/batch':>14} {'irq(cpu)/batch':>14} {'isr/irq':>8}")
    lines = ["  cost report (QEMU trace, ioeventfd=off):", header]
    for row in result.cost:
        batches = max(1, int(row.get("batches", 1)))
        cpu_irqs = int(row.get("guest_interrupts", 0))
        isr = int(row.get("trace_isr_reads", 0))
        lines.append(
            f"    {row.get('label', '?'):<28} {row.get('batch', '?'):>5} "
            f"{row.get('requests', '?'):>5} "
            f"{int(row['trace_notify_writes']) / batches:>12.2f} "
            f"{int(row['trace_interrupts']) / batches:>14.2f} "
            f"{cpu_irqs / batches:>14.2f} "
            f"{(isr / cpu_irqs) if cpu_irqs else 0.0:>8.2f}")
    return lines


def summary_text(results, total_seconds):
    lines = []
    ok_count = sum(1 for r in results if r.verdict_ok)
    for r in results:
        counts = r.stream.counts()
        status = "ok  " if r.verdict_ok else "FAIL"
        lines.append(f"{status} {r.scenario:<30} {r.outcome:<15} {r.duration:6.2f} s  "
                     f"tests: {counts['PASS']} pass, {counts['FAIL']} fail, {counts['SKIP']} skip"
                     f"  [{r.verdict}]")
        if r.outcome != "pass" or not r.verdict_ok:
            for reason in r.reasons:
                lines.append(f"    reason: {reason}")
            lines.append(f"    qemu exit: {_exit_text(r)}")
        if not r.verdict_ok:
            if r.stderr_tail:
                lines.append("    qemu stderr (last lines):")
                lines.extend(f"      {x}" for x in r.stderr_tail[-10:])
            if r.serial_tail:
                lines.append("    serial (last lines):")
                lines.extend(f"      {x}" for x in r.serial_tail[-20:])
            lines.append(f"    work dir: {r.work_dir}")
        lines.extend(_cost_lines(r))
        lines.extend(bench_lines(r.bench))
    lines.append(f"{ok_count} of {len(results)} scenarios as expected in {total_seconds:.1f} s")
    return "\n".join(lines) + "\n"


def junit_xml(results, suite_name="aero-e2e"):
    root = ET.Element("testsuites", name=suite_name)
    for r in results:
        suite = ET.SubElement(root, "testsuite", name=f"e2e.{r.scenario}")
        cases = []
        expect_pass = r.verdict == "passed" or r.outcome == "pass"
        if expect_pass:
            for record in r.stream.tests.values():
                case = ET.Element("testcase", classname=f"e2e.{r.scenario}", name=record.name)
                if record.begin_time is not None and record.end_time is not None:
                    case.set("time", f"{max(0.0, record.end_time - record.begin_time):.3f}")
                if record.status == "FAIL":
                    ET.SubElement(case, "failure", message=record.reason or "failed")
                elif record.status == "SKIP":
                    ET.SubElement(case, "skipped", message=record.reason or "skipped")
                elif not record.status:
                    ET.SubElement(case, "failure", message="began but never reported")
                cases.append(case)
            for check in r.checks:
                case = ET.Element("testcase", classname=f"e2e.{r.scenario}", name=check.name)
                if not check.ok:
                    ET.SubElement(case, "failure", message=check.message)
                cases.append(case)
        run = ET.Element("testcase", classname=f"e2e.{r.scenario}", name="run",
                         time=f"{r.duration:.3f}")
        if not r.verdict_ok:
            failure = ET.SubElement(run, "failure", message=r.verdict)
            failure.text = "\n".join(r.reasons + ["serial:"] + r.serial_tail[-20:])
        out = ET.SubElement(run, "system-out")
        out.text = "\n".join([f"outcome: {r.outcome}", f"exit: {_exit_text(r)}"]
                             + [f"reason: {x}" for x in r.reasons])
        cases.append(run)
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
        suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
        suite.set("time", f"{r.duration:.3f}")
        suite.extend(cases)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
