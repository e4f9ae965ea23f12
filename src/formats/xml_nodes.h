// Helpers shared by the XML readers (IODEF, OpenIOC): element names without
// their namespace prefix, and where an element is, for the positions of
// rejected records. Internal to formats/ (it exposes pugixml). Stateless.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <pugixml.hpp>

namespace tessera::formats::xml {

// "iodef:Incident" -> "Incident".
std::string_view LocalName(const pugi::xml_node& node);

// An element with this local name.
bool IsElement(const pugi::xml_node& node, std::string_view local);
// The first child element with this local name (an empty node when none).
pugi::xml_node Child(const pugi::xml_node& node, std::string_view local);
// All character data directly inside an element (text split by comments joined).
std::string Text(const pugi::xml_node& node);

// "/ioc/definition/Indicator/IndicatorItem[3]": local names, with a 1-based
// index where an element has siblings of the same name.
std::string ElementPath(pugi::xml_node node);

// The 1-based line of a byte offset in the document (0 for a negative offset,
// which pugixml gives when it does not know).
uint64_t LineAt(std::string_view data, std::ptrdiff_t offset);

}  // namespace tessera::formats::xml
