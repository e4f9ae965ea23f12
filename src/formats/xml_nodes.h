// Helpers shared by the XML readers (IODEF, OpenIOC, STIX 1): parsing a
// document, element names without their namespace prefix, and where an element
// is, for the positions of rejected records. Internal to formats/ (it exposes
// pugixml). Stateless.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

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

// "/ioc/definition/Indicator/IndicatorItem[3]": local names, with a 1-based
// index where an element has siblings of the same name.
std::string ElementPath(pugi::xml_node node);

// "/ioc/definition/Indicator (line 12)": an element's path and its line in the
// document it was parsed from (`lines` indexes that document), for messages.
std::string ElementLocation(const LineIndex& lines, const pugi::xml_node& node);

// The element's byte offset in the document (0 when pugixml does not know it).
uint64_t ByteOffset(const pugi::xml_node& node);

}  // namespace tessera::formats::xml
