#include "outputs.h"

#include "generators.h"
#include "inf_file.h"
#include "inf_region.h"
#include "json_reader.h"
#include "repo_files.h"

namespace aero::contract_tool {

Outputs ComputeOutputs(const Contract& contract, const std::filesystem::path& root) {
  Outputs outputs;
  outputs.files.push_back({kHeaderPath, GenerateHeader(contract)});
  outputs.files.push_back({kMarkdownPath, GenerateMarkdown(contract)});
  outputs.files.push_back({kDevicesCmdPath, GenerateDevicesCmd(contract)});
  std::vector<std::string> walk_errors;
  for (const std::filesystem::path& relative : FindInfFiles(root, &walk_errors)) {
    const std::string display = DisplayPath(relative);
    std::string bytes;
    std::string error;
    if (!ReadFileToString(root / relative, 16u << 20, &bytes, &error)) {
      outputs.errors.push_back(InFile(display, error));
      continue;
    }
    const std::string name = inf::ToLowerAscii(relative.filename().string());
    const Driver* driver = nullptr;
    for (const Driver& d : contract.drivers) {
      if (d.inf == name) {
        driver = &d;
      }
    }
    const std::vector<std::string> body =
        driver != nullptr ? GenerateInfModelsLines(contract, *driver) : std::vector<std::string>();
    RegionUpdate update = ApplyModelsRegion(bytes, display, body);
    if (!update.has_region) {
      continue;
    }
    if (driver == nullptr) {
      outputs.errors.push_back(InFile(display,
                                      "has a models region but is not a driver package "
                                      "of the contract"));
      continue;
    }
    if (!update.errors.empty()) {
      outputs.errors.insert(outputs.errors.end(), update.errors.begin(), update.errors.end());
      continue;
    }
    outputs.files.push_back({relative, std::move(*update.bytes)});
  }
  for (const std::string& e : walk_errors) {
    outputs.errors.push_back(InFile(DisplayPath(root), e));
  }
  return outputs;
}

bool WriteOutputs(const Outputs& outputs, const std::filesystem::path& dir, std::string* log,
                  std::vector<Diagnostic>* errors) {
  bool ok = true;
  for (const OutputFile& file : outputs.files) {
    bool changed = false;
    std::string error;
    if (!WriteFileAtomically(dir / file.relative_path, file.content, &changed, &error)) {
      errors->push_back(InFile(DisplayPath(file.relative_path), error));
      ok = false;
      continue;
    }
    *log += (changed ? "wrote " : "unchanged ") + DisplayPath(file.relative_path) + "\n";
  }
  return ok;
}

}  // namespace aero::contract_tool
