// The error the catalog and packaging tools report to their user: one message, no stack of
// causes. Tools print it as "<tool>: error: <message>" and exit with status 1.
#pragma once

#include <stdexcept>
#include <string>

namespace aero::catalog {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace aero::catalog
