// Error reports of the contract tool. Each names the file and either a JSON pointer (contract
// errors), a line (INF and source errors) or neither (I/O errors).
#ifndef AERO_TOOLS_CONTRACT_DIAGNOSTICS_H_
#define AERO_TOOLS_CONTRACT_DIAGNOSTICS_H_

#include <ostream>
#include <string>
#include <vector>

namespace aero::contract_tool {

struct Diagnostic {
  std::string file;
  std::string pointer;  // JSON pointer such as /devices/1/hardware_ids/0 ("" for the root)
  int line = 0;         // 1-based line, for text files
  int column = 0;       // 1-based column, with line
  std::string message;
  bool has_pointer = false;

  // "file: /pointer: message", "file:line: message" or "file: message".
  std::string ToString() const;
};

Diagnostic AtPointer(std::string file, std::string pointer, std::string message);
Diagnostic AtLine(std::string file, int line, std::string message);
Diagnostic InFile(std::string file, std::string message);

void PrintDiagnostics(const std::vector<Diagnostic>& diagnostics, std::ostream& out);

// Escapes one JSON pointer reference token (RFC 6901: '~' -> "~0", '/' -> "~1").
std::string EscapePointerToken(const std::string& token);

}  // namespace aero::contract_tool

#endif  // AERO_TOOLS_CONTRACT_DIAGNOSTICS_H_
