// A reader for Windows INF files (the subset of SetupAPI syntax that driver packages use).
//
// Handles sections, `key = value, value` entries and key-less entries, comma-separated fields,
// quoted strings with "" escapes, %strkey% substitution from [Strings] (with a [Strings.<locale>]
// section consulted first), `\` line continuations, `;` comments outside quotes, CRLF and LF, and
// UTF-16LE (with BOM) as well as ASCII/UTF-8 (with or without BOM). Every entry keeps the 1-based
// line number it starts on, for error messages. Sections with the same name are merged, as
// SetupAPI does.
#ifndef AERO_TOOLS_INF_INF_FILE_H_
#define AERO_TOOLS_INF_INF_FILE_H_

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "inf_text.h"

namespace aero::inf {

struct InfError {
  std::string file;
  int line = 0;  // 1-based; 0 when the problem is not on one line (e.g. a bad byte encoding)
  std::string message;

  // "file:line: message" (or "file: message" without a line).
  std::string ToString() const;
};

// One logical entry of a section. Values have quotes removed and %strkey% tokens substituted;
// numeric tokens such as %12% (directory IDs) are kept as written.
struct InfLine {
  int line_number = 0;       // physical line the entry starts on
  int last_line_number = 0;  // physical line it ends on (differs with `\` continuations)
  bool has_key = false;
  std::string key;                  // text left of the first unquoted '=' (empty if !has_key)
  std::vector<std::string> values;  // comma-separated fields right of '=', or of the whole line
  std::string text;                 // the raw entry: comments removed, continuations joined

  // SetupAPI field numbering: field 0 is the key ("" without one), fields 1..n are the values.
  std::size_t field_count() const { return values.size(); }
  std::string_view field(std::size_t index) const;
};

struct InfSection {
  std::string name;               // as written in its first header
  int line_number = 0;            // line of its first header
  std::vector<int> header_lines;  // every header of this name (sections merge)
  std::vector<InfLine> lines;

  // First entry whose key equals `key` (case-insensitive), or nullptr.
  const InfLine* FindKey(std::string_view key) const;
};

struct ParseOptions {
  // Locale of the [Strings.<locale>] section to consult before [Strings], e.g. "0409". Empty: use
  // [Strings] only.
  std::string locale;
  std::size_t max_bytes = 16u << 20;
};

class InfFile {
 public:
  const std::string& file_name() const { return file_name_; }
  TextEncoding encoding() const { return encoding_; }
  const std::vector<InfSection>& sections() const { return sections_; }

  // Case-insensitive lookup; nullptr when absent.
  const InfSection* FindSection(std::string_view name) const;

  // Value of a string key after the locale fallback, or nullopt.
  std::optional<std::string> LookupString(std::string_view key) const;

 private:
  friend class InfParser;

  std::string file_name_;
  TextEncoding encoding_ = TextEncoding::kAnsi;
  std::vector<InfSection> sections_;
  std::vector<std::size_t> string_tables_;  // indices into sections_, most preferred first
};

struct InfParseResult {
  std::optional<InfFile> inf;
  InfError error;  // set when !inf

  bool ok() const { return inf.has_value(); }
};

// Parses INF bytes. `file_name` is used in error messages.
InfParseResult ParseInf(std::span<const std::uint8_t> bytes, std::string file_name,
                        const ParseOptions& options = {});
InfParseResult ParseInfText(std::string_view utf8, std::string file_name,
                            const ParseOptions& options = {});
InfParseResult ParseInfFile(const std::filesystem::path& path, const ParseOptions& options = {});

bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string ToUpperAscii(std::string_view text);
std::string ToLowerAscii(std::string_view text);

}  // namespace aero::inf

#endif  // AERO_TOOLS_INF_INF_FILE_H_
