// aero-catalog: writes the catalog (.cat) of a Windows 7 driver package. See catalog_cli.h.
#include <iostream>
#include <string>
#include <vector>

#include "catalog_cli.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const int status = aero::catalog::RunCatalogTool(args, std::cout, std::cerr);
  std::cout.flush();
  return status;
}
