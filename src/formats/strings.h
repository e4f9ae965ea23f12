// String pieces the readers share: lines of a chunk, ASCII case folding and
// trimming, and regular expressions for STIX patterns' MATCHES made from
// source values (string literals: normalize::QuotePatternLiteral). Stateless;
// thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace tessera::formats {

// Calls visit(line, offset) for each line of `text` (without its '\n'; offset
// where it starts in `text`). A final '\n' ends the last line; it starts none.
template <typename Visit>
void ForEachLine(std::string_view text, Visit&& visit) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    visit(text.substr(pos, end - pos), pos);
    pos = end + 1;
  }
}

// ASCII lower case; other bytes as they are.
std::string Lower(std::string_view text);

// Without ASCII white space (std::isspace) at either end; a view into `text`.
std::string_view Trim(std::string_view text);

// A regular expression (PCRE, for MATCHES) that matches `value` verbatim: its
// metacharacters escaped.
std::string EscapeRegex(std::string_view value);

}  // namespace tessera::formats
