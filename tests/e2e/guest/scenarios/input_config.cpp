#include "scenarios/input_config.h"

#include "aero/virtio/status.h"

namespace aero::guest {

const char* read_input_config(VirtioDevice* dev, uint8_t select, uint8_t subsel, InputConfig* out) {
  if (!virtio_config_write8(dev, 0, select) || !virtio_config_write8(dev, 1, subsel)) {
    return "device configuration region too small for virtio-input";
  }
  const virtio::ConfigField fields[] = {{2, 1, 1, &out->size}, {8, 1, 128, out->payload}};
  const virtio::Status s = dev->transport.ReadConfig(fields, 2);
  if (s != virtio::Status::kOk) {
    return virtio::StatusText(s);
  }
  if (out->size > sizeof(out->payload)) {
    return "virtio-input config size larger than the 128-byte payload";
  }
  return nullptr;
}

const char* read_input_name(VirtioDevice* dev, char (&name)[128]) {
  InputConfig cfg;
  if (const char* e = read_input_config(dev, kInputCfgIdName, 0, &cfg)) {
    return e;
  }
  uint8_t n = cfg.size > 127 ? 127 : cfg.size;
  for (uint8_t i = 0; i < n; ++i) {
    const char c = static_cast<char>(cfg.payload[i]);
    if (c == '\0') {  // QEMU counts the terminating NUL in the size
      n = i;
      break;
    }
    name[i] = (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  name[n] = '\0';
  return nullptr;
}

}  // namespace aero::guest
