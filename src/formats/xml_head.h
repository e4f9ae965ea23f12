// A look at the start of an XML document without parsing it, for detection:
// the root element's name and start tag, past the XML declaration, comments,
// a DOCTYPE and a byte order mark. Stateless; thread-safe.
#pragma once

#include <string_view>

namespace tessera::formats {

struct XmlRootTag {
  std::string_view name;   // qualified name as written ("iodef:IODEF-Document")
  std::string_view local;  // without its prefix ("IODEF-Document")
  std::string_view tag;    // the start tag up to (not including) its '>'
};

// False when `head` does not start (after the prolog) with an element.
bool FindXmlRootTag(std::string_view head, XmlRootTag* out);

}  // namespace tessera::formats
