#include "formats/json_stream.h"

#include <algorithm>
#include <utility>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace tessera::formats {
namespace {

constexpr size_t kMaxKeyBytes = 4096;
// Values deeper than this are inside an element or a member: nothing starts there.
constexpr int kMaxValueStartDepth = 2;

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool Contains(const std::vector<std::string_view>& list, std::string_view key) {
  return std::find(list.begin(), list.end(), key) != list.end();
}

// The index of the first '"', '\\' or '\n' in bytes[from, size), or size: the
// end of a string's plain run (most of a JSON document is inside strings).
size_t SkipStringRun(std::string_view bytes, size_t from) {
  size_t i = from;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i newline = _mm_set1_epi8('\n');
  for (; i + 16 <= bytes.size(); i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes.data() + i));
    __m128i hits =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                     _mm_cmpeq_epi8(v, newline));
    int mask = _mm_movemask_epi8(hits);
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  while (i < bytes.size() && bytes[i] != '"' && bytes[i] != '\\' && bytes[i] != '\n') ++i;
  return i;
}

#if defined(__x86_64__)
// Inside an element or a member only strings, brackets and newlines matter, and
// a block of 64 bytes is read at once: one bit a byte for each of them.
struct BlockBits {
  uint64_t quote = 0, backslash = 0, open = 0, close = 0, newline = 0;
};

// The same with 16-byte (SSE2, every x86-64) and 32-byte (AVX2) vectors; '{' and
// '[' (0x7B, 0x5B) differ only in bit 0x20, as do '}' and ']'.
inline uint64_t Bits16(__m128i eq) { return static_cast<uint16_t>(_mm_movemask_epi8(eq)); }

inline BlockBits ClassifySse2(const char* p) {
  BlockBits bits;
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    const __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
    const int at = 16 * k;
    bits.quote |= Bits16(_mm_cmpeq_epi8(v, _mm_set1_epi8('"'))) << at;
    bits.backslash |= Bits16(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))) << at;
    bits.newline |= Bits16(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))) << at;
    bits.open |= Bits16(_mm_cmpeq_epi8(folded, _mm_set1_epi8('{'))) << at;
    bits.close |= Bits16(_mm_cmpeq_epi8(folded, _mm_set1_epi8('}'))) << at;
  }
  return bits;
}

[[gnu::target("avx2")]] inline uint64_t Bits32(__m256i eq) {
  return static_cast<uint32_t>(_mm256_movemask_epi8(eq));
}

