#include "formats/xml_nodes.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace tessera::formats::xml {

std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool IsElement(const pugi::xml_node& node, std::string_view local) {
  return node.type() == pugi::node_element && LocalName(node) == local;
}

pugi::xml_node Child(const pugi::xml_node& node, std::string_view local) {
  for (pugi::xml_node c : node.children()) {
    if (IsElement(c, local)) return c;
  }
  return {};
}

std::string Text(const pugi::xml_node& node) {
  std::string out;
  for (pugi::xml_node c : node.children()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  }
  return out;
}

std::string ElementPath(pugi::xml_node node) {
  std::vector<std::string> parts;
  for (; node && node.type() == pugi::node_element; node = node.parent()) {
    std::string part(LocalName(node));
    int index = 0;
    int count = 0;
    for (pugi::xml_node s : node.parent().children()) {
      if (s.type() != pugi::node_element || LocalName(s) != LocalName(node)) continue;
      ++count;
      if (s == node) index = count;
    }
    if (count > 1) part.append("[").append(std::to_string(index)).append("]");
    parts.push_back(std::move(part));
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) out.append("/").append(*it);
  return out;
}

uint64_t LineAt(std::string_view data, std::ptrdiff_t offset) {
  if (offset < 0) return 0;
  size_t end = std::min(data.size(), static_cast<size_t>(offset));
  return 1 + static_cast<uint64_t>(std::count(data.begin(), data.begin() + end, '\n'));
}

}  // namespace tessera::formats::xml
