#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>

#include "inf_file.h"

namespace aero::inf {
namespace {

constexpr std::size_t kMaxSectionNameLength = 255;

char UpperAscii(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) {
    s.remove_prefix(1);
  }
  return s;
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsSpace(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

std::string_view Trim(std::string_view s) {
  return TrimRight(TrimLeft(s));
}

// Part of a field as written: quoted text keeps its inner whitespace.
struct Piece {
  std::string text;
  bool quoted = false;
};
using RawField = std::vector<Piece>;

struct RawLine {
  int first_line = 0;
  int last_line = 0;
  bool has_key = false;
  RawField key;
  std::vector<RawField> values;
  std::string text;
};

bool IsStringsSectionName(std::string_view name) {
  return EqualsIgnoreCase(name, "Strings") ||
         (name.size() > 8 && EqualsIgnoreCase(name.substr(0, 8), "Strings."));
}

// Position of the first '=' outside quotes, or npos. The text has balanced quotes.
std::size_t FindUnquotedEquals(std::string_view text) {
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') {
      quoted = !quoted;
    } else if (text[i] == '=' && !quoted) {
      return i;
    }
  }
  return std::string_view::npos;
}

// Drops whitespace outside quotes at both ends of a field.
void TrimField(RawField* field) {
  while (!field->empty() && !field->front().quoted) {
    std::string_view t = TrimLeft(field->front().text);
    if (t.empty()) {
      field->erase(field->begin());
      continue;
    }
    field->front().text = std::string(t);
    break;
  }
  while (!field->empty() && !field->back().quoted) {
    std::string_view t = TrimRight(field->back().text);
    if (t.empty()) {
      field->pop_back();
      continue;
    }
    field->back().text = std::string(t);
    break;
  }
}

// Splits a quote-balanced segment into fields; commas split only when `split_commas`.
std::vector<RawField> Tokenize(std::string_view text, bool split_commas) {
  std::vector<RawField> fields(1);
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      std::string inner;
      std::size_t j = i + 1;
      while (j < text.size()) {
        if (text[j] == '"') {
          if (j + 1 < text.size() && text[j + 1] == '"') {
            inner.push_back('"');
            j += 2;
            continue;
          }
          ++j;
          break;
        }
        inner.push_back(text[j]);
        ++j;
      }
      fields.back().push_back({std::move(inner), true});
      i = j;
    } else if (c == ',' && split_commas) {
      fields.emplace_back();
      ++i;
    } else {
      std::size_t j = i;
      while (j < text.size() && text[j] != '"' && !(split_commas && text[j] == ',')) {
        ++j;
      }
      fields.back().push_back({std::string(text.substr(i, j - i)), false});
      i = j;
    }
  }
  for (RawField& field : fields) {
    TrimField(&field);
  }
  return fields;
}

bool IsStringKeyName(std::string_view name) {
  if (name.empty()) {
    return false;
  }
  for (char c : name) {
    if (IsSpace(c) || c == '"' || c == ',' || c == '=' || c == ';' || c == '%') {
      return false;
    }
  }
  return true;
}

bool IsAllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

class InfParser {
 public:
  InfParser(std::string file_name, const ParseOptions& options)
      : file_name_(std::move(file_name)), options_(options) {}

  InfParseResult Run(std::string_view text, TextEncoding encoding) {
    InfParseResult result;
    inf_.file_name_ = file_name_;
    inf_.encoding_ = encoding;
    if (!SplitIntoEntries(text) || !BuildStringTables() || !SubstituteAll()) {
      result.error = error_;
      return result;
    }
    result.inf = std::move(inf_);
    return result;
  }

 private:
  bool Fail(int line, std::string message) {
    error_.file = file_name_;
    error_.line = line;
    error_.message = std::move(message);
    return false;
  }

  // Pass 1: physical lines -> sections and raw (unsubstituted) entries.
  bool SplitIntoEntries(std::string_view text) {
    std::string pending;
    int pending_first = 0;
    int line_number = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) {
        end = text.size();
      }
      std::string_view physical = text.substr(pos, end - pos);
      pos = end + 1;
      ++line_number;

