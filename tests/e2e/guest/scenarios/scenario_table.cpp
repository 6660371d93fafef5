#include "platform/scenario.h"
#include "scenarios.h"

namespace aero::guest {

const Scenario kScenarios[] = {
    {"platform", "timer, interrupts and DMA allocator of the guest itself", run_platform_scenario},
    {"pci", "enumerate PCI, check BARs and INTx routing", run_pci_scenario},
    {"transport", "identify every virtio device, parse capabilities, DRIVER_OK, QMP check",
     run_transport_scenario},
    {"input", "virtio keyboard, mouse, tablet with QMP-injected events", run_input_scenario},
    {"net", "two virtio-net NICs on a hub: every frame size, a 1000-frame burst", run_net_scenario},
    {"iommu", "virtio-blk with iommu_platform=on: ACCESS_PLATFORM and bus mastering",
     run_iommu_scenario},
    {"blk", "virtio-blk: seeded read, whole-disk write, flush, read back, reset", run_blk_scenario},
    {"blk-cost", "exits per virtio-blk request for batches of 1, 8, 32", run_blk_cost_scenario},
    {"blk-scsi", "virtio-blk driver core in SCSI: identify, pattern, random QD 1..32, reset",
     run_scsi_scenario},
    {"blk-scsi-resize", "virtio-blk driver core: QMP block_resize during I/O",
     run_scsi_resize_scenario},
    {"blk-scsi-ioerror", "virtio-blk driver core: blkdebug EIO to MEDIUM ERROR sense",
     run_scsi_error_scenario},
    {"blk-bench", "virtio-blk driver core: IOPS, MB/s and exits for 4K/64K random I/O",
     run_scsi_bench_scenario},
    {"net-cost", "exits per virtio-net frame for batches of 1, 8, 32", run_net_cost_scenario},
    {"selftest-hang", "hangs on purpose (harness timeout path)", run_selftest_hang_scenario},
    {"selftest-exception", "raises #UD on purpose", run_selftest_exception_scenario},
    {"selftest-triple-fault", "triple-faults on purpose", run_selftest_triple_fault_scenario},
    {"selftest-garbage", "prints malformed markers on purpose", run_selftest_garbage_scenario},
};
const size_t kScenarioCount = sizeof(kScenarios) / sizeof(kScenarios[0]);

}  // namespace aero::guest