[[gnu::target("avx2")]] inline BlockBits ClassifyAvx2(const char* p) {
  BlockBits bits;
  for (int k = 0; k < 2; ++k) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * k));
    const __m256i folded = _mm256_or_si256(v, _mm256_set1_epi8(0x20));
    const int at = 32 * k;
    bits.quote |= Bits32(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"'))) << at;
    bits.backslash |= Bits32(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\'))) << at;
    bits.newline |= Bits32(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n'))) << at;
    bits.open |= Bits32(_mm256_cmpeq_epi8(folded, _mm256_set1_epi8('{'))) << at;
    bits.close |= Bits32(_mm256_cmpeq_epi8(folded, _mm256_set1_epi8('}'))) << at;
  }
  return bits;
}

// The bytes escaped by a backslash. `*carry` says the block's first byte is
// escaped (a backslash ended the block before) and is set for the next block.
inline uint64_t EscapedBytes(uint64_t backslash, bool* carry) {
  uint64_t escaped = 0;
  if (*carry) {
    escaped = 1;
    backslash &= ~uint64_t{1};
  }
  *carry = false;
  while (backslash != 0) {
    const int at = __builtin_ctzll(backslash);
    if (at == 63) {
      *carry = true;
      break;
    }
    escaped |= uint64_t{2} << at;
    backslash &= ~(uint64_t{3} << at);  // an escaped backslash escapes nothing
  }
  return escaped;
}

// Bit i set when an odd number of the bits up to and including i are set:
// with quote bits, the bytes from an opening quote to just before its closing one.
inline uint64_t PrefixXor(uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

// The bits below `n` (n <= 64).
inline uint64_t LowBits(size_t n) { return n >= 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1; }

// What scanning blocks carries from one to the next.
struct BlockScan {
  int depth = 0;
  uint64_t lines = 0;
  bool in_string = false;  // the next block starts inside a string
  bool escape = false;     // and its first byte is escaped
};

// Scans whole blocks from bytes[i] (outside any string, depth > 2) while no
// bracket in them can end an element or a member or nest past kMaxDepth, and no
// backslash stands outside a string (not JSON: the byte loop decides what it
// means there). Returns where it stopped: at such a byte, outside any string,
// or at the start of the bytes short of a block, `scan` saying whether that is
// inside a string.
template <BlockBits (*kClassify)(const char*)>
[[gnu::always_inline]] inline size_t ScanBlocks(std::string_view bytes, size_t i, BlockScan* scan) {
  constexpr int kMaxDepth = JsonStreamSplitter::kMaxDepth;
  for (; i + 64 <= bytes.size(); i += 64) {
    const BlockBits bits = kClassify(bytes.data() + i);
    bool next_escape = scan->escape;
    const uint64_t escaped = EscapedBytes(bits.backslash, &next_escape);
    const uint64_t strings =
        PrefixXor(bits.quote & ~escaped) ^ (scan->in_string ? ~uint64_t{0} : 0);
    const uint64_t opens = bits.open & ~strings;
    const uint64_t closes = bits.close & ~strings;
    const uint64_t stray = bits.backslash & ~strings;
    const int open_count = __builtin_popcountll(opens);
    const int close_count = __builtin_popcountll(closes);
    // The whole block at once when it is safe even if all its closing brackets came first.
    if (stray == 0 && scan->depth - close_count > kMaxValueStartDepth &&
        scan->depth + open_count <= kMaxDepth) {
      scan->depth += open_count - close_count;
    } else {
      // Bracket by bracket, up to the first byte the byte loop must see.
      size_t stop = stray != 0 ? static_cast<size_t>(__builtin_ctzll(stray)) : 64;
      for (uint64_t left = (opens | closes) & LowBits(stop); left != 0; left &= left - 1) {
        const int at = __builtin_ctzll(left);
        const bool open = (opens >> at & 1) != 0;
        if (open ? scan->depth == kMaxDepth : scan->depth <= kMaxValueStartDepth + 1) {
          stop = static_cast<size_t>(at);
          break;
        }
        scan->depth += open ? 1 : -1;
      }
      if (stop < 64) {
        scan->lines += static_cast<uint64_t>(__builtin_popcountll(bits.newline & LowBits(stop)));
        scan->in_string = false;
        return i + stop;
      }
    }
    scan->lines += static_cast<uint64_t>(__builtin_popcountll(bits.newline));
    scan->in_string = (strings >> 63) != 0;
    scan->escape = next_escape;
  }
  return i;
}

size_t ScanBlocksSse2(std::string_view bytes, size_t i, BlockScan* scan) {
  return ScanBlocks<ClassifySse2>(bytes, i, scan);
}

[[gnu::target("avx2")]] size_t ScanBlocksAvx2(std::string_view bytes, size_t i, BlockScan* scan) {
  return ScanBlocks<ClassifyAvx2>(bytes, i, scan);
}

bool HasAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}
#endif

}  // namespace

void JsonStreamSplitter::Capture::Begin(size_t i, char first, uint64_t at, uint64_t at_line,
                                        size_t max) {
  active = true;
  scalar = first != '{' && first != '[';
  too_big = false;
  start = i;
  size = 0;
  limit = max;
  offset = at;
  line = at_line;
  spill.clear();
}

void JsonStreamSplitter::Capture::Keep(std::string_view part) {
  size += part.size();
  if (size > limit) too_big = true;
  size_t room = too_big ? std::min(limit, kKeptPrefix) : spill.size() + part.size();
  if (spill.size() < room) spill.append(part.substr(0, room - spill.size()));
  if (spill.size() > room) spill.resize(room);
}

void JsonStreamSplitter::Capture::Carry(std::string_view bytes) {
  if (!active) return;
  Keep(bytes.substr(start));
  start = 0;
}

std::string_view JsonStreamSplitter::Capture::End(std::string_view bytes, size_t end,
                                                  size_t* readable_after) {
  active = false;
  std::string_view here = bytes.substr(start, end - start);
  // Within one Feed's bytes: no copy.
  if (size == 0 && here.size() <= limit) {
    *readable_after = bytes.size() - std::min(end, bytes.size());
    return here;
  }
  Keep(here);
  *readable_after = spill.capacity() - spill.size();
  return spill;
}

JsonStreamSplitter::JsonStreamSplitter(JsonStreamShape shape, size_t max_element_bytes,
                                       Callbacks callbacks, BlockScanning scanning)
    : shape_(std::move(shape)),
      max_element_bytes_(max_element_bytes),
      callbacks_(std::move(callbacks)),
      scanning_(scanning) {}

core::Status JsonStreamSplitter::Fail(std::string message, uint64_t at) const {
  return core::MakeError(core::ErrorCode::kParse, std::move(message), "byte " + std::to_string(at));
}

