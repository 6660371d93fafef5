// SCSI facts used by the translation layer (SPC-4 / SBC-3): operation codes, status codes, sense
// keys and additional sense codes, VPD and mode page codes.
#pragma once

#include <stdint.h>

namespace aero::blk::scsi {

// Operation codes.
inline constexpr uint8_t kOpTestUnitReady = 0x00;
inline constexpr uint8_t kOpRequestSense = 0x03;
inline constexpr uint8_t kOpRead6 = 0x08;
inline constexpr uint8_t kOpWrite6 = 0x0A;
inline constexpr uint8_t kOpInquiry = 0x12;
inline constexpr uint8_t kOpModeSense6 = 0x1A;
inline constexpr uint8_t kOpStartStopUnit = 0x1B;
inline constexpr uint8_t kOpPreventAllowMediumRemoval = 0x1E;
inline constexpr uint8_t kOpReadCapacity10 = 0x25;
inline constexpr uint8_t kOpRead10 = 0x28;
inline constexpr uint8_t kOpWrite10 = 0x2A;
inline constexpr uint8_t kOpVerify10 = 0x2F;
inline constexpr uint8_t kOpSynchronizeCache10 = 0x35;
inline constexpr uint8_t kOpModeSense10 = 0x5A;
inline constexpr uint8_t kOpRead16 = 0x88;
inline constexpr uint8_t kOpWrite16 = 0x8A;
inline constexpr uint8_t kOpVerify16 = 0x8F;
inline constexpr uint8_t kOpSynchronizeCache16 = 0x91;
inline constexpr uint8_t kOpServiceActionIn16 = 0x9E;
inline constexpr uint8_t kOpReportLuns = 0xA0;
inline constexpr uint8_t kOpRead12 = 0xA8;
inline constexpr uint8_t kOpWrite12 = 0xAA;

inline constexpr uint8_t kServiceActionReadCapacity16 = 0x10;

// Status byte.
inline constexpr uint8_t kStatusGood = 0x00;
inline constexpr uint8_t kStatusCheckCondition = 0x02;
inline constexpr uint8_t kStatusBusy = 0x08;

// Sense keys.
inline constexpr uint8_t kSenseNoSense = 0x0;
inline constexpr uint8_t kSenseNotReady = 0x2;
inline constexpr uint8_t kSenseMediumError = 0x3;
inline constexpr uint8_t kSenseHardwareError = 0x4;
inline constexpr uint8_t kSenseIllegalRequest = 0x5;
inline constexpr uint8_t kSenseUnitAttention = 0x6;
inline constexpr uint8_t kSenseDataProtect = 0x7;
inline constexpr uint8_t kSenseAbortedCommand = 0xB;

// Additional sense code / qualifier pairs.
struct Asc {
  uint8_t code;
  uint8_t qualifier;
};
inline constexpr Asc kAscNoAdditionalSense = {0x00, 0x00};
inline constexpr Asc kAscWriteError = {0x0C, 0x00};
inline constexpr Asc kAscUnrecoveredReadError = {0x11, 0x00};
inline constexpr Asc kAscInvalidCommandOperationCode = {0x20, 0x00};
inline constexpr Asc kAscLbaOutOfRange = {0x21, 0x00};
inline constexpr Asc kAscInvalidFieldInCdb = {0x24, 0x00};
inline constexpr Asc kAscWriteProtected = {0x27, 0x00};
inline constexpr Asc kAscCapacityDataChanged = {0x2A, 0x09};
inline constexpr Asc kAscSavingParametersNotSupported = {0x39, 0x00};
inline constexpr Asc kAscMediumNotPresent = {0x3A, 0x00};
inline constexpr Asc kAscInternalTargetFailure = {0x44, 0x00};

// Fixed-format sense data (response code 0x70: current error).
inline constexpr uint8_t kSenseResponseFixedCurrent = 0x70;
inline constexpr uint8_t kSenseValidInformation = 0x80;  // byte 0: INFORMATION field is valid
inline constexpr uint8_t kFixedSenseBytes = 18;
inline constexpr uint8_t kFixedSenseAdditionalLength = kFixedSenseBytes - 8;
inline constexpr uint8_t kSenseKeySpecificValid = 0x80;  // byte 15 SKSV
inline constexpr uint8_t kSenseFieldInCdb = 0x40;        // byte 15 C/D

// Control byte (last CDB byte).
inline constexpr uint8_t kControlNaca = 0x04;

// INQUIRY.
inline constexpr uint8_t kPeripheralDirectAccess = 0x00;  // qualifier 0, type 0
inline constexpr uint8_t kVersionSpc3 = 0x05;
inline constexpr uint8_t kResponseDataFormat2 = 0x02;
inline constexpr uint8_t kInquiryCmdQue = 0x02;  // byte 7
inline constexpr uint8_t kStandardInquiryBytes = 36;

inline constexpr uint8_t kVpdSupportedPages = 0x00;
inline constexpr uint8_t kVpdUnitSerialNumber = 0x80;
inline constexpr uint8_t kVpdDeviceIdentification = 0x83;
inline constexpr uint8_t kVpdBlockLimits = 0xB0;
inline constexpr uint8_t kVpdBlockDeviceCharacteristics = 0xB1;
inline constexpr uint8_t kVpdBlockLimitsLength = 0x3C;
inline constexpr uint8_t kVpdBlockCharacteristicsLength = 0x3C;

// Designation descriptor (VPD 0x83).
inline constexpr uint8_t kCodeSetAscii = 0x2;
inline constexpr uint8_t kDesignatorT10VendorId = 0x1;  // association 0: the logical unit

// MODE SENSE.
inline constexpr uint8_t kModePageCaching = 0x08;
inline constexpr uint8_t kModePageControl = 0x0A;
inline constexpr uint8_t kModePageAll = 0x3F;
inline constexpr uint8_t kModeSubpageAll = 0xFF;
inline constexpr uint8_t kModeCachingLength = 0x12;  // page length byte (page is 20 bytes)
inline constexpr uint8_t kModeControlLength = 0x0A;  // page length byte (page is 12 bytes)
inline constexpr uint8_t kCachingWce = 0x04;         // caching page byte 2
inline constexpr uint8_t kDeviceSpecificWriteProtect = 0x80;
inline constexpr uint8_t kModeLongLba = 0x01;  // mode parameter header (10) byte 4
inline constexpr uint8_t kPageControlCurrent = 0;
inline constexpr uint8_t kPageControlChangeable = 1;
inline constexpr uint8_t kPageControlDefault = 2;
inline constexpr uint8_t kPageControlSaved = 3;

// READ CAPACITY (16) byte 13: low nibble is LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT.
inline constexpr uint8_t kReadCapacity16Bytes = 32;
inline constexpr uint8_t kReadCapacity10Bytes = 8;

}  // namespace aero::blk::scsi
