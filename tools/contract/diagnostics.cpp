#include "diagnostics.h"

namespace aero::contract_tool {

std::string Diagnostic::ToString() const {
  if (has_pointer) {
    return file + ": " + (pointer.empty() ? std::string("/") : pointer) + ": " + message;
  }
  if (line > 0) {
    std::string where = file + ":" + std::to_string(line);
    if (column > 0) {
      where += ":" + std::to_string(column);
    }
    return where + ": " + message;
  }
  return file + ": " + message;
}

Diagnostic AtPointer(std::string file, std::string pointer, std::string message) {
  Diagnostic d;
  d.file = std::move(file);
  d.pointer = std::move(pointer);
  d.message = std::move(message);
  d.has_pointer = true;
  return d;
}

Diagnostic AtLine(std::string file, int line, std::string message) {
  Diagnostic d;
  d.file = std::move(file);
  d.line = line;
  d.message = std::move(message);
  return d;
}

Diagnostic InFile(std::string file, std::string message) {
  Diagnostic d;
  d.file = std::move(file);
  d.message = std::move(message);
  return d;
}

void PrintDiagnostics(const std::vector<Diagnostic>& diagnostics, std::ostream& out) {
  for (const Diagnostic& d : diagnostics) {
    out << d.ToString() << "\n";
  }
}

std::string EscapePointerToken(const std::string& token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace aero::contract_tool
