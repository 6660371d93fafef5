// aero-contract: validates the device contract, generates the artifacts derived from it, and
// checks the repository against it. See docs/contract.md.
#include <iostream>
#include <string>
#include <vector>

#include "cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return aero::contract_tool::RunCli(args, std::cout, std::cerr);
}
