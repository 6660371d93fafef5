#include "aero/blk/sense.h"

#include "byte_order.h"

namespace aero::blk {

void BuildSense(uint8_t sense_key, scsi::Asc asc, SenseData* out) {
  for (uint8_t& byte : out->bytes) {
    byte = 0;
  }
  out->bytes[0] = scsi::kSenseResponseFixedCurrent;
  out->bytes[2] = static_cast<uint8_t>(sense_key & 0x0F);
  out->bytes[7] = scsi::kFixedSenseAdditionalLength;
  out->bytes[12] = asc.code;
  out->bytes[13] = asc.qualifier;
}

void BuildCdbFieldSense(scsi::Asc asc, uint8_t cdb_byte, SenseData* out) {
  BuildSense(scsi::kSenseIllegalRequest, asc, out);
  out->bytes[15] = scsi::kSenseKeySpecificValid | scsi::kSenseFieldInCdb;
  StoreBe16(out->bytes + 16, cdb_byte);
}

void BuildSenseWithInformation(uint8_t sense_key, scsi::Asc asc, uint32_t information,
                               SenseData* out) {
  BuildSense(sense_key, asc, out);
  out->bytes[0] |= scsi::kSenseValidInformation;
  StoreBe32(out->bytes + 3, information);
}

}  // namespace aero::blk
