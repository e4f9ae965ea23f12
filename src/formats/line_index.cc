#include "formats/line_index.h"

#include <algorithm>
#include <cstring>

namespace tessera::formats {

uint64_t LineIndex::LineOf(size_t offset) const {
  if (!indexed_) {
    const char* p = text_.data();
    const char* const end = p + text_.size();
    while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p))))) {
      newlines_.push_back(static_cast<size_t>(p - text_.data()));
      ++p;
    }
    indexed_ = true;
  }
  auto before = std::lower_bound(newlines_.begin(), newlines_.end(), offset);
  return 1 + static_cast<uint64_t>(before - newlines_.begin());
}

}  // namespace tessera::formats