bool JsonStreamSplitter::Streams(std::string_view key) const {
  if (shape_.id_keyed && AllDigits(key)) return true;
  return (!shape_.leading_members || only_leading_so_far_) && Contains(shape_.array_members, key);
}

void JsonStreamSplitter::Emit(Capture* capture, std::string_view bytes, size_t end, bool complete,
                              bool stray) {
  JsonElement element;
  element.bytes = capture->End(bytes, end, &element.readable_after);
  // A scalar ends at the delimiter after it: drop the whitespace before that.
  if (capture->scalar && !stray) element.bytes = TrimRight(element.bytes);
  element.offset = capture->offset;
  element.line = capture->line;
  element.index = elements_++;
  element.group = group_;
  element.too_big = capture->too_big;
  element.complete = complete;
  element.stray = stray;
  if (callbacks_.element) callbacks_.element(element);
  capture->spill.clear();
}

void JsonStreamSplitter::EndMember(std::string_view bytes, size_t end) {
  size_t readable_after = 0;
  std::string_view text = TrimRight(member_.End(bytes, end, &readable_after));
  if (callbacks_.member) callbacks_.member(key_, member_.too_big ? std::string_view() : text);
  member_.spill.clear();
}

// A value begins at bytes[i] (not yet counted in depth_).
core::Status JsonStreamSplitter::ValueStart(size_t i, char c) {
  uint64_t at = offset_ + i;
  if (depth_ == 0) {
    saw_value_ = true;
    group_.clear();
    only_leading_so_far_ = true;
    if (c == '[') {
      found_array_ = true;
      element_depth_ = 1;
    } else if (!shape_.records) {
      if (c != '{') return Fail("not a JSON array or object", at);
    } else {
      root_.Begin(i, c, at, line_, max_element_bytes_);
      stray_ = c != '{';
    }
    return {};
  }
  if (depth_ == element_depth_) {
    if (!element_.active) element_.Begin(i, c, at, line_, max_element_bytes_);
    return {};
  }
  if (depth_ != 1 || !value_pending_) return {};
  // A member value of the top-level object.
  value_pending_ = false;
  if (c == '[' && Streams(key_)) {
    found_array_ = true;
    element_depth_ = 2;
    group_ = shape_.id_keyed && AllDigits(key_) ? key_ : std::string();
    root_.active = false;  // a wrapper, not an element
    root_.spill.clear();
    return {};
  }
  if (shape_.leading_members && !Contains(*shape_.leading_members, key_)) {
    only_leading_so_far_ = false;
  }
  member_.Begin(i, c, at, line_, kMaxMemberBytes);
  return {};
}

void JsonStreamSplitter::ScalarEnd(std::string_view bytes, size_t end) {
  if (element_.active && element_.scalar && depth_ == element_depth_) {
    Emit(&element_, bytes, end, true, false);
  }
  if (member_.active && member_.scalar && depth_ == 1) EndMember(bytes, end);
}

void JsonStreamSplitter::ContainerEnd(std::string_view bytes, size_t end) {
  if (depth_ == 0) {
    if (root_.active) Emit(&root_, bytes, end, true, false);
    element_depth_ = 0;
    done_ = !shape_.records;
    return;
  }
  if (depth_ == element_depth_) {
    if (element_.active) Emit(&element_, bytes, end, true, false);
    return;
  }
  if (depth_ == 1 && member_.active) EndMember(bytes, end);
  if (depth_ + 1 == element_depth_) element_depth_ = 0;  // the streamed array closed
}

size_t JsonStreamSplitter::EndString(std::string_view bytes, size_t i) {
  const size_t n = bytes.size();
  // An escaped byte is skipped, but a line is a line even there (not JSON).
  if (escape_) {
    if (i == n) return n;
    escape_ = false;
    if (bytes[i] == '\n') ++line_;
    ++i;
  }
  while (true) {
    i = SkipStringRun(bytes, i);
    if (i == n) return n;
    if (bytes[i] == '"') break;
    if (bytes[i] == '\n') {
      ++line_;
      ++i;
      continue;
    }
    // A backslash: the byte after it is escaped.
    if (i + 1 == n) {
      escape_ = true;
      return n;
    }
    if (bytes[i + 1] == '\n') ++line_;
    i += 2;
  }
  in_string_ = false;
  if (in_key_) {
    in_key_ = false;
    AppendKey(bytes.substr(key_start_, i - key_start_));
  }
  return i + 1;
}

void JsonStreamSplitter::AppendKey(std::string_view part) {
  if (key_.size() < kMaxKeyBytes) key_.append(part.substr(0, kMaxKeyBytes - key_.size()));
}

