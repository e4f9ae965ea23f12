#include "formats/xml_nodes.h"

#include <algorithm>
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

std::string ElementLocation(const LineIndex& lines, const pugi::xml_node& node) {
  // pugixml gives a negative offset when it does not know: line 0.
  const std::ptrdiff_t offset = node.offset_debug();
  const uint64_t line = offset < 0 ? 0 : lines.LineOf(static_cast<size_t>(offset));
  return ElementPath(node).append(" (line ").append(std::to_string(line)).append(")");
}

uint64_t ByteOffset(const pugi::xml_node& node) {
  return static_cast<uint64_t>(std::max<std::ptrdiff_t>(0, node.offset_debug()));
}

}  // namespace tessera::formats::xml
