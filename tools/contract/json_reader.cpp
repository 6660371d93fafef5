#include "json_reader.h"

#include <fstream>
#include <set>

namespace aero::contract_tool {
namespace {

// Thrown from the parser callback to stop at the first structural problem.
struct StopParse {
  std::string pointer;
  std::string message;
};

struct Frame {
  bool is_object = false;
  std::set<std::string> keys;
  std::string last_key;
  std::size_t next_index = 0;
};

std::string PointerOf(const std::vector<Frame>& frames, std::size_t count) {
  std::string pointer;
  for (std::size_t i = 0; i < count; ++i) {
    const Frame& frame = frames[i];
    pointer += "/";
    pointer +=
        frame.is_object ? EscapePointerToken(frame.last_key) : std::to_string(frame.next_index - 1);
  }
  return pointer;
}

void LineAndColumn(std::string_view text, std::size_t byte, int* line, int* column) {
  *line = 1;
  *column = 1;
  const std::size_t end = byte < text.size() ? byte : text.size();
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++*line;
      *column = 1;
    } else {
      ++*column;
    }
  }
}

// nlohmann's what() is "[json.exception.parse_error.101] parse error at line L, column C: msg";
// keep only "msg" since the position is reported separately.
std::string ParseErrorMessage(const std::string& what) {
  const std::size_t column = what.find("column ");
  if (column != std::string::npos) {
    const std::size_t colon = what.find(": ", column);
    if (colon != std::string::npos) {
      return what.substr(colon + 2);
    }
  }
  const std::size_t bracket = what.find("] ");
  return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

}  // namespace

JsonParseResult ParseJsonStrict(std::string_view text, const std::string& file_name) {
  JsonParseResult result;
  if (text.size() > kMaxJsonBytes) {
    result.errors.push_back(
        InFile(file_name, "file is larger than " + std::to_string(kMaxJsonBytes) + " bytes"));
    return result;
  }
  std::vector<Frame> frames;
  auto callback = [&frames](int depth, nlohmann::json::parse_event_t event,
                            nlohmann::json& parsed) -> bool {
    using Event = nlohmann::json::parse_event_t;
    switch (event) {
      case Event::object_start:
      case Event::array_start: {
        if (!frames.empty() && !frames.back().is_object) {
          ++frames.back().next_index;
        }
        if (depth >= kMaxJsonDepth) {
          throw StopParse{PointerOf(frames, frames.size()),
                          "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"};
        }
        Frame frame;
        frame.is_object = event == Event::object_start;
        frames.push_back(std::move(frame));
        break;
      }
      case Event::object_end:
      case Event::array_end:
        if (!frames.empty()) {
          frames.pop_back();
        }
        break;
      case Event::key: {
        Frame& top = frames.back();
        const std::string key = parsed.get<std::string>();
        if (!top.keys.insert(key).second) {
          throw StopParse{PointerOf(frames, frames.size() - 1), "duplicate key \"" + key + "\""};
        }
        top.last_key = key;
        break;
      }
      case Event::value:
        if (!frames.empty() && !frames.back().is_object) {
          ++frames.back().next_index;
        }
        break;
    }
    return true;
  };
  try {
    result.json = nlohmann::json::parse(text.begin(), text.end(), callback,
                                        /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const StopParse& stop) {
    result.json.reset();
    result.errors.push_back(AtPointer(file_name, stop.pointer, stop.message));
  } catch (const nlohmann::json::parse_error& e) {
    result.json.reset();
    Diagnostic d;
    d.file = file_name;
    LineAndColumn(text, e.byte > 0 ? e.byte - 1 : 0, &d.line, &d.column);
    d.message = "malformed JSON: " + ParseErrorMessage(e.what());
    result.errors.push_back(std::move(d));
  } catch (const nlohmann::json::exception& e) {
    result.json.reset();
    result.errors.push_back(InFile(file_name, std::string("malformed JSON: ") + e.what()));
  }
  return result;
}

bool ReadFileToString(const std::filesystem::path& path, std::size_t max_bytes, std::string* out,
                      std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot open file";
    return false;
  }
  out->clear();
  char buffer[65536];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    out->append(buffer, static_cast<std::size_t>(in.gcount()));
    if (out->size() > max_bytes) {
      *error = "file is larger than " + std::to_string(max_bytes) + " bytes";
      return false;
    }
  }
  if (in.bad()) {
    *error = "read error";
    return false;
  }
  return true;
}

}  // namespace aero::contract_tool
