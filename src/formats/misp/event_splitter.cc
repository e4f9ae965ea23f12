#include "formats/misp/event_splitter.h"

#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace tessera::formats::misp {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

}  // namespace

ArraySplitter::ArraySplitter(uint64_t array_offset, size_t max_element_bytes)
    : array_offset_(array_offset), max_element_bytes_(max_element_bytes) {}

void ArraySplitter::Append(std::string_view bytes) {
  if (truncated_) return;
  if (buffer_.size() + bytes.size() > max_element_bytes_) {
    bytes = bytes.substr(0, max_element_bytes_ - buffer_.size());
    truncated_ = true;
  }
  buffer_.append(bytes);
}

void ArraySplitter::Emit(const Callback& on_element, bool complete) {
  // Trailing whitespace of a scalar element is not part of it.
  while (!buffer_.empty() && IsSpace(buffer_.back())) buffer_.pop_back();
  if (buffer_.capacity() < buffer_.size() + kElementPadding) {
    buffer_.reserve(buffer_.size() + kElementPadding);
  }
  ArrayElement element;
  element.bytes = buffer_;
  element.offset = element_offset_;
  element.index = index_++;
  element.truncated = truncated_;
  element.complete = complete;
  on_element(element);
  buffer_.clear();
  truncated_ = false;
  depth_ = 0;
  in_string_ = false;
  escape_ = false;
}

void ArraySplitter::Feed(std::string_view chunk, uint64_t offset, const Callback& on_element) {
  const char* data = chunk.data();
  const size_t n = chunk.size();
  size_t i = 0;
  if (state_ == State::kBefore) {
    if (offset + n <= array_offset_) return;
    i = array_offset_ >= offset ? static_cast<size_t>(array_offset_ - offset) + 1 : 0;
    state_ = State::kBetween;
  }
  size_t span = i;  // start of the bytes of the current element not yet appended
  while (i < n) {
    if (state_ == State::kDone) return;
    if (state_ == State::kBetween) {
      char c = data[i];
      if (IsSpace(c) || c == ',') {
        ++i;
        continue;
      }
      if (c == ']') {
        state_ = State::kDone;
        return;
      }
      state_ = State::kInElement;
      element_offset_ = offset + i;
      span = i;
      depth_ = 0;
      in_string_ = false;
      escape_ = false;
    }
    // kInElement
    if (in_string_) {
      // Skip to the next quote or backslash, 16 bytes at a time where possible.
#ifdef __SSE2__
      if (!escape_) {
        const __m128i quote = _mm_set1_epi8('"');
        const __m128i backslash = _mm_set1_epi8('\\');
        while (i + 16 <= n) {
          __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
          int hits = _mm_movemask_epi8(
              _mm_or_si128(_mm_cmpeq_epi8(block, quote), _mm_cmpeq_epi8(block, backslash)));
          if (hits != 0) {
            i += static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(hits)));
            break;
          }
          i += 16;
        }
      }
#endif
      while (i < n) {
        char c = data[i];
        if (escape_) {
          escape_ = false;
        } else if (c == '\\') {
          escape_ = true;
        } else if (c == '"') {
          break;
        }
        ++i;
      }
      if (i == n) break;
      in_string_ = false;
      ++i;
      continue;
    }
    char c = data[i];
    switch (c) {
      case '"':
        in_string_ = true;
        ++i;
        break;
      case '{':
      case '[':
        ++depth_;
        ++i;
        break;
      case '}':
      case ']':
        if (depth_ == 0 && c == ']') {
          // The array's own ']' after a scalar element.
          Append(std::string_view(data + span, i - span));
          Emit(on_element, true);
          state_ = State::kBetween;
          break;  // the ']' is seen again in kBetween, which ends the array
        }
        if (depth_ == 0) {
          // A stray '}': part of a malformed element, which its parse rejects.
          ++i;
          break;
        }
        ++i;
        if (--depth_ == 0) {
          Append(std::string_view(data + span, i - span));
          Emit(on_element, true);
          state_ = State::kBetween;
        }
        break;
      case ',':
        if (depth_ == 0) {
          Append(std::string_view(data + span, i - span));
          Emit(on_element, true);
          state_ = State::kBetween;
        }
        ++i;
        break;
      default:
        ++i;
        break;
    }
  }
  if (state_ == State::kInElement) Append(std::string_view(data + span, n - span));
}

void ArraySplitter::Finish(const Callback& on_element) {
  if (state_ == State::kInElement) {
    Emit(on_element, depth_ == 0 && !in_string_ && !buffer_.empty() && buffer_[0] != '"');
    state_ = State::kBetween;
  }
}

}  // namespace tessera::formats::misp
