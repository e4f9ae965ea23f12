// Streaming a large JSON document element by element: the elements of the
// top-level array, or of an array under one member of the top-level object (a
// STIX bundle's "objects", a MISP list's "response"), come out one at a time as
// their bytes arrive, so memory is bounded by the largest element, not the
// document. The other top-level members come out too (raw JSON, small ones
// only). This splits; it does not validate: each element is parsed by its
// consumer, which reports syntax errors inside it. Not synchronized.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tessera::formats {

class JsonArraySplitter {
 public:
  // `member` empty: the document is an array and its elements are streamed.
  // Otherwise the document is an object and the array under `member` is.
  struct Callbacks {
    // One element: its bytes (valid until return), its offset in the input and
    // the 1-based line it starts on.
    std::function<void(std::string_view element, uint64_t offset, uint64_t line)> element;
    // Another member of the top-level object: key and raw value (values over
    // kMaxMemberBytes are passed as an empty view).
    std::function<void(std::string_view key, std::string_view raw_value)> member;
  };
  static constexpr size_t kMaxMemberBytes = size_t{64} << 10;
  // Elements larger than this are an error (kLimit).
  static constexpr size_t kMaxElementBytes = size_t{256} << 20;

  JsonArraySplitter(std::string member, Callbacks callbacks);

  // Feeds the next bytes of the document. Errors (kParse with "byte N") on a
  // structure this cannot be: a root that is not an array/object as asked, a
  // stray closing bracket, nesting deeper than kMaxDepth.
  core::Status Feed(std::string_view bytes);
  // Ends the document; an error if it was cut short or the array never came.
  core::Status Finish();

  // Whether the streamed array was found (and entered).
  bool found_array() const { return found_array_; }
  uint64_t elements() const { return elements_; }

  static constexpr int kMaxDepth = 512;

 private:
  // Bytes of one value being collected: a view into the current Feed's bytes
  // while it stays inside them, copied into `spill` when it crosses a Feed.
  struct Capture {
    bool active = false;
    size_t start = 0;  // index in the current bytes
    bool spans = false;
    bool too_big = false;
    std::string spill;
    void Begin(size_t i);
    void Carry(std::string_view bytes, size_t limit);  // at the end of a Feed
    std::string_view End(std::string_view bytes, size_t end, size_t limit);
  };

  core::Status Fail(std::string message) const;
  core::Status ValueStart(size_t i, char c);
  void EndElement(std::string_view bytes, size_t end);
  void EndMember(std::string_view bytes, size_t end);

  std::string member_;
  Callbacks callbacks_;

  uint64_t offset_ = 0;  // input offset of the current Feed's first byte
  uint64_t line_ = 1;
  uint64_t at_ = 0;  // offset of the byte being looked at (for messages)
  int depth_ = 0;    // open containers
  bool in_string_ = false;
  bool escape_ = false;
  bool started_ = false;
  bool done_ = false;  // the root closed
  bool found_array_ = false;

  // Members of the root object (depth 1).
  bool expect_key_ = true;
  bool in_key_ = false;
  bool value_pending_ = false;  // a ':' was seen; the next token starts the value
  std::string key_;
  Capture member_value_;

  // Streamed elements: they start at depth `element_depth_` (0 when not inside
  // the array).
  int element_depth_ = 0;
  bool scalar_element_ = false;
  Capture element_;
  uint64_t element_offset_ = 0;
  uint64_t element_line_ = 0;
  uint64_t elements_ = 0;
};

}  // namespace tessera::formats