      // Cut the comment, tracking quotes so that ';' inside a string stays text.
      bool quoted = false;
      std::size_t cut = physical.size();
      for (std::size_t i = 0; i < physical.size(); ++i) {
        if (physical[i] == '"') {
          quoted = !quoted;
        } else if (physical[i] == ';' && !quoted) {
          cut = i;
          break;
        }
      }
      if (quoted) {
        return Fail(line_number, "unterminated quoted string");
      }
      std::string_view content = TrimRight(physical.substr(0, cut));
      if (pending.empty() && pending_first == 0) {
        pending_first = line_number;
      }
      if (!content.empty() && content.back() == '\\') {
        pending.append(content.substr(0, content.size() - 1));
        continue;  // the entry goes on on the next line
      }
      pending.append(content);
      const int first = pending_first;
      pending_first = 0;
      std::string logical = std::move(pending);
      pending.clear();
      if (!HandleLogicalLine(logical, first, line_number)) {
        return false;
      }
    }
    if (pending_first != 0 && !pending.empty()) {
      return HandleLogicalLine(pending, pending_first, line_number);
    }
    return true;
  }

  bool HandleLogicalLine(std::string_view logical, int first, int last) {
    std::string_view entry = Trim(logical);
    if (entry.empty()) {
      return true;
    }
    if (entry.front() == '[') {
      return StartSection(entry, first);
    }
    if (current_section_ == kNoSection) {
      return Fail(first, "entry before any [section] header");
    }
    RawLine raw;
    raw.first_line = first;
    raw.last_line = last;
    raw.text = std::string(entry);
    const bool strings = IsStringsSectionName(inf_.sections_[current_section_].name);
    const std::size_t equals = FindUnquotedEquals(entry);
    std::string_view value_text = entry;
    if (equals != std::string_view::npos) {
      raw.has_key = true;
      raw.key = Tokenize(entry.substr(0, equals), /*split_commas=*/false).front();
      value_text = entry.substr(equals + 1);
    }
    if (!Trim(value_text).empty()) {
      raw.values = Tokenize(value_text, /*split_commas=*/!strings);
    }
    raw_lines_[current_section_].push_back(std::move(raw));
    return true;
  }

  bool StartSection(std::string_view entry, int line) {
    const std::size_t close = entry.find(']');
    if (close == std::string_view::npos) {
      return Fail(line, "unterminated section header (missing ']')");
    }
    if (!Trim(entry.substr(close + 1)).empty()) {
      return Fail(line, "unexpected text after section header: '" +
                            std::string(Trim(entry.substr(close + 1))) + "'");
    }
    std::string_view name = Trim(entry.substr(1, close - 1));
    if (name.empty()) {
      return Fail(line, "empty section name");
    }
    if (name.size() > kMaxSectionNameLength) {
      return Fail(line, "section name longer than 255 characters");
    }
    const std::string upper = ToUpperAscii(name);
    auto found = section_index_.find(upper);
    if (found != section_index_.end()) {
      current_section_ = found->second;
      inf_.sections_[current_section_].header_lines.push_back(line);
      return true;
    }
    InfSection section;
    section.name = std::string(name);
    section.line_number = line;
    section.header_lines.push_back(line);
    current_section_ = inf_.sections_.size();
    inf_.sections_.push_back(std::move(section));
    raw_lines_.emplace_back();
    section_index_.emplace(upper, current_section_);
    return true;
  }

  static std::string JoinPieces(const RawField& field) {
    std::string out;
    for (const Piece& piece : field) {
      out += piece.text;
    }
    return out;
  }

  bool BuildStringTables() {
    std::vector<std::string> preference;
    if (!options_.locale.empty()) {
      preference.push_back("Strings." + options_.locale);
      // A full LANGID (4 hex digits) falls back to its primary language, e.g. 0409 -> 0009.
      if (options_.locale.size() == 4 &&
          std::all_of(options_.locale.begin(), options_.locale.end(),
                      [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; })) {
        const unsigned long langid = std::stoul(options_.locale, nullptr, 16);
        char primary[5];
        std::snprintf(primary, sizeof(primary), "%04lX", langid & 0x3FFUL);
        if (!EqualsIgnoreCase(primary, options_.locale)) {
          preference.push_back(std::string("Strings.") + primary);
        }
      }
    }
    preference.push_back("Strings");
    for (const std::string& name : preference) {
      auto found = section_index_.find(ToUpperAscii(name));
      if (found == section_index_.end()) {
        continue;
      }
      inf_.string_tables_.push_back(found->second);
      std::map<std::string, std::string> table;
      for (const RawLine& raw : raw_lines_[found->second]) {
        if (!raw.has_key) {
          return Fail(raw.first_line,
                      "entry without '=' in [" + inf_.sections_[found->second].name + "]");
        }
        std::string value = raw.values.empty() ? std::string() : JoinPieces(raw.values.front());
        table.emplace(ToUpperAscii(JoinPieces(raw.key)), std::move(value));
      }
      tables_.push_back(std::move(table));
    }
    return true;
  }

  const std::string* Lookup(std::string_view key) const {
    const std::string upper = ToUpperAscii(key);
    for (const auto& table : tables_) {
      auto found = table.find(upper);
      if (found != table.end()) {
        return &found->second;
      }
    }
    return nullptr;
  }

  bool Substitute(const RawField& field, int line, std::string* out) {
    out->clear();
    for (const Piece& piece : field) {
      const std::string& in = piece.text;
      std::size_t i = 0;
      while (i < in.size()) {
        if (in[i] != '%') {
          out->push_back(in[i++]);
          continue;
        }
        const std::size_t close = in.find('%', i + 1);
        if (close == std::string::npos) {
          out->append(in, i, std::string::npos);  // a lone '%' is plain text
          break;
        }
        std::string_view name(in.data() + i + 1, close - i - 1);
        if (name.empty()) {
          out->push_back('%');  // %% is a literal percent sign
          i = close + 1;
        } else if (!IsStringKeyName(name)) {
          out->push_back('%');
          ++i;
        } else if (IsAllDigits(name)) {
          out->append(in, i, close - i + 1);  // directory IDs (%12%) stay for the installer
          i = close + 1;
        } else {
          const std::string* value = Lookup(name);
          if (value == nullptr) {
            return Fail(line, "undefined string key %" + std::string(name) + "%");
          }
          out->append(*value);
          i = close + 1;
        }
      }
    }
    return true;
  }

  // Pass 2: substitute %strkey% tokens now that every [Strings] section is known.
  bool SubstituteAll() {
    for (std::size_t s = 0; s < inf_.sections_.size(); ++s) {
      InfSection& section = inf_.sections_[s];
      const bool strings = IsStringsSectionName(section.name);
      section.lines.reserve(raw_lines_[s].size());
      for (const RawLine& raw : raw_lines_[s]) {
        InfLine line;
        line.line_number = raw.first_line;
        line.last_line_number = raw.last_line;
        line.has_key = raw.has_key;
        line.text = raw.text;
        if (strings) {
          line.key = JoinPieces(raw.key);
          for (const RawField& value : raw.values) {
            line.values.push_back(JoinPieces(value));
          }
        } else {
          if (raw.has_key && !Substitute(raw.key, raw.first_line, &line.key)) {
            return false;
          }
          for (const RawField& value : raw.values) {
            std::string substituted;
            if (!Substitute(value, raw.first_line, &substituted)) {
              return false;
            }
            line.values.push_back(std::move(substituted));
          }
        }
        section.lines.push_back(std::move(line));
      }
    }
    return true;
  }

  static constexpr std::size_t kNoSection = static_cast<std::size_t>(-1);

  std::string file_name_;
  ParseOptions options_;
  InfFile inf_;
  InfError error_;
  std::size_t current_section_ = kNoSection;
  std::map<std::string, std::size_t> section_index_;  // upper-case name -> index
  std::vector<std::vector<RawLine>> raw_lines_;       // parallel to inf_.sections_
  std::vector<std::map<std::string, std::string>> tables_;
};

