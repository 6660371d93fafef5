// What every check function sees: the parsed image, the configuration and the report to add to.
#pragma once

#include <string>
#include <utility>

#include "checks.h"
#include "pe_image.h"

namespace aero::pecheck {

struct CheckContext {
  const PeImage& image;
  const CheckConfig& config;
  std::vector<Violation>& violations;

  void Report(const char* check, std::string message) const {
    violations.push_back(Violation{check, std::move(message)});
  }
  bool kernel_driver() const { return config.kind == ImageKind::kKernelDriver; }
};

// header_checks.cpp
void CheckMachine(const CheckContext& ctx);
void CheckImageType(const CheckContext& ctx);
void CheckSubsystem(const CheckContext& ctx);
void CheckChecksum(const CheckContext& ctx);
void CheckNxCompat(const CheckContext& ctx);
void CheckTls(const CheckContext& ctx);
// layout_checks.cpp
void CheckHeaderLayout(const CheckContext& ctx);
void CheckSections(const CheckContext& ctx);
void CheckEntryPoint(const CheckContext& ctx);
// relocation_checks.cpp
void CheckRelocations(const CheckContext& ctx);
// unwind_checks.cpp
void CheckUnwind(const CheckContext& ctx);
// import_checks.cpp
void CheckImports(const CheckContext& ctx);

}  // namespace aero::pecheck
