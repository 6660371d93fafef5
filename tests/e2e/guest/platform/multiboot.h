// The multiboot (v1) information QEMU hands over: the command line and the memory map. Both are
// validated before use; the guest runs scenario=<name> and reads other key=value options from the
// command line (QEMU prefixes it with the kernel's path, which has no '=' and is skipped).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace aero::guest {

inline constexpr uint32_t kMultibootBootloaderMagic = 0x2badb002;

struct MemoryRange {
  uint64_t base;
  uint64_t length;
};

// Checks the magic and copies what the guest needs out of the info block. Returns nullptr on
// success or a reason.
const char* multiboot_init(uint32_t magic, uint32_t info_address);

// The command line (empty if none was given).
const char* cmdline();
// Looks up key=value on the command line; false if absent. The value is not NUL-terminated.
bool cmdline_value(const char* key, const char** value, size_t* length);
// Copies the value of key into out (NUL-terminated, cut to out_size - 1); false if absent.
bool cmdline_string(const char* key, char* out, size_t out_size);
// Numeric option (decimal or 0x-hex); fallback when absent. *valid is false if present but bad.
uint64_t cmdline_u64(const char* key, uint64_t fallback, bool* valid);

// Available RAM ranges from the memory map (type 1), in map order.
size_t memory_range_count();
MemoryRange memory_range(size_t index);

}  // namespace aero::guest
