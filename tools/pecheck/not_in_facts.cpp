#include "not_in_facts.h"

#include "text_util.h"

namespace aero::pecheck {
namespace {

constexpr std::string_view kWholeModule = "*";

size_t FindWhitespace(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ' ' || text[i] == '\t') {
      return i;
    }
  }
  return std::string_view::npos;
}

}  // namespace

bool NotInFactsList::Covers(std::string_view module, std::string_view name) const {
  const auto it = names_by_module_.find(ToLowerAscii(module));
  if (it == names_by_module_.end()) {
    return false;
  }
  return it->second.contains(std::string(kWholeModule)) || it->second.contains(std::string(name));
}

size_t NotInFactsList::size() const {
  size_t total = 0;
  for (const auto& [module, names] : names_by_module_) {
    total += names.size();
  }
  return total;
}

Result<NotInFactsList> NotInFactsList::Parse(std::string_view text, std::string_view source) {
  NotInFactsList list;
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const size_t newline = text.find('\n');
    const std::string_view raw = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);

    const std::string_view line = TrimWhitespace(raw);
    if (line.empty() || line.front() == '#') {
      continue;
    }
    auto error = [&](const std::string& message) {
      return Result<NotInFactsList>::Error(std::string(source) + ":" + std::to_string(line_number) +
                                           ": " + message);
    };
    const size_t space = FindWhitespace(line);
    const std::string_view entry = line.substr(0, space);
    const std::string_view reason =
        space == std::string_view::npos ? std::string_view() : TrimWhitespace(line.substr(space));
    const size_t bang = entry.find('!');
    if (bang == std::string_view::npos || bang == 0 || bang + 1 == entry.size() ||
        entry.find('!', bang + 1) != std::string_view::npos) {
      return error("expected 'module!Name reason...', got " + Quoted(entry));
    }
    if (reason.empty()) {
      return error("entry " + Quoted(entry) + " gives no reason");
    }
    const std::string module = ToLowerAscii(entry.substr(0, bang));
    const std::string name(entry.substr(bang + 1));
    if (!list.names_by_module_[module].insert(name).second) {
      return error("duplicate entry " + Quoted(entry));
    }
  }
  return Result<NotInFactsList>::Ok(std::move(list));
}

}  // namespace aero::pecheck
