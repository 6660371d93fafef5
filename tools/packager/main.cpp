// aero-packager: writes the Guest Tools media (ISO and ZIP). See packager_cli.h.
#include <iostream>
#include <string>
#include <vector>

#include "packager_cli.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const int status = aero::packager::RunPackager(args, std::cout, std::cerr);
  std::cout.flush();
  return status;
}
