// The bundled feed definitions: the TOML texts of src/formats/feeds/definitions/,
// embedded at build time (embed_definitions.cmake), in file-name order.
// Constant data; thread-safe.
#pragma once

#include <span>
#include <string_view>

namespace tessera::formats::feeds {

struct BundledDefinitionText {
  std::string_view file;  // "urlhaus.toml"
  std::string_view text;
};

std::span<const BundledDefinitionText> BundledDefinitionTexts();

}  // namespace tessera::formats::feeds
