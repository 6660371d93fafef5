#include "multiboot.h"

#include "text.h"

namespace aero::guest {
namespace {

constexpr uint32_t kFlagMemory = 1u << 0;
constexpr uint32_t kFlagCmdline = 1u << 2;
constexpr uint32_t kFlagMemoryMap = 1u << 6;
constexpr uint32_t kMemoryAvailable = 1;
constexpr size_t kMaxCmdline = 1024;
constexpr size_t kMaxRanges = 32;
// Guest RAM the info block, the command line and the map must lie in (below 4 GiB, above 0).
constexpr uint32_t kLowestValidAddress = 0x1000;

struct Info {
  uint32_t flags;
  uint32_t mem_lower;
  uint32_t mem_upper;
  uint32_t boot_device;
  uint32_t cmdline;
  uint32_t mods_count;
  uint32_t mods_addr;
  uint32_t syms[4];
  uint32_t mmap_length;
  uint32_t mmap_addr;
};

struct [[gnu::packed]] MapEntry {
  uint32_t size;  // of the rest of the entry
  uint64_t base;
  uint64_t length;
  uint32_t type;
};

char g_cmdline[kMaxCmdline + 1];
MemoryRange g_ranges[kMaxRanges];
size_t g_range_count = 0;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

}  // namespace

const char* multiboot_init(uint32_t magic, uint32_t info_address) {
  if (magic != kMultibootBootloaderMagic) {
    return "not started by a multiboot loader (bad EAX magic)";
  }
  if (info_address < kLowestValidAddress) {
    return "multiboot info pointer is null";
  }
  const auto* info = reinterpret_cast<const Info*>(static_cast<uintptr_t>(info_address));
  g_cmdline[0] = '\0';
  if ((info->flags & kFlagCmdline) != 0) {
    if (info->cmdline < kLowestValidAddress) {
      return "multiboot command line pointer is null";
    }
    const auto* src = reinterpret_cast<const char*>(static_cast<uintptr_t>(info->cmdline));
    size_t n = 0;
    while (n < kMaxCmdline && src[n] != '\0') {
      g_cmdline[n] = src[n];
      ++n;
    }
    if (src[n] != '\0') {
      return "multiboot command line longer than 1024 bytes";
    }
    g_cmdline[n] = '\0';
  }
  if ((info->flags & kFlagMemoryMap) == 0) {
    if ((info->flags & kFlagMemory) == 0) {
      return "multiboot info has neither a memory map nor memory sizes";
    }
    // Fall back to the upper-memory size: RAM from 1 MiB on.
    g_ranges[0] = MemoryRange{0x100000, static_cast<uint64_t>(info->mem_upper) * 1024};
    g_range_count = 1;
    return nullptr;
  }
  if (info->mmap_addr < kLowestValidAddress || info->mmap_length > 64 * 1024) {
    return "multiboot memory map pointer or length is invalid";
  }
  uint32_t offset = 0;
  while (offset + sizeof(MapEntry) <= info->mmap_length) {
    const auto* e =
        reinterpret_cast<const MapEntry*>(static_cast<uintptr_t>(info->mmap_addr + offset));
    if (e->size < sizeof(MapEntry) - sizeof(uint32_t)) {
      return "multiboot memory map entry is too short";
    }
    if (e->type == kMemoryAvailable && e->length != 0 && g_range_count < kMaxRanges) {
      g_ranges[g_range_count++] = MemoryRange{e->base, e->length};
    }
    offset += e->size + sizeof(uint32_t);
  }
  if (g_range_count == 0) {
    return "multiboot memory map lists no available RAM";
  }
  return nullptr;
}

const char* cmdline() {
  return g_cmdline;
}

bool cmdline_value(const char* key, const char** value, size_t* length) {
  const size_t key_len = strlen_bounded(key);
  const char* p = g_cmdline;
  while (*p != '\0') {
    while (is_space(*p)) {
      ++p;
    }
    const char* token = p;
    while (*p != '\0' && !is_space(*p)) {
      ++p;
    }
    const size_t token_len = static_cast<size_t>(p - token);
    if (token_len > key_len && token[key_len] == '=' && str_equal(token, key_len, key)) {
      *value = token + key_len + 1;
      *length = token_len - key_len - 1;
      return true;
    }
  }
  return false;
}

bool cmdline_string(const char* key, char* out, size_t out_size) {
  const char* v;
  size_t n;
  if (out_size == 0 || !cmdline_value(key, &v, &n)) {
    return false;
  }
  if (n >= out_size) {
    n = out_size - 1;
  }
  for (size_t i = 0; i < n; ++i) {
    out[i] = v[i];
  }
  out[n] = '\0';
  return true;
}

uint64_t cmdline_u64(const char* key, uint64_t fallback, bool* valid) {
  const char* v;
  size_t n;
  if (valid != nullptr) {
    *valid = true;
  }
  if (!cmdline_value(key, &v, &n)) {
    return fallback;
  }
  uint64_t value;
  if (!parse_u64(v, n, &value)) {
    if (valid != nullptr) {
      *valid = false;
    }
    return fallback;
  }
  return value;
}

size_t memory_range_count() {
  return g_range_count;
}

MemoryRange memory_range(size_t index) {
  return index < g_range_count ? g_ranges[index] : MemoryRange{0, 0};
}

}  // namespace aero::guest
