#include "formats/registry.h"

#include <algorithm>
#include <utility>

#include "formats/iodef/iodef.h"
#include "formats/feeds/feeds.h"
#include "formats/jsonfeeds/jsonfeeds.h"
#include "formats/misp/misp.h"
#include "formats/openioc/openioc.h"
#include "formats/xarf/xarf.h"
#include "formats/rules/rules.h"
#include "formats/stix1/stix1.h"
#include "formats/stix2/stix2.h"
#include "formats/text/text.h"

namespace tessera::formats {
namespace {

std::vector<Format> BuildRegistry() {
  std::vector<Format> all;
  auto add = [&all](std::vector<Format> formats) {
    for (Format& f : formats) all.push_back(std::move(f));
  };
  // Specific structured formats first, generic ones (csv, lines, text) last.
  add(Stix2Formats());
  add(MispFormats());
  add(Stix1Formats());
  add(OpenIocFormats());
  add(IodefFormats());
  add(XarfFormats());
  add(JsonFeedFormats());
  add(RuleFormats());
  add(FeedFormats());
  add(TextFormats());
  return all;
}

}  // namespace

const std::vector<Format>& AllFormats() {
  static const std::vector<Format> kFormats = BuildRegistry();
  return kFormats;
}

const Format* FindFormat(std::string_view name) {
  for (const Format& f : AllFormats()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::vector<Candidate> RankFormats(Input& input) {
  std::vector<Candidate> out;
  // A directory or URL input has no bytes: layouts are detected from its path.
  bool layout = input.is_directory() || input.is_url();
  std::string_view head = layout ? std::string_view() : input.Peek(kDetectBytes);
  for (const Format& f : AllFormats()) {
    Detection d;
    if (layout) {
      if (f.detect_directory) d = f.detect_directory(input.path());
    } else if (f.detect) {
      d = f.detect(head);
    }
    if (d.score > 0) out.push_back({&f, std::move(d)});
  }
  std::stable_sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
    return a.detection.score > b.detection.score;
  });
  return out;
}

core::Result<Candidate> DetectFormat(Input& input) {
  std::vector<Candidate> ranked = RankFormats(input);
  if (!ranked.empty()) return ranked.front();
  if (input.is_directory() || input.is_url()) {
    return core::MakeError(core::ErrorCode::kUnsupported,
                           std::string(input.is_url() ? "a URL" : "a directory") +
                               ", but not a layout any reader knows (a MISP feed has "
                               "manifest.json)",
                           input.name());
  }
  std::string_view head = input.Peek(kDetectBytes);
  return core::MakeError(core::ErrorCode::kUnsupported,
                         head.empty() ? "empty input" : "no reader recognizes this content",
                         input.name());
}

}  // namespace tessera::formats
