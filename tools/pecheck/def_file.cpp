#include "def_file.h"

#include <vector>

#include "text_util.h"

namespace aero::pecheck {
namespace {

bool IsDigits(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

std::vector<std::string_view> SplitWords(std::string_view line) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
      ++i;
    }
    const size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
      ++i;
    }
    if (i > start) {
      words.push_back(line.substr(start, i - start));
    }
  }
  return words;
}

std::string_view Unquote(std::string_view word) {
  if (word.size() >= 2 && word.front() == '"' && word.back() == '"') {
    return word.substr(1, word.size() - 2);
  }
  return word;
}

// Ordinals are "@1" .. "@65535".
std::optional<uint16_t> ParseOrdinal(std::string_view word) {
  if (word.size() < 2 || word.size() > 6 || word[0] != '@' || !IsDigits(word.substr(1))) {
    return std::nullopt;
  }
  uint32_t value = 0;
  for (char c : word.substr(1)) {
    value = value * 10 + static_cast<uint32_t>(c - '0');
  }
  if (value == 0 || value > 0xffff) {
    return std::nullopt;
  }
  return static_cast<uint16_t>(value);
}

class DefParser {
 public:
  DefParser(Arch arch, std::string_view source) : arch_(arch), source_(source) {}

  // Returns an error message, or "" when the line was fine.
  std::string ParseLine(std::string_view line, size_t line_number) {
    line_number_ = line_number;
    const size_t comment = line.find(';');
    if (comment != std::string_view::npos) {
      line = line.substr(0, comment);
    }
    std::vector<std::string_view> words = SplitWords(TrimWhitespace(line));
    if (words.empty()) {
      return "";
    }
    if (words[0] == "LIBRARY") {
      if (saw_library_) {
        return Error("second LIBRARY statement");
      }
      if (words.size() != 2 || Unquote(words[1]).empty()) {
        return Error("LIBRARY takes exactly one module name");
      }
      saw_library_ = true;
      exports_.library = std::string(Unquote(words[1]));
      return "";
    }
    if (words[0] == "EXPORTS") {
      if (!saw_library_) {
        return Error("EXPORTS before LIBRARY (the module name is needed to match imports)");
      }
      in_exports_ = true;
      words.erase(words.begin());
      return words.empty() ? "" : ParseExport(words);
    }
    if (!in_exports_) {
      return Error("unsupported statement " + Quoted(words[0]) +
                   " (only LIBRARY and EXPORTS are understood)");
    }
    return ParseExport(words);
  }

  Result<ModuleExports> Finish() {
    if (!saw_library_) {
      return Result<ModuleExports>::Error(std::string(source_) + ": no LIBRARY statement");
    }
    return Result<ModuleExports>::Ok(std::move(exports_));
  }

 private:
  std::string Error(const std::string& message) const {
    return std::string(source_) + ":" + std::to_string(line_number_) + ": " + message;
  }

  std::string ParseExport(const std::vector<std::string_view>& words) {
    std::string_view name = words[0];
    const size_t equals = name.find('=');
    if (equals != std::string_view::npos) {
      if (equals == 0 || equals + 1 == name.size() || name.find('=', equals + 1) != name.npos) {
        return Error("malformed alias " + Quoted(name) + " (expected external=internal)");
      }
      name = name.substr(0, equals);
    }
    const std::string import_name = arch_ == Arch::kX86 ? UndecorateX86(name) : std::string(name);
    if (import_name.empty()) {
      return Error("empty export name in " + Quoted(words[0]));
    }
    bool no_name = false;
    std::optional<uint16_t> ordinal;
    for (size_t i = 1; i < words.size(); ++i) {
      const std::string_view w = words[i];
      if (w == "NONAME") {
        no_name = true;
      } else if (w == "DATA" || w == "PRIVATE" || w == "CONSTANT") {
        // Affects only how the import library is built; the export name is unchanged.
      } else if (w[0] == '@') {
        ordinal = ParseOrdinal(w);
        if (!ordinal) {
          return Error("bad ordinal " + Quoted(w) + " (expected @1..@65535)");
        }
      } else {
        return Error("unknown word " + Quoted(w) + " after export " + Quoted(words[0]));
      }
    }
    if (no_name && !ordinal) {
      return Error("NONAME export " + Quoted(words[0]) + " needs an @ordinal");
    }
    if (!no_name && !exports_.names.insert(import_name).second) {
      return Error("duplicate export " + Quoted(import_name));
    }
    if (ordinal && !exports_.ordinals.emplace(*ordinal, import_name).second) {
      return Error("duplicate ordinal @" + std::to_string(*ordinal));
    }
    return "";
  }

  Arch arch_;
  std::string_view source_;
  size_t line_number_ = 0;
  bool saw_library_ = false;
  bool in_exports_ = false;
  ModuleExports exports_;
};

}  // namespace

std::string UndecorateX86(std::string_view name) {
  const size_t at = name.rfind('@');
  if (at == std::string_view::npos || at == 0 || !IsDigits(name.substr(at + 1))) {
    return std::string(name);
  }
  std::string_view base = name.substr(0, at);
  if (base.size() > 1 && base.front() == '@') {
    base.remove_prefix(1);  // fastcall: @Name@N
  }
  return std::string(base);
}

Result<ModuleExports> ParseDefFile(std::string_view text, Arch arch, std::string_view source) {
  DefParser parser(arch, source);
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const size_t newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    const std::string error = parser.ParseLine(line, line_number);
    if (!error.empty()) {
      return Result<ModuleExports>::Error(error);
    }
  }
  return parser.Finish();
}

}  // namespace aero::pecheck
