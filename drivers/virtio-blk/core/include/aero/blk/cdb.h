// Decoding of SCSI command descriptor blocks into one flat structure. Only the operation codes the
// disk supports are decoded; checks that need no device state (CDB length, reserved-to-us bits,
// unsupported pages, NACA) happen here, range checks happen in ScsiDisk.
#pragma once

#include <stdint.h>

#include "aero/blk/status.h"

namespace aero::blk {

enum class ScsiCommand : uint8_t {
  kTestUnitReady,
  kRequestSense,
  kInquiry,
  kModeSense,
  kStartStopUnit,
  kPreventAllowMediumRemoval,
  kReadCapacity10,
  kReadCapacity16,
  kRead,
  kWrite,
  kVerify,
  kSynchronizeCache,
  kReportLuns,
};

enum class CdbError : uint8_t {
  kNone,
  kTooShort,       // no bytes, or fewer than the operation code's CDB length
  kInvalidOpcode,  // ILLEGAL REQUEST / INVALID COMMAND OPERATION CODE
  kInvalidField,   // ILLEGAL REQUEST / INVALID FIELD IN CDB at DecodedCdb::field_byte
};

struct DecodedCdb {
  ScsiCommand command;
  uint8_t opcode;
  uint8_t length;                // CDB bytes the operation code defines (6, 10, 12 or 16)
  uint8_t field_byte;            // kInvalidField: the offending CDB byte
  uint8_t transfer_length_byte;  // first byte of the TRANSFER LENGTH field (reads/writes)
  uint64_t lba;
  uint32_t blocks;  // transfer, verification or synchronisation length (logical blocks)
  uint32_t allocation_length;
  uint8_t page_code;
  uint8_t subpage_code;
  uint8_t page_control;
  uint8_t select_report;
  bool fua;
  bool evpd;
  bool dbd;
  bool llbaa;
  bool ten_byte_mode;  // MODE SENSE (10)
};

// CDB length implied by the operation code's group: 6, 10, 12, 16, or 0 (reserved/vendor).
uint8_t CdbLengthForOpcode(uint8_t opcode);

// `out` is filled for kNone; for kInvalidField its command, opcode and field_byte are set.
CdbError DecodeCdb(const uint8_t* cdb, size_t length, DecodedCdb* out);

}  // namespace aero::blk
