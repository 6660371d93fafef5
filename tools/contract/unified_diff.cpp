#include "unified_diff.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace aero::contract_tool {
namespace {

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(pos));
      break;
    }
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

std::string Show(std::string_view line) {
  if (!line.empty() && line.back() == '\r') {
    return std::string(line.substr(0, line.size() - 1)) + "\\r";
  }
  return std::string(line);
}

enum class Op { kKeep, kDelete, kInsert };

// Longest-common-subsequence edit script. Tables above kMaxCells fall back to "replace the
// middle" after trimming the common prefix and suffix, which is still a correct diff.
std::vector<Op> EditScript(const std::vector<std::string_view>& a,
                           const std::vector<std::string_view>& b) {
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) {
    ++prefix;
  }
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  const std::size_t n = a.size() - prefix - suffix;
  const std::size_t m = b.size() - prefix - suffix;
  std::vector<Op> ops(prefix, Op::kKeep);
  constexpr std::size_t kMaxCells = 4u << 20;
  if (n == 0 || m == 0 || (n + 1) * (m + 1) > kMaxCells) {
    ops.insert(ops.end(), n, Op::kDelete);
    ops.insert(ops.end(), m, Op::kInsert);
  } else {
    // lcs[i][j]: LCS length of a[prefix+i..] and b[prefix+j..].
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    const auto at = [m](std::size_t i, std::size_t j) { return i * (m + 1) + j; };
    for (std::size_t i = n; i-- > 0;) {
      for (std::size_t j = m; j-- > 0;) {
        lcs[at(i, j)] = a[prefix + i] == b[prefix + j]
                            ? lcs[at(i + 1, j + 1)] + 1
                            : std::max(lcs[at(i + 1, j)], lcs[at(i, j + 1)]);
      }
    }
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[prefix + i] == b[prefix + j]) {
        ops.push_back(Op::kKeep);
        ++i;
        ++j;
      } else if (i < n && (j == m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)])) {
        ops.push_back(Op::kDelete);  // deletions first, as diff(1) prints them
        ++i;
      } else {
        ops.push_back(Op::kInsert);
        ++j;
      }
    }
  }
  ops.insert(ops.end(), suffix, Op::kKeep);
  return ops;
}

}  // namespace

std::string UnifiedDiff(std::string_view old_text, std::string_view new_text,
                        const std::string& old_label, const std::string& new_label, int context) {
  if (old_text == new_text) {
    return {};
  }
  const std::vector<std::string_view> a = SplitLines(old_text);
  const std::vector<std::string_view> b = SplitLines(new_text);
  const std::vector<Op> ops = EditScript(a, b);
  std::string out = "--- " + old_label + "\n+++ " + new_label + "\n";
  if (a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin())) {
    // Same lines, different bytes: only the final newline differs.
    return out + "\\ the files differ only in the newline at the end\n";
  }
  // Positions (in ops) of changes, grouped into hunks when closer than 2 * context.
  const std::size_t ctx = static_cast<std::size_t>(context);
  std::size_t k = 0;
  while (k < ops.size()) {
    if (ops[k] == Op::kKeep) {
      ++k;
      continue;
    }
    // A hunk runs from `ctx` lines before its first change to `ctx` lines after its last one;
    // changes separated by at most 2 * ctx unchanged lines share a hunk.
    const std::size_t start = k >= ctx ? k - ctx : 0;
    std::size_t last = k;
    std::size_t t = k;
    while (t < ops.size()) {
      if (ops[t] != Op::kKeep) {
        last = t++;
        continue;
      }
      std::size_t run_end = t;
      while (run_end < ops.size() && ops[run_end] == Op::kKeep) {
        ++run_end;
      }
      if (run_end == ops.size() || run_end - t > 2 * ctx) {
        break;
      }
      t = run_end;
    }
    const std::size_t end = std::min(ops.size(), last + 1 + ctx);
    // Line numbers at `start`.
    std::size_t ai = 0;
    std::size_t bi = 0;
    for (std::size_t i = 0; i < start; ++i) {
      ai += ops[i] != Op::kInsert ? 1 : 0;
      bi += ops[i] != Op::kDelete ? 1 : 0;
    }
    std::string body;
    std::size_t a_count = 0;
    std::size_t b_count = 0;
    std::size_t ax = ai;
    std::size_t bx = bi;
    for (std::size_t i = start; i < end; ++i) {
      switch (ops[i]) {
        case Op::kKeep:
          body += " " + Show(a[ax++]) + "\n";
          ++bx;
          ++a_count;
          ++b_count;
          break;
        case Op::kDelete:
          body += "-" + Show(a[ax++]) + "\n";
          ++a_count;
          break;
        case Op::kInsert:
          body += "+" + Show(b[bx++]) + "\n";
          ++b_count;
          break;
      }
    }
    const auto range = [](std::size_t first, std::size_t count) {
      return std::to_string(count == 0 ? first : first + 1) + "," + std::to_string(count);
    };
    out += "@@ -" + range(ai, a_count) + " +" + range(bi, b_count) + " @@\n" + body;
    k = end;
  }
  return out;
}

}  // namespace aero::contract_tool
