// Fixed-format sense data (SPC-4, response code 0x70), 18 bytes, as the port driver copies it
// into the request's sense buffer (autosense).
#pragma once

#include <stdint.h>

#include "aero/blk/scsi_spec.h"

namespace aero::blk {

struct SenseData {
  uint8_t bytes[scsi::kFixedSenseBytes];
};

// Sense key + additional sense code, nothing else.
void BuildSense(uint8_t sense_key, scsi::Asc asc, SenseData* out);
// ILLEGAL REQUEST with the sense-key specific field pointer at CDB byte `cdb_byte`.
void BuildCdbFieldSense(scsi::Asc asc, uint8_t cdb_byte, SenseData* out);
// With the INFORMATION field (e.g. the first LBA of a failed transfer) and VALID set.
void BuildSenseWithInformation(uint8_t sense_key, scsi::Asc asc, uint32_t information,
                               SenseData* out);

}  // namespace aero::blk
