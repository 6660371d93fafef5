// Identifier spellings derived from contract names, shared by the generators and the validator
// (which rejects names that would collide once converted).
#ifndef AERO_TOOLS_CONTRACT_NAMES_H_
#define AERO_TOOLS_CONTRACT_NAMES_H_

#include <string>
#include <string_view>

namespace aero::contract_tool {

// "max_virtqueue_pairs" -> "MaxVirtqueuePairs", "VERSION_1" -> "Version1".
std::string PascalCase(std::string_view name);

// Device name to C++ namespace: "virtio-input-keyboard" -> "virtio_input_keyboard".
std::string DeviceNamespace(std::string_view device_name);

// Device name to the cmd variable prefix: "virtio-blk" -> "AERO_VIRTIO_BLK".
std::string DeviceVariablePrefix(std::string_view device_name);

}  // namespace aero::contract_tool

#endif  // AERO_TOOLS_CONTRACT_NAMES_H_
