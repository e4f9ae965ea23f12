// YAML documents as core::Json trees, for the readers of YAML formats (Sigma
// rules, X-ARF 0.2 reports). yaml-cpp does the parsing and stays behind this
// header: its exceptions become errors with a line and column, nesting and node
// counts are bounded before and while converting (aliases cannot blow up), and
// a stream is split into documents by its `---` lines so that one broken
// document does not hide the others. Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"

namespace tessera::formats {

struct YamlLimits {
  size_t max_bytes = size_t{8} << 20;  // one document
  size_t max_depth = 64;               // nested mappings and sequences
  size_t max_nodes = size_t{1} << 18;  // after alias expansion
};

// Parses one YAML document into a Json tree. Plain scalars are typed as YAML 1.2's
// core schema does: empty, `~` and `null` are null; true/false (any case) are
// booleans; scalars in JSON number syntax are numbers; everything else, and every
// quoted scalar, is a string. Mapping keys must be scalars and unique; the order
// of keys is kept. Errors: kParse with location "line:column" (1-based, relative
// to `text`) for bad YAML and duplicate keys; kLimit past `limits`.
core::Result<core::Json> ParseYamlDocument(std::string_view text, const YamlLimits& limits = {});

// One document of a YAML stream: its text (a view into the stream, without the
// `---` line that opened it) and the 1-based line of the stream it starts on.
struct YamlDocumentText {
  std::string_view text;
  uint64_t line = 1;
};

// Splits a stream at its document markers (`---` and `...` lines at column 0).
// Documents holding only blanks and comments are dropped.
std::vector<YamlDocumentText> SplitYamlDocuments(std::string_view stream);

// Writes a Json tree as block-style YAML (strings quoted where YAML would read
// them as something else). Used to show a merged Sigma rule as one document.
std::string WriteYaml(const core::Json& json);

}  // namespace tessera::formats
