#include "aero/blk/cdb.h"

#include "aero/blk/scsi_spec.h"
#include "byte_order.h"

namespace aero::blk {
namespace {

namespace s = scsi;

CdbError InvalidField(DecodedCdb* out, uint8_t byte) {
  out->field_byte = byte;
  return CdbError::kInvalidField;
}

bool Lookup(uint8_t opcode, ScsiCommand* command) {
  switch (opcode) {
    case s::kOpTestUnitReady:
      *command = ScsiCommand::kTestUnitReady;
      return true;
    case s::kOpRequestSense:
      *command = ScsiCommand::kRequestSense;
      return true;
    case s::kOpInquiry:
      *command = ScsiCommand::kInquiry;
      return true;
    case s::kOpModeSense6:
    case s::kOpModeSense10:
      *command = ScsiCommand::kModeSense;
      return true;
    case s::kOpStartStopUnit:
      *command = ScsiCommand::kStartStopUnit;
      return true;
    case s::kOpPreventAllowMediumRemoval:
      *command = ScsiCommand::kPreventAllowMediumRemoval;
      return true;
    case s::kOpReadCapacity10:
      *command = ScsiCommand::kReadCapacity10;
      return true;
    case s::kOpServiceActionIn16:
      *command = ScsiCommand::kReadCapacity16;
      return true;
    case s::kOpRead6:
    case s::kOpRead10:
    case s::kOpRead12:
    case s::kOpRead16:
      *command = ScsiCommand::kRead;
      return true;
    case s::kOpWrite6:
    case s::kOpWrite10:
    case s::kOpWrite12:
    case s::kOpWrite16:
      *command = ScsiCommand::kWrite;
      return true;
    case s::kOpVerify10:
    case s::kOpVerify16:
      *command = ScsiCommand::kVerify;
      return true;
    case s::kOpSynchronizeCache10:
    case s::kOpSynchronizeCache16:
      *command = ScsiCommand::kSynchronizeCache;
      return true;
    case s::kOpReportLuns:
      *command = ScsiCommand::kReportLuns;
      return true;
    default:
      return false;
  }
}

// LBA and length of the 10-, 12- and 16-byte read/write/verify/sync layouts.
void DecodeBlockRange(const uint8_t* cdb, uint8_t length, DecodedCdb* out) {
  if (length == 16) {
    out->lba = LoadBe64(cdb + 2);
    out->blocks = LoadBe32(cdb + 10);
    out->transfer_length_byte = 10;
  } else if (length == 12) {
    out->lba = LoadBe32(cdb + 2);
    out->blocks = LoadBe32(cdb + 6);
    out->transfer_length_byte = 6;
  } else {
    out->lba = LoadBe32(cdb + 2);
    out->blocks = LoadBe16(cdb + 7);
    out->transfer_length_byte = 7;
  }
}

CdbError DecodeReadWrite(const uint8_t* cdb, uint8_t length, DecodedCdb* out) {
  if (length == 6) {
    out->lba = LoadBe24(cdb + 1) & 0x1FFFFF;
    out->blocks = cdb[4] == 0 ? 256 : cdb[4];  // READ/WRITE (6): 0 means 256 blocks
    out->transfer_length_byte = 4;
    return CdbError::kNone;
  }
  if ((cdb[1] & 0xE0) != 0) {
    return InvalidField(out, 1);  // RDPROTECT/WRPROTECT: no protection information here
  }
  out->fua = (cdb[1] & 0x08) != 0;
  DecodeBlockRange(cdb, length, out);
  return CdbError::kNone;
}

CdbError DecodeModeSense(const uint8_t* cdb, DecodedCdb* out) {
  out->ten_byte_mode = cdb[0] == s::kOpModeSense10;
  out->dbd = (cdb[1] & 0x08) != 0;
  out->llbaa = out->ten_byte_mode && (cdb[1] & 0x10) != 0;
  out->page_control = static_cast<uint8_t>(cdb[2] >> 6);
  out->page_code = static_cast<uint8_t>(cdb[2] & 0x3F);
  out->subpage_code = cdb[3];
  out->allocation_length = out->ten_byte_mode ? LoadBe16(cdb + 7) : cdb[4];
  if (out->page_code != s::kModePageCaching && out->page_code != s::kModePageControl &&
      out->page_code != s::kModePageAll) {
    return InvalidField(out, 2);
  }
  if (out->subpage_code != 0 && out->subpage_code != s::kModeSubpageAll) {
    return InvalidField(out, 3);  // no subpages beyond page_0 formats
  }
  return CdbError::kNone;
}

}  // namespace

uint8_t CdbLengthForOpcode(uint8_t opcode) {
  switch (opcode >> 5) {
    case 0:
      return 6;
    case 1:
    case 2:
      return 10;
    case 4:
      return 16;
    case 5:
      return 12;
    default:
      return 0;
  }
}

CdbError DecodeCdb(const uint8_t* cdb, size_t length, DecodedCdb* out) {
  *out = DecodedCdb{};
  if (cdb == nullptr || length == 0) {
    return CdbError::kTooShort;
  }
  out->opcode = cdb[0];
  if (!Lookup(cdb[0], &out->command)) {
    return CdbError::kInvalidOpcode;
  }
  out->length = CdbLengthForOpcode(cdb[0]);
  if (length < out->length) {
    return CdbError::kTooShort;
  }
  const uint8_t control = static_cast<uint8_t>(out->length - 1);
  if ((cdb[control] & s::kControlNaca) != 0) {
    return InvalidField(out, control);  // NACA is not supported
  }
  switch (out->command) {
    case ScsiCommand::kTestUnitReady:
    case ScsiCommand::kPreventAllowMediumRemoval:
      return CdbError::kNone;
    case ScsiCommand::kRequestSense:
      out->allocation_length = cdb[4];
      return (cdb[1] & 0x01) != 0 ? InvalidField(out, 1) : CdbError::kNone;  // DESC: fixed only
    case ScsiCommand::kInquiry:
      out->evpd = (cdb[1] & 0x01) != 0;
      out->page_code = cdb[2];
      out->allocation_length = LoadBe16(cdb + 3);
      if ((cdb[1] & 0x02) != 0) {
        return InvalidField(out, 1);  // CMDDT (obsolete)
      }
      if (!out->evpd && out->page_code != 0) {
        return InvalidField(out, 2);
      }
      return CdbError::kNone;
    case ScsiCommand::kModeSense:
      return DecodeModeSense(cdb, out);
    case ScsiCommand::kStartStopUnit:
      return (cdb[4] & 0x02) != 0 ? InvalidField(out, 4) : CdbError::kNone;  // LOEJ: fixed disk
    case ScsiCommand::kReadCapacity10:
      out->lba = LoadBe32(cdb + 2);
      out->allocation_length = s::kReadCapacity10Bytes;
      return (cdb[8] & 0x01) == 0 && out->lba != 0 ? InvalidField(out, 2) : CdbError::kNone;
    case ScsiCommand::kReadCapacity16:
      if ((cdb[1] & 0x1F) != s::kServiceActionReadCapacity16) {
        return InvalidField(out, 1);
      }
      out->lba = LoadBe64(cdb + 2);
      out->allocation_length = LoadBe32(cdb + 10);
      return (cdb[14] & 0x01) == 0 && out->lba != 0 ? InvalidField(out, 2) : CdbError::kNone;
    case ScsiCommand::kRead:
    case ScsiCommand::kWrite:
      return DecodeReadWrite(cdb, out->length, out);
    case ScsiCommand::kVerify:
      if ((cdb[1] & 0xE0) != 0) {
        return InvalidField(out, 1);  // VRPROTECT
      }
      if ((cdb[1] & 0x06) != 0) {
        return InvalidField(out, 1);  // BYTCHK: comparing with data-out is not supported
      }
      DecodeBlockRange(cdb, out->length, out);
      return CdbError::kNone;
    case ScsiCommand::kSynchronizeCache:
      DecodeBlockRange(cdb, out->length, out);
      return CdbError::kNone;
    case ScsiCommand::kReportLuns:
      out->select_report = cdb[2];
      out->allocation_length = LoadBe32(cdb + 6);
      if (out->select_report > 0x02) {
        return InvalidField(out, 2);
      }
      return out->allocation_length < 16 ? InvalidField(out, 6) : CdbError::kNone;
  }
  return CdbError::kInvalidOpcode;
}

}  // namespace aero::blk
