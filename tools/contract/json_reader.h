// Strict JSON parsing for contract files: syntax errors carry line and column, duplicate object
// keys (which nlohmann::json would silently collapse) are errors with their JSON pointer, and
// nesting depth and size are bounded.
#ifndef AERO_TOOLS_CONTRACT_JSON_READER_H_
#define AERO_TOOLS_CONTRACT_JSON_READER_H_

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.h"

namespace aero::contract_tool {

inline constexpr std::size_t kMaxJsonBytes = 4u << 20;
inline constexpr int kMaxJsonDepth = 32;

struct JsonParseResult {
  std::optional<nlohmann::json> json;
  std::vector<Diagnostic> errors;
};

JsonParseResult ParseJsonStrict(std::string_view text, const std::string& file_name);

// Reads a whole file; false with `error` set on I/O failure or when it exceeds `max_bytes`.
bool ReadFileToString(const std::filesystem::path& path, std::size_t max_bytes, std::string* out,
                      std::string* error);

}  // namespace aero::contract_tool

#endif  // AERO_TOOLS_CONTRACT_JSON_READER_H_
