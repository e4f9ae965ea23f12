#include "formats/strings.h"

#include <cctype>

namespace tessera::formats {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view text) {
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

std::string EscapeRegex(std::string_view value) {
  constexpr std::string_view kMetacharacters = "\\^$.|?*+()[]{}";
  std::string out;
  for (char c : value) {
    if (kMetacharacters.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace tessera::formats
