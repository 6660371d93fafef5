// Pieces the virtio-blk core scenarios share: bring-up as a test, synchronous non-I/O commands, the
// sector seed table, and a workload wrapped in a test.
#pragma once

#include <stdint.h>

#include "scenarios/scsi_rig.h"
#include "scenarios/scsi_workload.h"

namespace aero::guest {

// The rig and the request slots of the running scenario (one per boot; function-local statics,
// as the guest has no global constructors).
ScsiRig& scenario_rig();
WorkloadSlots& scenario_slots();

// Test "<prefix>.init": finds the virtio-blk function, opens the rig with `depth` request slots
// and checks the geometry (expect_sectors 0: any). False when the scenario cannot go on.
bool scsi_open_test(ScsiRig& rig, const char* test_name, uint16_t depth, uint64_t expect_sectors,
                    uint32_t expect_block_size);

// Runs one command with a data-in buffer of `length` bytes (nullptr/0: none) and waits for it.
// Returns nullptr when it completed (any status: see io->completion), else a reason. `io` must be
// one for such commands, not a workload slot (its data pointer is replaced).
const char* scsi_run(ScsiRig& rig, ScsiIo* io, const uint8_t* cdb, uint8_t cdb_length,
                     uint8_t* buffer, uint32_t length, uint32_t timeout_ms);

// A reason when the completion is not GOOD (with the sense key/ASC/ASCQ), else nullptr.
const char* scsi_expect_good(const char* what, const ScsiIo& io);

// scsi_run, then scsi_expect_good: a reason unless the command completed GOOD.
const char* scsi_query(ScsiRig& rig, ScsiIo* io, const char* what, const uint8_t* cdb,
                       uint8_t cdb_length, uint8_t* buffer, uint32_t length, uint32_t timeout_ms);

// Test `test_name`: ScsiDisk::Shutdown (outstanding requests complete, aborted) and the check
// that no request completed twice or while not pending.
void scsi_close_test(ScsiRig& rig, const char* test_name);

// Every sector starts as `seed`. False when out of memory.
bool seeds_init(SectorSeeds* seeds, uint64_t sectors, uint32_t seed);

// Test `test_name`: runs the workload and reports its figures (added to *totals when given).
// False when it failed.
bool workload_test(const char* test_name, ScsiRig& rig, WorkloadSlots& slots,
                   const WorkloadSpec& spec, SectorSeeds* seeds, WorkloadStats* totals = nullptr);

}  // namespace aero::guest
