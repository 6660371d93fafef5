// Every status has its own text (diagnostics and logs rely on it).
#include <set>
#include <string>

#include "test_support.h"

namespace aero::virtio {
namespace {

TEST(Status, EveryCodeHasADistinctText) {
  std::set<std::string> texts;
  const int last = static_cast<int>(Status::kUsedLengthTooLarge);
  for (int value = 0; value <= last; ++value) {
    const std::string text = StatusText(static_cast<Status>(value));
    EXPECT_NE(text, "unknown status") << value;
    EXPECT_TRUE(texts.insert(text).second) << "duplicate text: " << text;
  }
  EXPECT_STREQ(StatusText(static_cast<Status>(last + 1)), "unknown status");
}

}  // namespace
}  // namespace aero::virtio
