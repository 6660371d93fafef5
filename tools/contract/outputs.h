// Everything `generate` writes and `check` compares: the fixed outputs plus the models region of
// every marked driver INF in the repository.
#ifndef AERO_TOOLS_CONTRACT_OUTPUTS_H_
#define AERO_TOOLS_CONTRACT_OUTPUTS_H_

#include <filesystem>
#include <string>
#include <vector>

#include "contract_model.h"
#include "diagnostics.h"

namespace aero::contract_tool {

struct OutputFile {
  std::filesystem::path relative_path;
  std::string content;
};

struct Outputs {
  std::vector<OutputFile> files;
  std::vector<Diagnostic> errors;
};

// `root` is searched for INFs carrying the models markers.
Outputs ComputeOutputs(const Contract& contract, const std::filesystem::path& root);

// Writes `outputs` under `dir` atomically. `log` gets one line per file.
bool WriteOutputs(const Outputs& outputs, const std::filesystem::path& dir, std::string* log,
                  std::vector<Diagnostic>* errors);

}  // namespace aero::contract_tool

#endif  // AERO_TOOLS_CONTRACT_OUTPUTS_H_
