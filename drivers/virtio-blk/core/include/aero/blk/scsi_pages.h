// Builders of the parameter data the disk returns: INQUIRY (standard and VPD pages), MODE SENSE,
// READ CAPACITY and REPORT LUNS. Pure functions of a DiskDescription snapshot; each writes its
// full response into `out` (at least kMaxResponseBytes) and returns its length. Truncation to the
// allocation length is the caller's job.
#pragma once

#include <stdint.h>

#include "aero/blk/cdb.h"
#include "aero/blk/request_engine.h"

namespace aero::blk {

inline constexpr size_t kMaxResponseBytes = 96;

// T10 identification strings, space padded, not NUL terminated.
struct DiskIdentity {
  char vendor[8];
  char product[16];
  char revision[4];
};

// Copies at most the field width of each string (null: empty) and pads with spaces.
void MakeDiskIdentity(const char* vendor, const char* product, const char* revision,
                      DiskIdentity* out);

struct DiskDescription {
  DiskGeometry geometry;
  uint32_t max_transfer_blocks;
  bool write_cache;  // FLUSH negotiated: the device may hold writes in a cache
  bool read_only;
  const char* serial;  // printable ASCII; serial_length 0 when unknown
  uint32_t serial_length;
  DiskIdentity identity;
};

size_t BuildStandardInquiry(const DiskDescription& disk, uint8_t* out);
// 0 when `page` is not supported (0x80 is supported only with a serial).
size_t BuildVpdPage(const DiskDescription& disk, uint8_t page, uint8_t* out);
// The mode parameter list for a decoded MODE SENSE (6)/(10) whose page control is not "saved".
size_t BuildModeSense(const DiskDescription& disk, const DecodedCdb& cdb, uint8_t* out);
size_t BuildReadCapacity10(const DiskDescription& disk, uint8_t* out);
size_t BuildReadCapacity16(const DiskDescription& disk, uint8_t* out);
size_t BuildReportLuns(const DecodedCdb& cdb, uint8_t* out);

}  // namespace aero::blk
