// The generated [Models] region inside a driver INF. A driver's INF carries two marker comments,
//   ; @aero-contract begin models
//   ; @aero-contract end models
// and `generate` replaces everything between them with the models sections derived from the
// contract (docs/contract.md). The INF keeps its encoding and line-ending style.
#ifndef AERO_TOOLS_CONTRACT_INF_REGION_H_
#define AERO_TOOLS_CONTRACT_INF_REGION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.h"

namespace aero::contract_tool {

inline constexpr char kModelsBeginMarker[] = "@aero-contract begin models";
inline constexpr char kModelsEndMarker[] = "@aero-contract end models";

struct RegionUpdate {
  bool has_region = false;
  std::optional<std::string>
      bytes;  // the INF with the region rewritten (when has_region, no errors)
  std::vector<Diagnostic> errors;
};

// `inf_bytes` is the file as stored; `body_lines` the region content without line endings.
RegionUpdate ApplyModelsRegion(std::string_view inf_bytes, const std::string& display_name,
                               const std::vector<std::string>& body_lines);

}  // namespace aero::contract_tool

#endif  // AERO_TOOLS_CONTRACT_INF_REGION_H_
