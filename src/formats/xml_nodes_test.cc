#include "formats/xml_nodes.h"

#include <gtest/gtest.h>

#include <string>

namespace tessera::formats::xml {
namespace {

TEST(NodeLocatorTest, PathsIndexSiblingsOfTheSameNameAndLocationsGiveLines) {
  const std::string text =
      "<r:root xmlns:r=\"urn:x\">\n"
      "  <a/>\n"
      "  <b><c/></b>\n"
      "  <a><c/><c/></a>\n"
      "</r:root>\n";
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_buffer(text.data(), text.size()));
  const NodeLocator locator(text);
  pugi::xml_node root = doc.document_element();
  pugi::xml_node second_a = root.last_child();
  // Asked out of document order: the numbering does not depend on it.
  EXPECT_EQ(locator.Path(second_a.last_child()), "/root/a[2]/c[2]");
  EXPECT_EQ(locator.Path(root.first_child()), "/root/a[1]");
  EXPECT_EQ(locator.Path(Child(root, "b").first_child()), "/root/b/c");
  EXPECT_EQ(locator.Path(root), "/root");
  EXPECT_EQ(locator.Location(second_a), "/root/a[2] (line 4)");
  EXPECT_EQ(locator.Location(root), "/root (line 1)");
}

}  // namespace
}  // namespace tessera::formats::xml