std::string InfError::ToString() const {
  if (line > 0) {
    return file + ":" + std::to_string(line) + ": " + message;
  }
  return file + ": " + message;
}

std::string_view InfLine::field(std::size_t index) const {
  if (index == 0) {
    return key;
  }
  if (index <= values.size()) {
    return values[index - 1];
  }
  return {};
}

const InfLine* InfSection::FindKey(std::string_view wanted) const {
  for (const InfLine& line : lines) {
    if (line.has_key && EqualsIgnoreCase(line.key, wanted)) {
      return &line;
    }
  }
  return nullptr;
}

const InfSection* InfFile::FindSection(std::string_view name) const {
  for (const InfSection& section : sections_) {
    if (EqualsIgnoreCase(section.name, name)) {
      return &section;
    }
  }
  return nullptr;
}

std::optional<std::string> InfFile::LookupString(std::string_view key) const {
  for (std::size_t index : string_tables_) {
    const InfLine* line = sections_[index].FindKey(key);
    if (line != nullptr) {
      return line->values.empty() ? std::string() : line->values.front();
    }
  }
  return std::nullopt;
}

InfParseResult ParseInfText(std::string_view utf8, std::string file_name,
                            const ParseOptions& options) {
  InfParser parser(std::move(file_name), options);
  return parser.Run(utf8, TextEncoding::kAnsi);
}

InfParseResult ParseInf(std::span<const std::uint8_t> bytes, std::string file_name,
                        const ParseOptions& options) {
  if (bytes.size() > options.max_bytes) {
    InfParseResult result;
    result.error = {file_name, 0,
                    "file is larger than " + std::to_string(options.max_bytes) + " bytes"};
    return result;
  }
  DecodedText decoded;
  std::string error;
  if (!DecodeText(bytes, &decoded, &error)) {
    InfParseResult result;
    result.error = {file_name, 0, error};
    return result;
  }
  InfParser parser(std::move(file_name), options);
  return parser.Run(decoded.utf8, decoded.encoding);
}

InfParseResult ParseInfFile(const std::filesystem::path& path, const ParseOptions& options) {
  InfParseResult result;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    result.error = {path.string(), 0, "cannot open file"};
    return result;
  }
  std::vector<std::uint8_t> bytes;
  char buffer[65536];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    bytes.insert(bytes.end(), buffer, buffer + in.gcount());
    if (bytes.size() > options.max_bytes) {
      result.error = {path.string(), 0,
                      "file is larger than " + std::to_string(options.max_bytes) + " bytes"};
      return result;
    }
  }
  if (in.bad()) {
    result.error = {path.string(), 0, "read error"};
    return result;
  }
  return ParseInf(bytes, path.string(), options);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (UpperAscii(a[i]) != UpperAscii(b[i])) {
      return false;
    }
  }
  return true;
}

std::string ToUpperAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return out;
}

std::string ToLowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

}  // namespace aero::inf
