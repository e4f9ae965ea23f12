// One libFuzzer driver for every reader: TESSERA_FUZZ_FORMAT (set per target in
// CMakeLists.txt) names the format; the input bytes are the whole file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "formats/input.h"
#include "formats/reader.h"
#include "formats/registry.h"

namespace {

// Consumes everything and checks the one invariant every reader owes: an
// accepted record has objects with a type and an id.
class CheckingSink : public tessera::formats::Sink {
 public:
  void Accept(tessera::formats::Record&& record) override {
    for (const auto& o : record.objects) {
      if (o.type.empty() || o.id.empty()) std::abort();
    }
  }
  void Reject(tessera::formats::Rejected&& rejected) override {
    if (rejected.reason.empty()) std::abort();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const tessera::formats::Format* format =
      tessera::formats::FindFormat(TESSERA_FUZZ_FORMAT);
  if (format == nullptr) std::abort();  // a target for a format that does not exist
  tessera::formats::ReadContext context;
  context.normalize.payment_card_key = "fuzz";
  auto input = tessera::formats::Input::FromString(
      std::string(reinterpret_cast<const char*>(data), size), "fuzz");
  CheckingSink sink;
  (void)format->read(input, context, sink);
  // Detection must not crash either.
  auto again = tessera::formats::Input::FromString(
      std::string(reinterpret_cast<const char*>(data), size), "fuzz");
  (void)tessera::formats::RankFormats(again);
  return 0;
}
