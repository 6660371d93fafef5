#include "platform/scenario.h"
#include "scenarios.h"

namespace aero::guest {

const Scenario kScenarios[] = {
    {"platform", "timer, interrupts and DMA allocator of the guest itself", run_platform_scenario},
    {"pci", "enumerate PCI, check BARs and INTx routing", run_pci_scenario},
    {"blk", "virtio-blk: seeded read, whole-disk write, flush, read back, reset", run_blk_scenario},
    {"selftest-hang", "hangs on purpose (harness timeout path)", run_selftest_hang_scenario},
    {"selftest-exception", "raises #UD on purpose", run_selftest_exception_scenario},
    {"selftest-triple-fault", "triple-faults on purpose", run_selftest_triple_fault_scenario},
    {"selftest-garbage", "prints malformed markers on purpose", run_selftest_garbage_scenario},
};
const size_t kScenarioCount = sizeof(kScenarios) / sizeof(kScenarios[0]);

}  // namespace aero::guest
