#include "formats/xml_nodes.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tessera::formats::xml {

core::Status ReadDocument(Input& input, unsigned int options, std::string* data,
                          pugi::xml_document* doc) {
  auto read = input.ReadAll();
  if (!read.ok()) return read.error();
  *data = std::move(*read);
  pugi::xml_parse_result parsed =
      doc->load_buffer(data->data(), data->size(), options, pugi::encoding_auto);
  if (parsed) return {};
  return core::MakeError(core::ErrorCode::kParse,
                         std::string("not well-formed XML: ") + parsed.description(),
                         input.name() + "@byte " + std::to_string(parsed.offset));
}

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

pugi::xml_node TooDeep(const pugi::xml_node& root, int limit) {
  std::vector<std::pair<pugi::xml_node, int>> stack = {{root, 0}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    if (depth > limit) return node;
    for (pugi::xml_node c : node.children()) {
      if (c.type() == pugi::node_element) stack.emplace_back(c, depth + 1);
    }
  }
  return {};
}

const NodeLocator::Place& NodeLocator::PlaceOf(const pugi::xml_node& node) const {
  const pugi::xml_node parent = node.parent();
  if (numbered_parents_.insert(parent.internal_object()).second) {
    std::unordered_map<std::string_view, int> counts;
    for (pugi::xml_node c : parent.children()) {
      if (c.type() == pugi::node_element) ++counts[LocalName(c)];
    }
    std::unordered_map<std::string_view, int> seen;
    for (pugi::xml_node c : parent.children()) {
      if (c.type() != pugi::node_element) continue;
      std::string_view name = LocalName(c);
      places_[c.internal_object()] = Place{++seen[name], counts[name]};
    }
  }
  return places_.at(node.internal_object());
}

std::string NodeLocator::Path(const pugi::xml_node& node) const {
  std::vector<pugi::xml_node> chain;
  for (pugi::xml_node n = node; n && n.type() == pugi::node_element; n = n.parent()) {
    chain.push_back(n);
  }
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    out.append("/").append(LocalName(*it));
    const Place& place = PlaceOf(*it);
    if (place.count > 1) out.append("[").append(std::to_string(place.index)).append("]");
  }
  return out;
}

std::string NodeLocator::Location(const pugi::xml_node& node) const {
  // pugixml gives a negative offset when it does not know: line 0.
  const std::ptrdiff_t offset = node.offset_debug();
  const uint64_t line = offset < 0 ? 0 : lines_.LineOf(static_cast<size_t>(offset));
  return Path(node).append(" (line ").append(std::to_string(line)).append(")");
}

uint64_t ByteOffset(const pugi::xml_node& node) {
  return static_cast<uint64_t>(std::max<std::ptrdiff_t>(0, node.offset_debug()));
}

}  // namespace tessera::formats::xml
