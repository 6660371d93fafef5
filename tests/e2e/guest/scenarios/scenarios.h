// The scenarios of the e2e test guest (scenario_table.cpp lists them by name).
#pragma once

namespace aero::guest {

void run_platform_scenario();
void run_pci_scenario();
void run_blk_scenario();
void run_transport_scenario();
void run_input_scenario();
void run_net_scenario();
void run_iommu_scenario();
void run_blk_cost_scenario();
void run_net_cost_scenario();
void run_scsi_scenario();
void run_scsi_resize_scenario();
void run_scsi_error_scenario();
void run_scsi_bench_scenario();
void run_selftest_hang_scenario();
void run_selftest_exception_scenario();
void run_selftest_triple_fault_scenario();
void run_selftest_garbage_scenario();

}  // namespace aero::guest
