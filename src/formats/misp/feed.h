// The MISP feed layout: a folder (or a URL) with manifest.json (event uuid ->
// Orgc, Tag, info, date, ...), one <event-uuid>.json per event and hashes.csv
// (md5 of each value, event uuid). Read: every event the manifest lists, each its
// own file; events missing or unreadable and hashes.csv lines naming events the
// manifest lacks are rejected. Stateless functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "formats/input.h"
#include "formats/reader.h"

namespace tessera::formats::misp {

// Options of the misp-feed reader: {key, help}.
std::vector<std::pair<std::string, std::string>> FeedOptions();

// Reads a feed: the folder `input` names, the URL in the "url" option or in the
// input's path, or a manifest.json given as the input itself (its events are
// read from the folder the manifest is in). Errors only when the manifest cannot
// be read or is not a manifest.
core::Status ReadFeed(std::string_view format, const Format& self, Input& input,
                      const ReadContext& context, Sink& sink);

// Detection of a manifest.json by its content.
Detection DetectManifest(std::string_view head);
// Detection of a feed folder (manifest.json inside) or feed URL (its manifest fetched).
Detection DetectFeedDirectory(const std::string& path);

}  // namespace tessera::formats::misp
