// The delimited and line-based feed readers: the generic "csv" reader (column
// mapping from options or a TOML definition, delimiter sniffing, RFC 4180
// quoting, comments, headers) and one format per bundled feed definition
// ("urlhaus", "spamhaus-drop", "shadowserver-scan-smb", ...). Mapping tables and
// how to write a definition: docs/formats/feeds.md. The formats are built once
// (the bundled definitions are parsed on first use) and are read-only after.
#pragma once

#include <string_view>
#include <vector>

#include "core/result.h"
#include "formats/feeds/definition.h"
#include "formats/reader.h"

namespace tessera::formats {

std::vector<Format> FeedFormats();

namespace feeds {

// The bundled definitions, parsed (file-name order). A definition that does not
// parse is left out; BundledDefinitionErrors() says which and why (a test keeps
// the list empty).
const std::vector<FeedDefinition>& BundledDefinitions();
const std::vector<core::Error>& BundledDefinitionErrors();

// Reads `input` with a definition (options already applied). `format` names the
// records (static storage). `fast`: the direct JSON writer (default) or the
// core::Json reference path (tests compare them).
core::Status ReadWithDefinition(const FeedDefinition& definition, std::string_view format,
                                Input& input, const ReadContext& context, Sink& sink,
                                bool fast = true);

// Detection of a definition's feed from the first bytes: its comment banners
// and/or header names, and rows of the right shape.
Detection DetectDefinition(const FeedDefinition& definition, std::string_view head);

// Detection of generic delimited data (score 20).
Detection DetectDelimited(std::string_view head);

}  // namespace feeds
}  // namespace tessera::formats
