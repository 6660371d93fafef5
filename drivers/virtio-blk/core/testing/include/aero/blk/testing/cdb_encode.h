// Encoders for the READ/WRITE CDB forms (SBC-3 field positions: big-endian LBA and length, FUA in
// byte 1 bit 3), shared by the host test rig and the e2e guest. Freestanding, header-only.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace aero::blk::testing {

inline void PutBigEndian(uint8_t* out, uint64_t value, unsigned bytes) {
  for (unsigned i = 0; i < bytes; ++i) {
    out[i] = static_cast<uint8_t>(value >> (8 * (bytes - 1 - i)));
  }
}

// Each writes the whole CDB (unused bytes zero) into `out` and returns its length.
inline uint8_t EncodeCdb6(uint8_t* out, uint8_t opcode, uint32_t lba, uint8_t length,
                          uint8_t byte1) {
  out[0] = opcode;
  out[1] = static_cast<uint8_t>(byte1 | ((lba >> 16) & 0x1F));  // 21-bit LBA
  PutBigEndian(out + 2, lba & 0xFFFF, 2);
  out[4] = length;  // 0 means 256 for READ/WRITE (6)
  out[5] = 0;
  return 6;
}

inline uint8_t EncodeCdb10(uint8_t* out, uint8_t opcode, uint32_t lba, uint16_t length,
                           uint8_t byte1) {
  out[0] = opcode;
  out[1] = byte1;
  PutBigEndian(out + 2, lba, 4);
  out[6] = 0;
  PutBigEndian(out + 7, length, 2);
  out[9] = 0;
  return 10;
}

inline uint8_t EncodeCdb12(uint8_t* out, uint8_t opcode, uint32_t lba, uint32_t length,
                           uint8_t byte1) {
  out[0] = opcode;
  out[1] = byte1;
  PutBigEndian(out + 2, lba, 4);
  PutBigEndian(out + 6, length, 4);
  out[10] = 0;
  out[11] = 0;
  return 12;
}

inline uint8_t EncodeCdb16(uint8_t* out, uint8_t opcode, uint64_t lba, uint32_t length,
                           uint8_t byte1) {
  out[0] = opcode;
  out[1] = byte1;
  PutBigEndian(out + 2, lba, 8);
  PutBigEndian(out + 10, length, 4);
  out[14] = 0;
  out[15] = 0;
  return 16;
}

}  // namespace aero::blk::testing
