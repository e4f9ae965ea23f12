#include "formats/xml_head.h"

#include <cctype>

namespace tessera::formats {

bool FindXmlRootTag(std::string_view head, XmlRootTag* out) {
  size_t i = 0;
  if (head.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  while (i < head.size()) {
    while (i < head.size() && std::isspace(static_cast<unsigned char>(head[i]))) ++i;
    if (i >= head.size() || head[i] != '<') return false;
    std::string_view rest = head.substr(i);
    size_t end = std::string_view::npos;
    if (rest.substr(0, 4) == "<!--") {
      end = rest.find("-->");
      if (end == std::string_view::npos) return false;
      i += end + 3;
      continue;
    }
    if (rest.substr(0, 2) == "<?" || rest.substr(0, 2) == "<!") {
      end = rest.find('>');
      if (end == std::string_view::npos) return false;
      i += end + 1;
      continue;
    }
    size_t n = 1;
    while (n < rest.size() && !std::isspace(static_cast<unsigned char>(rest[n])) &&
           rest[n] != '>' && rest[n] != '/') {
      ++n;
    }
    out->name = rest.substr(1, n - 1);
    out->local = out->name.substr(out->name.rfind(':') + 1);
    char quote = 0;
    size_t k = n;
    for (; k < rest.size(); ++k) {
      char c = rest[k];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      }
    }
    out->tag = rest.substr(0, k);
    return !out->name.empty();
  }
  return false;
}

}  // namespace tessera::formats
