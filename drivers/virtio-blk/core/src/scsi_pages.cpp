#include "aero/blk/scsi_pages.h"

#include "aero/blk/scsi_spec.h"
#include "byte_order.h"

namespace aero::blk {
namespace {

namespace s = scsi;

void Zero(uint8_t* out, size_t length) {
  for (size_t i = 0; i < length; ++i) {
    out[i] = 0;
  }
}

void PadCopy(const char* text, char* field, size_t width) {
  size_t i = 0;
  for (; text != nullptr && text[i] != '\0' && i < width; ++i) {
    field[i] = text[i];
  }
  for (; i < width; ++i) {
    field[i] = ' ';
  }
}

void CopyChars(const char* from, uint8_t* to, size_t length) {
  for (size_t i = 0; i < length; ++i) {
    to[i] = static_cast<uint8_t>(from[i]);
  }
}

uint64_t LastLba(const DiskDescription& disk) {
  return disk.geometry.block_count == 0 ? 0 : disk.geometry.block_count - 1;
}

// Caching (0x08) and Control (0x0A) pages; `changeable` reports the mask (nothing changes).
size_t PutCachingPage(const DiskDescription& disk, bool changeable, uint8_t* out) {
  Zero(out, 2 + s::kModeCachingLength);
  out[0] = s::kModePageCaching;
  out[1] = s::kModeCachingLength;
  if (!changeable && disk.write_cache) {
    out[2] = s::kCachingWce;
  }
  return 2 + s::kModeCachingLength;
}

size_t PutControlPage(bool changeable, uint8_t* out) {
  Zero(out, 2 + s::kModeControlLength);
  out[0] = s::kModePageControl;
  out[1] = s::kModeControlLength;
  if (!changeable) {
    out[3] = 0x10;  // QUEUE ALGORITHM MODIFIER 1: unrestricted reordering
  }
  return 2 + s::kModeControlLength;
}

}  // namespace

void MakeDiskIdentity(const char* vendor, const char* product, const char* revision,
                      DiskIdentity* out) {
  PadCopy(vendor, out->vendor, sizeof(out->vendor));
  PadCopy(product, out->product, sizeof(out->product));
  PadCopy(revision, out->revision, sizeof(out->revision));
}

size_t BuildStandardInquiry(const DiskDescription& disk, uint8_t* out) {
  Zero(out, s::kStandardInquiryBytes);
  out[0] = s::kPeripheralDirectAccess;
  out[2] = s::kVersionSpc3;
  out[3] = s::kResponseDataFormat2;
  out[4] = s::kStandardInquiryBytes - 5;
  out[7] = s::kInquiryCmdQue;
  CopyChars(disk.identity.vendor, out + 8, 8);
  CopyChars(disk.identity.product, out + 16, 16);
  CopyChars(disk.identity.revision, out + 32, 4);
  return s::kStandardInquiryBytes;
}

size_t BuildVpdPage(const DiskDescription& disk, uint8_t page, uint8_t* out) {
  Zero(out, kMaxResponseBytes);
  out[0] = s::kPeripheralDirectAccess;
  out[1] = page;
  switch (page) {
    case s::kVpdSupportedPages: {
      size_t n = 4;
      out[n++] = s::kVpdSupportedPages;
      if (disk.serial_length > 0) {
        out[n++] = s::kVpdUnitSerialNumber;
      }
      out[n++] = s::kVpdDeviceIdentification;
      out[n++] = s::kVpdBlockLimits;
      out[n++] = s::kVpdBlockDeviceCharacteristics;
      out[3] = static_cast<uint8_t>(n - 4);
      return n;
    }
    case s::kVpdUnitSerialNumber: {
      if (disk.serial_length == 0) {
        return 0;
      }
      const uint32_t length = disk.serial_length > 20 ? 20 : disk.serial_length;
      out[3] = static_cast<uint8_t>(length);
      CopyChars(disk.serial, out + 4, length);
      return 4 + length;
    }
    case s::kVpdDeviceIdentification: {
      // One T10 vendor ID designator for the logical unit: vendor, product, serial.
      const uint32_t serial = disk.serial_length > 20 ? 20 : disk.serial_length;
      const uint32_t designator = 8 + 16 + serial;
      out[4] = s::kCodeSetAscii;
      out[5] = s::kDesignatorT10VendorId;
      out[7] = static_cast<uint8_t>(designator);
      CopyChars(disk.identity.vendor, out + 8, 8);
      CopyChars(disk.identity.product, out + 16, 16);
      CopyChars(disk.serial, out + 32, serial);
      StoreBe16(out + 2, static_cast<uint16_t>(4 + designator));
      return 8 + designator;
    }
    case s::kVpdBlockLimits: {
      const uint32_t max = disk.max_transfer_blocks;
      uint32_t granularity = disk.geometry.optimal_granularity_blocks;
      uint32_t optimal = disk.geometry.optimal_transfer_blocks;
      granularity = granularity > max ? max : granularity;
      granularity = granularity > 0xFFFF ? 0 : granularity;
      optimal = optimal > max ? max : optimal;
      StoreBe16(out + 2, s::kVpdBlockLimitsLength);
      StoreBe16(out + 6, static_cast<uint16_t>(granularity));
      StoreBe32(out + 8, max);
      StoreBe32(out + 12, optimal);
      return 4 + s::kVpdBlockLimitsLength;
    }
    case s::kVpdBlockDeviceCharacteristics:
      // MEDIUM ROTATION RATE 0 (not reported) and form factor 0: the backing store is unknown.
      StoreBe16(out + 2, s::kVpdBlockCharacteristicsLength);
      return 4 + s::kVpdBlockCharacteristicsLength;
    default:
      return 0;
  }
}

size_t BuildModeSense(const DiskDescription& disk, const DecodedCdb& cdb, uint8_t* out) {
  const size_t header = cdb.ten_byte_mode ? 8 : 4;
  const size_t descriptor = cdb.dbd ? 0 : (cdb.llbaa ? 16 : 8);
  const bool changeable = cdb.page_control == s::kPageControlChangeable;
  Zero(out, header + descriptor);
  size_t n = header;
  if (descriptor == 8) {
    const uint64_t blocks = disk.geometry.block_count;
    StoreBe32(out + n, blocks > 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<uint32_t>(blocks));
    out[n + 5] = static_cast<uint8_t>(disk.geometry.block_size >> 16);  // byte 4 is reserved
    StoreBe16(out + n + 6, static_cast<uint16_t>(disk.geometry.block_size));
  } else if (descriptor == 16) {
    StoreBe64(out + n, disk.geometry.block_count);
    StoreBe32(out + n + 12, disk.geometry.block_size);
  }
  n += descriptor;
  if (cdb.page_code == s::kModePageCaching || cdb.page_code == s::kModePageAll) {
    n += PutCachingPage(disk, changeable, out + n);
  }
  if (cdb.page_code == s::kModePageControl || cdb.page_code == s::kModePageAll) {
    n += PutControlPage(changeable, out + n);
  }
  const uint8_t device_specific = disk.read_only ? s::kDeviceSpecificWriteProtect : 0;
  if (cdb.ten_byte_mode) {
    StoreBe16(out, static_cast<uint16_t>(n - 2));
    out[3] = device_specific;
    out[4] = descriptor == 16 ? s::kModeLongLba : 0;
    StoreBe16(out + 6, static_cast<uint16_t>(descriptor));
  } else {
    out[0] = static_cast<uint8_t>(n - 1);
    out[2] = device_specific;
    out[3] = static_cast<uint8_t>(descriptor);
  }
  return n;
}

size_t BuildReadCapacity10(const DiskDescription& disk, uint8_t* out) {
  const uint64_t last = LastLba(disk);
  StoreBe32(out, last >= 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<uint32_t>(last));
  StoreBe32(out + 4, disk.geometry.block_size);
  return s::kReadCapacity10Bytes;
}

size_t BuildReadCapacity16(const DiskDescription& disk, uint8_t* out) {
  Zero(out, s::kReadCapacity16Bytes);
  StoreBe64(out, LastLba(disk));
  StoreBe32(out + 8, disk.geometry.block_size);
  out[13] = static_cast<uint8_t>(disk.geometry.physical_exponent & 0x0F);
  StoreBe16(out + 14, static_cast<uint16_t>(disk.geometry.lowest_aligned_block & 0x3FFF));
  return s::kReadCapacity16Bytes;
}

size_t BuildReportLuns(const DecodedCdb& cdb, uint8_t* out) {
  Zero(out, 16);
  // SELECT REPORT 1 asks for well-known logical units only: there are none.
  const uint32_t list_bytes = cdb.select_report == 0x01 ? 0 : 8;
  StoreBe32(out, list_bytes);
  return 8 + list_bytes;
}

}  // namespace aero::blk
