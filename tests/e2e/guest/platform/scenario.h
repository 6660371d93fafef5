// A guest kernel is the platform plus a table of named scenarios; `scenario=<name>` on the
// multiboot command line picks one. Each scenario reports its tests with TestCase (markers.h); the
// platform prints START before and RESULT after, and exits QEMU with the pass or fail status.
#pragma once

#include <stddef.h>

namespace aero::guest {

struct Scenario {
  const char* name;
  const char* description;
  void (*run)();
};

// Defined by the kernel that links the platform.
extern const Scenario kScenarios[];
extern const size_t kScenarioCount;

}  // namespace aero::guest
