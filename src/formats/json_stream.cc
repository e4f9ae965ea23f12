#include "formats/json_stream.h"

#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tessera::formats {
namespace {
bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The index of the first '"' or '\\' in bytes[from, size), or size: the end of
// a string's plain run (most of a JSON document is inside strings).
size_t SkipStringRun(std::string_view bytes, size_t from) {
  size_t i = from;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= bytes.size(); i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes.data() + i));
    int mask = _mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  while (i < bytes.size() && bytes[i] != '"' && bytes[i] != '\\') ++i;
  return i;
}
}  // namespace

void JsonArraySplitter::Capture::Begin(size_t i) {
  active = true;
  start = i;
  spans = false;
  too_big = false;
  spill.clear();
}

void JsonArraySplitter::Capture::Carry(std::string_view bytes, size_t limit) {
  if (!active) return;
  if (!too_big) {
    std::string_view rest = bytes.substr(start);
    if (spill.size() + rest.size() > limit) {
      too_big = true;
      spill.clear();
    } else {
      spill.append(rest);
    }
  }
  spans = true;
  start = 0;
}

std::string_view JsonArraySplitter::Capture::End(std::string_view bytes, size_t end,
                                                 size_t limit) {
  active = false;
  if (too_big) return {};
  if (!spans) return bytes.substr(start, end - start);
  if (spill.size() + end > limit) {
    too_big = true;
    return {};
  }
  spill.append(bytes.substr(0, end));
  return spill;
}

JsonArraySplitter::JsonArraySplitter(std::string member, Callbacks callbacks)
    : member_(std::move(member)), callbacks_(std::move(callbacks)) {}

core::Status JsonArraySplitter::Fail(std::string message) const {
  return core::MakeError(core::ErrorCode::kParse, std::move(message),
                         "byte " + std::to_string(at_));
}

void JsonArraySplitter::EndElement(std::string_view bytes, size_t end) {
  std::string_view text = element_.End(bytes, end, kMaxElementBytes);
  // Scalars end at the following ',' or ']': drop the whitespace before it.
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  ++elements_;
  if (callbacks_.element) callbacks_.element(text, element_offset_, element_line_);
}

void JsonArraySplitter::EndMember(std::string_view bytes, size_t end) {
  std::string_view text = member_value_.End(bytes, end, kMaxMemberBytes);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  if (callbacks_.member) callbacks_.member(key_, text);
}

// A value begins at bytes[i] (not yet counted in depth_).
core::Status JsonArraySplitter::ValueStart(size_t i, char c) {
  if (!started_) {
    started_ = true;
    char want = member_.empty() ? '[' : '{';
    if (c != want) {
      return Fail(member_.empty() ? "expected a JSON array" : "expected a JSON object");
    }
    if (member_.empty()) {
      found_array_ = true;
      element_depth_ = 1;
    }
    return {};
  }
  if (depth_ == 1 && !member_.empty() && value_pending_) {
    value_pending_ = false;
    if (key_ == member_ && c == '[' && !found_array_) {
      found_array_ = true;
      element_depth_ = 2;
      return {};
    }
    member_value_.Begin(i);
    return {};
  }
  if (element_depth_ != 0 && depth_ == element_depth_ && !element_.active) {
    element_.Begin(i);
    element_offset_ = offset_ + i;
    element_line_ = line_;
    scalar_element_ = c != '{' && c != '[';
  }
  return {};
}

core::Status JsonArraySplitter::Feed(std::string_view bytes) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (in_string_ && !escape_ && !in_key_) {
      // JSON strings hold no raw newlines, so a run can be skipped whole.
      i = SkipStringRun(bytes, i);
      if (i == bytes.size()) break;
    }
    char c = bytes[i];
    if (c == '\n') ++line_;
    if (in_string_) {
      if (escape_) {
        escape_ = false;
      } else if (c == '\\') {
        escape_ = true;
        if (in_key_) key_.push_back(c);
      } else if (c == '"') {
        in_string_ = false;
        in_key_ = false;
      } else if (in_key_ && key_.size() < 256) {
        key_.push_back(c);
      }
      continue;
    }
    if (IsSpace(c)) continue;
    at_ = offset_ + i;
    if (done_) return Fail("data after the end of the document");
    switch (c) {
      case '"':
        if (started_ && depth_ == 1 && !member_.empty() && expect_key_) {
          in_key_ = true;
          key_.clear();
        } else {
          TESSERA_RETURN_IF_ERROR(ValueStart(i, c));
        }
        in_string_ = true;
        break;
      case '{':
      case '[':
        TESSERA_RETURN_IF_ERROR(ValueStart(i, c));
        if (++depth_ > kMaxDepth) return Fail("nested deeper than " + std::to_string(kMaxDepth));
        if (depth_ == 1 && c == '{') expect_key_ = true;
        break;
      case '}':
      case ']': {
        if (depth_ == 0) return Fail(std::string("unexpected '") + c + "'");
        if (element_.active && scalar_element_ && depth_ == element_depth_) EndElement(bytes, i);
        if (member_value_.active && depth_ == 1) EndMember(bytes, i);
        --depth_;
        if (element_depth_ != 0 && depth_ + 1 == element_depth_) {
          element_depth_ = 0;  // the streamed array closed
        } else if (element_.active && !scalar_element_ && depth_ == element_depth_) {
          EndElement(bytes, i + 1);
        }
        if (depth_ == 0) done_ = true;
        break;
      }
      case ':':
        if (depth_ == 1 && !member_.empty()) {
          expect_key_ = false;
          value_pending_ = true;
        }
        break;
      case ',':
        if (element_.active && scalar_element_ && depth_ == element_depth_) EndElement(bytes, i);
        if (depth_ == 1 && !member_.empty()) {
          if (member_value_.active) EndMember(bytes, i);
          expect_key_ = true;
        }
        break;
      default:  // numbers, true, false, null
        TESSERA_RETURN_IF_ERROR(ValueStart(i, c));
        break;
    }
  }
  element_.Carry(bytes, kMaxElementBytes);
  member_value_.Carry(bytes, kMaxMemberBytes);
  if (element_.active && element_.too_big) {
    return core::MakeError(core::ErrorCode::kLimit,
                           "an element is larger than " +
                               std::to_string(kMaxElementBytes >> 20) + " MiB",
                           "byte " + std::to_string(element_offset_));
  }
  offset_ += bytes.size();
  return {};
}

core::Status JsonArraySplitter::Finish() {
  at_ = offset_;
  if (!started_) return Fail("empty document");
  if (in_string_ || depth_ != 0) return Fail("the document ends early (truncated?)");
  if (!found_array_) {
    return core::MakeError(core::ErrorCode::kParse, "no '" + member_ + "' array in the document");
  }
  return {};
}

}  // namespace tessera::formats
