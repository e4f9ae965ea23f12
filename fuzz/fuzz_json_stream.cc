// libFuzzer target for the streaming JSON splitter (formats/json_stream.h): on
// any bytes, reading element insides in 64-byte blocks (AVX2 where the CPU has
// it, and SSE2) must split exactly as the byte loop does: the same elements,
// offsets, lines and members, the same error at the same byte. The first input
// byte picks the document shape and the size of the pieces the input is fed in.
// Aborts on any difference.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "formats/json_stream.h"

namespace {

using tessera::formats::BlockScanning;
using tessera::formats::JsonElement;
using tessera::formats::JsonStreamShape;
using tessera::formats::JsonStreamSplitter;

// Everything the splitter reports, as one text.
std::string Split(const JsonStreamShape& shape, std::string_view text, size_t piece,
                  BlockScanning scanning) {
  std::string out;
  JsonStreamSplitter::Callbacks callbacks;
  callbacks.element = [&](const JsonElement& e) {
    out.append("element ").append(std::to_string(e.offset)).append(" line ");
    out.append(std::to_string(e.line)).append(" index ").append(std::to_string(e.index));
    out.append(e.complete ? " complete" : " cut").append(e.too_big ? " too big" : "");
    out.append(e.stray ? " stray " : " ").append(e.group).append(": ").append(e.bytes);
    out.push_back('\n');
  };
  callbacks.member = [&](std::string_view key, std::string_view value) {
    out.append("member ").append(key).append(": ").append(value).push_back('\n');
  };
  JsonStreamSplitter splitter(shape, 4096, std::move(callbacks), scanning);
  tessera::core::Status status;
  for (size_t at = 0; status.ok() && at < text.size(); at += piece) {
    status = splitter.Feed(text.substr(at, piece));
  }
  if (status.ok()) status = splitter.Finish();
  if (!status.ok())
    out.append(status.error().message).append(" at ").append(status.error().location);
  return out;
}

[[noreturn]] void Fail(const char* what, const std::string& a, const std::string& b) {
  std::fprintf(stderr, "fuzz_json_stream: %s\n  byte loop: %.*s\n  blocks:    %.*s\n", what,
               static_cast<int>(a.size() > 2000 ? 2000 : a.size()), a.data(),
               static_cast<int>(b.size() > 2000 ? 2000 : b.size()), b.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::vector<JsonStreamShape> shapes(4);
  shapes[0].array_members = {"objects"};   // a STIX bundle
  shapes[1].array_members = {"response"};  // a MISP events list
  shapes[1].leading_members = std::vector<std::string_view>{};
  // shapes[2]: a top-level array
  shapes[3].array_members = {"data"};  // a JSON feed of records
  shapes[3].leading_members = std::vector<std::string_view>{"query_status"};
  shapes[3].id_keyed = true;
  shapes[3].records = true;
  static constexpr size_t kPieces[] = {1, 63, 64, 65, 200, 1 << 20};
  const JsonStreamShape& shape = shapes[data[0] % 4];
  const size_t piece = kPieces[(data[0] >> 2) % 6];
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

  const std::string expected = Split(shape, text, piece, BlockScanning::kByteByByte);
  const std::string sse2 = Split(shape, text, piece, BlockScanning::kSse2);
  if (sse2 != expected) Fail("SSE2 blocks split differently", expected, sse2);
  const std::string widest = Split(shape, text, piece, BlockScanning::kWidest);
  if (widest != expected) Fail("widest blocks split differently", expected, widest);
  return 0;
}
