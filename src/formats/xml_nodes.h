// Helpers shared by the XML readers (IODEF, OpenIOC, STIX 1): parsing a
// document, element names without their namespace prefix, and where an element
// is, for the positions of rejected records. Internal to formats/ (it exposes
// pugixml). Stateless.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include <pugixml.hpp>

#include "core/result.h"
#include "formats/input.h"
#include "formats/line_index.h"

namespace tessera::formats::xml {

// Reads the whole input into `data` and parses it into `doc` with pugixml's
// `options` (`data` stays what the nodes' offsets count in). Errors: the
// input's, or kParse "not well-formed XML: <why>" at "<name>@byte <offset>".
core::Status ReadDocument(Input& input, unsigned int options, std::string* data,
                          pugi::xml_document* doc);

// "iodef:Incident" -> "Incident".
std::string_view LocalName(const pugi::xml_node& node);

// An element with this local name.
bool IsElement(const pugi::xml_node& node, std::string_view local);
// The first child element with this local name (an empty node when none).
pugi::xml_node Child(const pugi::xml_node& node, std::string_view local);
// All character data directly inside an element (text split by comments joined).
std::string Text(const pugi::xml_node& node);

// An element more than `limit` levels below `root` (found without recursion),
// or an empty node when none is.
pugi::xml_node TooDeep(const pugi::xml_node& root, int limit);

// Where the elements of one parsed document are, for messages. Answers stay
// cheap however many are asked: lines come from a LineIndex, and a parent's
// children are numbered once (counting the siblings per question is quadratic
// in a document of many records).
class NodeLocator {
 public:
  // `document`: the text the nodes were parsed from; it must outlive this.
  explicit NodeLocator(std::string_view document) : lines_(document) {}

  // "/ioc/definition/Indicator/IndicatorItem[3]": local names, with a 1-based
  // index where an element has siblings of the same name.
  std::string Path(const pugi::xml_node& node) const;

  // "/ioc/definition/Indicator (line 12)": the path and the element's line.
  std::string Location(const pugi::xml_node& node) const;

 private:
  struct Place {
    int index = 0;  // 1-based among the siblings of its name
    int count = 0;  // siblings of its name, itself included
  };
  const Place& PlaceOf(const pugi::xml_node& node) const;

  LineIndex lines_;
  mutable std::unordered_map<const void*, Place> places_;  // by pugixml node
  mutable std::unordered_set<const void*> numbered_parents_;
};

// The element's byte offset in the document (0 when pugixml does not know it).
uint64_t ByteOffset(const pugi::xml_node& node);

}  // namespace tessera::formats::xml