size_t JsonStreamSplitter::SkipInside(std::string_view bytes, size_t i) {
#if defined(__x86_64__)
  static const bool avx2 = HasAvx2();
  BlockScan scan;
  scan.depth = depth_;
  i = avx2 && scanning_ == BlockScanning::kWidest ? ScanBlocksAvx2(bytes, i, &scan)
                                                  : ScanBlocksSse2(bytes, i, &scan);
  depth_ = scan.depth;
  line_ += scan.lines;
  if (!scan.in_string) return i;
  in_string_ = true;
  escape_ = scan.escape;
  return EndString(bytes, i);
#else
  return i;
#endif
}

core::Status JsonStreamSplitter::Feed(std::string_view bytes) {
  const size_t n = bytes.size();
  size_t i = in_string_ ? EndString(bytes, 0) : 0;
  for (; i < n; ++i) {
    if (depth_ > kMaxValueStartDepth && scanning_ != BlockScanning::kByteByByte) {
      i = SkipInside(bytes, i);
      if (i >= n) break;
    }
    char c = bytes[i];
    if (depth_ > kMaxValueStartDepth) {
      // Inside an element or a member value: only strings, brackets and lines count.
      if (c == '"') {
        in_string_ = true;
        i = EndString(bytes, i + 1) - 1;  // the loop steps past the closing quote
        continue;
      }
      if (c == '{' || c == '[') {
        if (++depth_ > kMaxDepth) {
          return Fail("nested deeper than " + std::to_string(kMaxDepth) + " levels", offset_ + i);
        }
        continue;
      }
      if ((c == '}' || c == ']') && depth_ > kMaxValueStartDepth + 1) {
        --depth_;
        continue;
      }
      if (c == '\n') ++line_;
      // A bracket closing back to where elements and members end takes the full path.
      if (c != '}' && c != ']') continue;
    }
    if (stray_) {
      if (c == '\n' || c == '\r') {
        stray_ = false;
        Emit(&root_, bytes, i, true, true);
        if (c == '\n') ++line_;
      }
      continue;
    }
    if (c == '\n') {
      ++line_;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    if (done_) return Fail("data after the end of the document", offset_ + i);
    switch (c) {
      case '"':
        if (depth_ == 1 && !root_is_array_ && expect_key_) {
          in_key_ = true;
          key_.clear();
          key_start_ = i + 1;
        } else if (depth_ <= kMaxValueStartDepth) {
          TESSERA_RETURN_IF_ERROR(ValueStart(i, c));
          if (stray_) break;
        }
        in_string_ = true;
        i = EndString(bytes, i + 1) - 1;  // the loop steps past the closing quote
        break;
      case '{':
      case '[':
        if (depth_ <= kMaxValueStartDepth) TESSERA_RETURN_IF_ERROR(ValueStart(i, c));
        if (++depth_ > kMaxDepth) {
          return Fail("nested deeper than " + std::to_string(kMaxDepth) + " levels", offset_ + i);
        }
        if (depth_ == 1) {
          root_is_array_ = c == '[';
          expect_key_ = true;
        }
        break;
      case '}':
      case ']':
        if (depth_ == 0) return Fail(std::string("unexpected '") + c + "'", offset_ + i);
        ScalarEnd(bytes, i);
        --depth_;
        ContainerEnd(bytes, i + 1);
        break;
      case ',':
        ScalarEnd(bytes, i);
        if (depth_ == 1 && !root_is_array_) expect_key_ = true;
        break;
      case ':':
        if (depth_ == 1 && !root_is_array_) {
          expect_key_ = false;
          value_pending_ = true;
        }
        break;
      default:
        if (depth_ == 0 && !saw_value_ && offset_ + i < 3 && c == "\xEF\xBB\xBF"[offset_ + i]) {
          break;  // a UTF-8 byte order mark
        }
        if (depth_ <= kMaxValueStartDepth) TESSERA_RETURN_IF_ERROR(ValueStart(i, c));
        break;
    }
  }
  if (in_key_) {
    AppendKey(bytes.substr(key_start_));
    key_start_ = 0;
  }
  root_.Carry(bytes);
  member_.Carry(bytes);
  element_.Carry(bytes);
  offset_ += n;
  return {};
}

core::Status JsonStreamSplitter::Finish() {
  if (stray_) {
    stray_ = false;
    Emit(&root_, {}, 0, true, true);
    return {};
  }
  // An element left open is handed out as it is; its consumer reports it.
  if (element_.active) {
    Emit(&element_, {}, 0, false, false);
    return {};
  }
  if (root_.active) {
    Emit(&root_, {}, 0, false, false);
    return {};
  }
  if (in_string_ || depth_ != 0) {
    return Fail("the input ends inside a JSON value (cut short?)", offset_);
  }
  return {};
}

}  // namespace tessera::formats
