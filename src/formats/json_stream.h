// Streaming a large JSON document element by element, for every reader of JSON
// that may not fit in memory (STIX bundles, MISP events lists, JSON feeds): the
// elements of the top-level array, or of the arrays under chosen members of the
// top-level object, come out one at a time as their bytes arrive, so memory is
// bounded by the largest element, not the document. The other top-level
// members come out too (raw JSON, small ones only). This splits; it does not
// validate: each element is parsed by its consumer, which reports syntax errors
// inside it. One splitter per input; not synchronized.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tessera::formats {

// Which arrays of a document stream their elements. A top-level array always does.
struct JsonStreamShape {
  // Members of a top-level object whose array value streams ("objects", "data").
  std::vector<std::string_view> array_members;
  // When set, an array member streams only while every member before it is one
  // of these ("query_status", "count"); later, it is just part of the object.
  // Unset: wherever it is.
  std::optional<std::vector<std::string_view>> leading_members;
  // {"<digits>": [elements], ...}: every member with a numeric key streams, and
  // its elements carry the key as their group (ThreatFox and URLhaus exports).
  bool id_keyed = false;
  // A feed of records: the input may hold several top-level values (JSON lines,
  // concatenated documents); a top-level object with no streaming array is an
  // element itself; a top-level scalar is skipped to the end of its line and
  // handed out as a stray element. Otherwise the input is one array or object,
  // and anything after it is an error.
  bool records = false;
};

// One element, handed to the callback.
struct JsonElement {
  std::string_view bytes;  // valid until the callback returns
  uint64_t offset = 0;     // of its first byte in the input
  uint64_t line = 0;       // 1-based line of its first byte
  uint64_t index = 0;      // 0-based count of the elements before it
  std::string_view group;  // the key of its id-keyed member, else empty
  bool too_big = false;    // over the element limit: `bytes` holds its first kKeptPrefix bytes
  bool complete = true;    // false: the input ended inside it
  bool stray = false;      // a stray top-level token (records mode), not a JSON container
  // Bytes after `bytes` that may be read though they are not part of it (the
  // rest of the chunk fed, or a buffer's spare room): a parser that reads past
  // the end (simdjson's padding) can parse in place when there are enough.
  size_t readable_after = 0;
};

// How the splitter reads the inside of elements: 64-byte blocks with the widest
// vectors the CPU has (AVX2 or SSE2), with SSE2 only, or byte by byte. All give
// the same result; the narrower ones are there for tests to compare against.
enum class BlockScanning { kWidest, kSse2, kByteByByte };

class JsonStreamSplitter {
 public:
  struct Callbacks {
    std::function<void(const JsonElement&)> element;
    // A member of the top-level object other than a streaming array: its key
    // and raw value (empty when over kMaxMemberBytes).
    std::function<void(std::string_view key, std::string_view raw_value)> member;
  };
  static constexpr size_t kMaxMemberBytes = size_t{64} << 10;
  // What a too-big element keeps of its beginning (for a rejection's raw bytes).
  static constexpr size_t kKeptPrefix = size_t{64} << 10;
  static constexpr int kMaxDepth = 512;

  // Elements longer than `max_element_bytes` are handed out cut, flagged too_big.
  JsonStreamSplitter(JsonStreamShape shape, size_t max_element_bytes, Callbacks callbacks,
                     BlockScanning scanning = BlockScanning::kWidest);

  // Feeds the next bytes of the input. Errors (kParse, located at "byte N")
  // only where the input cannot be split further: a closing bracket with
  // nothing open, nesting deeper than kMaxDepth, and unless in records mode a
  // top-level scalar or data after the document.
  core::Status Feed(std::string_view bytes);
  // Ends the input. An element left open is handed out (complete = false);
  // an error (kParse) when the input ends inside anything else.
  core::Status Finish();

  // Whether a streaming array was entered.
  bool found_array() const { return found_array_; }
  // Whether any top-level value was seen.
  bool saw_value() const { return saw_value_; }
  uint64_t elements() const { return elements_; }

 private:
  // The bytes of one value being collected: a view into the current Feed's
  // bytes while it stays inside them, copied into `spill` when it crosses a Feed.
  struct Capture {
    bool active = false;
    bool scalar = false;  // a scalar ends at the next ',' or closing bracket
    bool too_big = false;
    size_t start = 0;  // index in the current bytes
    size_t size = 0;   // bytes captured before the current bytes
    size_t limit = 0;
    uint64_t offset = 0;
    uint64_t line = 0;
    std::string spill;
    void Begin(size_t i, char first, uint64_t at, uint64_t at_line, size_t max);
    void Keep(std::string_view part);  // appends, within the limit
    void Carry(std::string_view bytes);
    // The element's bytes; *readable_after: see JsonElement.
    std::string_view End(std::string_view bytes, size_t end, size_t* readable_after);
  };

  core::Status Fail(std::string message, uint64_t at) const;
  // Reads the string being scanned from bytes[i]: the index just past its
  // closing quote, or bytes.size() when it goes on into the next Feed.
  size_t EndString(std::string_view bytes, size_t i);
  // Inside an element or a member (depth_ > 2, not in a string), skips 64-byte
  // blocks at a time while they only nest and unnest, counting their lines:
  // returns where the byte loop goes on, at a bracket it must see, past the
  // string the last block ended in, or before the last bytes short of a block.
  size_t SkipInside(std::string_view bytes, size_t i);
  void AppendKey(std::string_view part);
  core::Status ValueStart(size_t i, char c);
  void ScalarEnd(std::string_view bytes, size_t end);     // at a ',' or closing bracket
  void ContainerEnd(std::string_view bytes, size_t end);  // a container at depth_ closed
  bool Streams(std::string_view key) const;
  void Emit(Capture* capture, std::string_view bytes, size_t end, bool complete, bool stray);
  void EndMember(std::string_view bytes, size_t end);

  JsonStreamShape shape_;
  size_t max_element_bytes_;
  Callbacks callbacks_;
  BlockScanning scanning_;

  uint64_t offset_ = 0;  // input offset of the current Feed's first byte
  uint64_t line_ = 1;
  int depth_ = 0;  // open containers
  bool in_string_ = false;
  bool escape_ = false;
  bool stray_ = false;  // skipping a stray top-level token to its line's end
  bool done_ = false;   // not records mode: the document closed
  bool saw_value_ = false;
  bool found_array_ = false;

  // Members of a top-level object (depth 1).
  bool root_is_array_ = false;
  bool expect_key_ = true;
  bool value_pending_ = false;  // a ':' was seen; the next token starts the value
  bool in_key_ = false;
  size_t key_start_ = 0;
  std::string key_;
  std::string group_;
  bool only_leading_so_far_ = true;
  Capture root_;    // records mode: the top-level object, until an array streams from it
  Capture member_;  // a member's value

  // Streamed elements start at depth element_depth_ (0: not inside such an array).
  int element_depth_ = 0;
  Capture element_;
  uint64_t elements_ = 0;
};

}  // namespace tessera::formats
