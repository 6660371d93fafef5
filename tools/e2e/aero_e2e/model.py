"""What a scenario is: the machine and devices QEMU gets, how the guest boots, the timeouts, what
the harness does when the guest says READY, the host-side checks afterwards, and the outcome the
run must end in."""

from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

# harness-error: the harness itself could not prepare the run (work directory, images).
OUTCOMES = ("pass", "fail", "timeout", "qemu-error", "crash", "protocol-error", "harness-error")


@dataclass
class Disk:
    """A raw image the harness creates before the run (holding the pattern of `seed`, or zeros
    when seed is None) and checks afterwards against `expect`: a list of (first_sector,
    sector_count, seed) ranges the image must hold (None: not checked). The image may have grown
    during the run (QMP block_resize)."""
    drive_id: str
    size: int
    seed: Optional[int] = None
    expect: Optional[list] = None
    # QEMU blkdebug rules: (event, sector) pairs, e.g. ("read_aio", 1000): every request of that
    # kind touching the 512-byte sector fails with EIO.
    inject_errors: List[Tuple[str, int]] = field(default_factory=list)


@dataclass
class KernelBoot:
    """Boot a multiboot kernel with -kernel/-append; `cmdline` is key=value options for the
    guest (scenario=... included). A later boot kind (a Windows disk image) only has to provide
    qemu_args() too."""
    cmdline: Dict[str, str]

    def qemu_args(self, kernel):
        append = " ".join(f"{k}={v}" for k, v in self.cmdline.items())
        return ["-kernel", str(kernel), "-append", append]


@dataclass
class Expect:
    """The outcome a run must end in. For outcome "fail", failed_tests lists guest tests that
    must have failed; reason_contains must appear in one of the reasons (of the failed tests, or
    of the run)."""
    outcome: str = "pass"
    failed_tests: List[str] = field(default_factory=list)
    timed_out_test: Optional[str] = None
    reason_contains: Optional[str] = None

    def __post_init__(self):
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome}")


@dataclass
class CheckResult:
    name: str
    ok: bool
    message: str = ""


@dataclass
class Scenario:
    name: str
    description: str
    boot: KernelBoot
    machine: str = "pc"
    memory_mb: int = 64
    devices: List[str] = field(default_factory=list)     # -device values
    netdevs: List[str] = field(default_factory=list)     # -netdev values
    disks: List[Disk] = field(default_factory=list)
    extra_args: List[str] = field(default_factory=list)  # raw QEMU arguments
    boot_timeout: float = 20.0      # until START
    test_timeout: float = 60.0      # BEGIN -> TEST, per test
    test_timeouts: Dict[str, float] = field(default_factory=dict)
    overall_timeout: float = 120.0
    exit_timeout: float = 10.0      # RESULT -> QEMU exit
    trace_events: List[str] = field(default_factory=list)
    ready_actions: Dict[str, Callable] = field(default_factory=dict)
    checks: List[Callable] = field(default_factory=list)
    expect: Expect = field(default_factory=Expect)
    labels: List[str] = field(default_factory=list)

    def timeout_for(self, test_name):
        return self.test_timeouts.get(test_name, self.test_timeout)
