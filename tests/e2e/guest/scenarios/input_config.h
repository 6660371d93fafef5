// virtio-input device configuration: write select/subsel, then read size and payload (virtio 1.x
// section 5.8.4). The payload is read under config_generation by lib/virtio.
#pragma once

#include <stdint.h>

#include "virtio/device.h"

namespace aero::guest {

inline constexpr uint8_t kInputCfgIdName = 0x01;
inline constexpr uint8_t kInputCfgIdDevids = 0x03;
inline constexpr uint8_t kInputCfgEvBits = 0x11;
inline constexpr uint8_t kInputCfgAbsInfo = 0x12;

struct InputConfig {
  uint8_t size;
  uint8_t payload[128];
};

// nullptr or a reason.
const char* read_input_config(VirtioDevice* dev, uint8_t select, uint8_t subsel, InputConfig* out);

// Copies the ID_NAME string (NUL-terminated, at most 127 characters) into name.
const char* read_input_name(VirtioDevice* dev, char (&name)[128]);

}  // namespace aero::guest
