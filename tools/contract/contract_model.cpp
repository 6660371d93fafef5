#include "contract_model.h"

namespace aero::contract_tool {

const Driver* Contract::FindDriver(const std::string& wanted) const {
  for (const Driver& driver : drivers) {
    if (driver.name == wanted) {
      return &driver;
    }
  }
  return nullptr;
}

const char* StartTypeName(StartType type) {
  switch (type) {
    case StartType::kBoot:
      return "boot";
    case StartType::kSystem:
      return "system";
    case StartType::kAuto:
      return "auto";
    case StartType::kDemand:
      return "demand";
  }
  return "?";
}

const char* ErrorControlName(ErrorControl control) {
  switch (control) {
    case ErrorControl::kIgnore:
      return "ignore";
    case ErrorControl::kNormal:
      return "normal";
    case ErrorControl::kSevere:
      return "severe";
    case ErrorControl::kCritical:
      return "critical";
  }
  return "?";
}

const char* BarTypeName(BarType type) {
  switch (type) {
    case BarType::kMmio32:
      return "mmio32";
    case BarType::kMmio64:
      return "mmio64";
    case BarType::kMmio:
      return "mmio";
    case BarType::kIo:
      return "io";
  }
  return "?";
}

}  // namespace aero::contract_tool
