#include "formats/json_stream.h"

#include <algorithm>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
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

std::string_view JsonStreamSplitter::Capture::End(std::string_view bytes, size_t end) {
  active = false;
  std::string_view here = bytes.substr(start, end - start);
  // Within one Feed's bytes: no copy.
  if (size == 0 && here.size() <= limit) return here;
  Keep(here);
  return spill;
}

JsonStreamSplitter::JsonStreamSplitter(JsonStreamShape shape, size_t max_element_bytes,
                                       Callbacks callbacks)
    : shape_(std::move(shape)),
      max_element_bytes_(max_element_bytes),
      callbacks_(std::move(callbacks)) {}

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
  element.bytes = capture->End(bytes, end);
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
  std::string_view text = TrimRight(member_.End(bytes, end));
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
  if (escape_) {
    if (i == n) return n;
    escape_ = false;
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

core::Status JsonStreamSplitter::Feed(std::string_view bytes) {
  const size_t n = bytes.size();
  size_t i = in_string_ ? EndString(bytes, 0) : 0;
  for (; i < n; ++i) {
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
