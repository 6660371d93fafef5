// A unified-format line diff for drift reports.
#ifndef AERO_TOOLS_CONTRACT_UNIFIED_DIFF_H_
#define AERO_TOOLS_CONTRACT_UNIFIED_DIFF_H_

#include <string>
#include <string_view>

namespace aero::contract_tool {

// Hunks turning `old_text` into `new_text`, with `context` unchanged lines around each change,
// under "--- old_label" / "+++ new_label" headers. Empty when the texts are equal. A carriage
// return ending a line is shown as "\r" so that line-ending changes are visible.
std::string UnifiedDiff(std::string_view old_text, std::string_view new_text,
                        const std::string& old_label, const std::string& new_label,
                        int context = 3);

}  // namespace aero::contract_tool

#endif  // AERO_TOOLS_CONTRACT_UNIFIED_DIFF_H_
