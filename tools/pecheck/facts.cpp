#include "facts.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace aero::pecheck {
namespace {

using Json = nlohmann::json;

// Streams the facts file and keeps only functions.<arch>.NAME.kind. The file is mostly type
// layouts; skipping them without building a document makes loading several times faster, which
// matters because the build runs the checker once per linked binary.
class FunctionTableReader final : public nlohmann::json_sax<Json> {
 public:
  explicit FunctionTableReader(std::string arch) : arch_(std::move(arch)) {}

  bool saw_functions() const { return saw_functions_; }
  bool saw_arch_table() const { return saw_arch_table_; }
  const std::string& error() const { return error_; }
  FunctionFacts TakeFacts() { return std::move(facts_); }

  bool null() override { return Scalar(nullptr); }
  bool boolean(bool) override { return Scalar(nullptr); }
  bool number_integer(number_integer_t) override { return Scalar(nullptr); }
  bool number_unsigned(number_unsigned_t) override { return Scalar(nullptr); }
  bool number_float(number_float_t, const string_t&) override { return Scalar(nullptr); }
  bool string(string_t& value) override { return Scalar(&value); }
  bool binary(binary_t&) override { return Scalar(nullptr); }

  bool key(string_t& key) override {
    key_ = key;
    return true;
  }

  bool start_object(std::size_t) override {
    const Slot slot = NextSlot();
    if (slot == Slot::kFunctions) {
      saw_functions_ = true;
    } else if (slot == Slot::kArchTable) {
      saw_arch_table_ = true;
    } else if (slot == Slot::kEntry) {
      entry_name_ = key_;
      entry_has_kind_ = false;
    }
    stack_.push_back(Frame{true, slot});
    return true;
  }

  bool end_object() override {
    const Frame frame = stack_.back();
    stack_.pop_back();
    if (frame.slot == Slot::kEntry && !entry_has_kind_) {
      return Fail(EntryError(entry_name_));
    }
    return true;
  }

  bool start_array(std::size_t) override {
    if (NextSlot() == Slot::kEntry) {
      return Fail(EntryError(key_));
    }
    stack_.push_back(Frame{false, Slot::kOther});
    return true;
  }

  bool end_array() override {
    stack_.pop_back();
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    return Fail(std::string("invalid JSON: ") + e.what());
  }

 private:
  // What the value about to start is, judged by the keys that lead to it.
  enum class Slot { kRoot, kFunctions, kArchTable, kEntry, kKind, kOther };
  struct Frame {
    bool is_object;
    Slot slot;
  };

  Slot NextSlot() const {
    if (stack_.empty()) {
      return Slot::kRoot;
    }
    const Frame& parent = stack_.back();
    if (!parent.is_object) {
      return Slot::kOther;
    }
    switch (parent.slot) {
      case Slot::kRoot:
        return key_ == "functions" ? Slot::kFunctions : Slot::kOther;
      case Slot::kFunctions:
        return key_ == arch_ ? Slot::kArchTable : Slot::kOther;
      case Slot::kArchTable:
        return Slot::kEntry;
      case Slot::kEntry:
        return key_ == "kind" ? Slot::kKind : Slot::kOther;
      default:
        return Slot::kOther;
    }
  }

  bool Scalar(const std::string* text) {
    switch (NextSlot()) {
      case Slot::kEntry:
        return Fail(EntryError(key_));
      case Slot::kKind:
        if (text == nullptr) {
          return Fail(EntryError(entry_name_));
        }
        entry_has_kind_ = true;
        if (*text == "function") {
          facts_.functions.insert(entry_name_);
        }
        return true;
      default:
        return true;
    }
  }

  std::string EntryError(const std::string& name) const {
    return "functions." + arch_ + "." + name + " has no string \"kind\"";
  }

  bool Fail(std::string message) {
    if (error_.empty()) {
      error_ = std::move(message);
    }
    return false;
  }

  std::string arch_;
  std::vector<Frame> stack_;
  std::string key_;
  std::string entry_name_;
  bool entry_has_kind_ = false;
  bool saw_functions_ = false;
  bool saw_arch_table_ = false;
  std::string error_;
  FunctionFacts facts_;
};

}  // namespace

Result<FunctionFacts> ParseFunctionFacts(std::string_view json_text, Arch arch,
                                         std::string_view source) {
  const std::string where = std::string(source) + ": ";
  const std::string arch_name = ArchName(arch);
  FunctionTableReader reader(arch_name);
  if (!Json::sax_parse(json_text, &reader)) {
    return Result<FunctionFacts>::Error(where +
                                        (reader.error().empty() ? "invalid JSON" : reader.error()));
  }
  if (!reader.saw_functions()) {
    return Result<FunctionFacts>::Error(where + "no \"functions\" object");
  }
  if (!reader.saw_arch_table()) {
    return Result<FunctionFacts>::Error(where + "no \"functions\"." + arch_name + " object");
  }
  return Result<FunctionFacts>::Ok(reader.TakeFacts());
}

}  // namespace aero::pecheck
