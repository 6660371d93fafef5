// aero-pecheck: validates built Windows 7 driver and user-mode images. See docs/pecheck.md.
#include <iostream>
#include <string>
#include <vector>

#include "cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const int status = aero::pecheck::RunPecheck(args, std::cout, std::cerr);
  std::cout.flush();
  return status;
}
