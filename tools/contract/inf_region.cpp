#include "inf_region.h"

#include <cstdint>
#include <span>

#include "inf_text.h"

namespace aero::contract_tool {

RegionUpdate ApplyModelsRegion(std::string_view inf_bytes, const std::string& display_name,
                               const std::vector<std::string>& body_lines) {
  RegionUpdate update;
  inf::DecodedText decoded;
  std::string error;
  const auto* data = reinterpret_cast<const std::uint8_t*>(inf_bytes.data());
  if (!inf::DecodeText(std::span<const std::uint8_t>(data, inf_bytes.size()), &decoded, &error)) {
    update.errors.push_back(InFile(display_name, error));
    return update;
  }
  const std::string& text = decoded.utf8;
  if (text.find(kModelsBeginMarker) == std::string::npos &&
      text.find(kModelsEndMarker) == std::string::npos) {
    return update;
  }
  update.has_region = true;
  const std::string eol = text.find("\r\n") != std::string::npos ? "\r\n" : "\n";
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) {
      end = text.size();
    }
    std::string line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    lines.push_back(std::move(line));
    pos = end + 1;
  }
  const bool final_newline = !text.empty() && text.back() == '\n';
  int begin = -1;
  int finish = -1;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int line_number = static_cast<int>(i) + 1;
    const bool is_begin = lines[i].find(kModelsBeginMarker) != std::string::npos;
    const bool is_end = lines[i].find(kModelsEndMarker) != std::string::npos;
    const std::size_t first = lines[i].find_first_not_of(" \t");
    const bool comment = first != std::string::npos && lines[i][first] == ';';
    if ((is_begin || is_end) && !comment) {
      update.errors.push_back(
          AtLine(display_name, line_number, "the models marker must be on a ';' comment line"));
      continue;
    }
    if (is_begin) {
      if (begin >= 0) {
        update.errors.push_back(AtLine(display_name, line_number,
                                       "second '" + std::string(kModelsBeginMarker) +
                                           "' marker (first on line " + std::to_string(begin + 1) +
                                           ")"));
      } else {
        begin = static_cast<int>(i);
      }
    } else if (is_end) {
      if (begin < 0) {
        update.errors.push_back(
            AtLine(display_name, line_number,
                   "'" + std::string(kModelsEndMarker) + "' before the begin marker"));
      } else if (finish >= 0) {
        update.errors.push_back(AtLine(display_name, line_number,
                                       "second '" + std::string(kModelsEndMarker) + "' marker"));
      } else {
        finish = static_cast<int>(i);
      }
    }
  }
  if (begin >= 0 && finish < 0) {
    update.errors.push_back(
        AtLine(display_name, begin + 1,
               "'" + std::string(kModelsBeginMarker) + "' without a matching end marker"));
  }
  if (!update.errors.empty()) {
    return update;
  }
  std::string out;
  const auto append = [&out, &eol](const std::string& line) { out += line + eol; };
  for (int i = 0; i <= begin; ++i) {
    append(lines[static_cast<std::size_t>(i)]);
  }
  for (const std::string& line : body_lines) {
    append(line);
  }
  for (std::size_t i = static_cast<std::size_t>(finish); i < lines.size(); ++i) {
    append(lines[i]);
  }
  if (!final_newline) {
    out.resize(out.size() - eol.size());
  }
  std::string encoded;
  if (!inf::EncodeText(out, decoded.encoding, &encoded, &error)) {
    update.errors.push_back(InFile(display_name, error));
    return update;
  }
  update.bytes = std::move(encoded);
  return update;
}

}  // namespace aero::contract_tool
