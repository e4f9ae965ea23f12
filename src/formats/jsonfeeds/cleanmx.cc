// CleanMX XML feeds (xmlphishing, xmlviruses): each <entry> becomes a JSON
// object of its child elements' texts and is mapped by a FeedSpec like the
// JSON feeds, so one mapping path serves both.
#include "formats/jsonfeeds/cleanmx.h"

#include <pugixml.hpp>

#include <algorithm>
#include <sstream>
#include <string>

#include "core/hash.h"
#include "formats/jsonfeeds/feed_spec.h"

namespace tessera::formats::jsonfeeds {

using core::Json;
using normalize::Kind;

namespace {

// Entries with a virus name are malware URLs, the others phishing.
void CleanMxHook(const Json& entry, FeedEvent* event, std::vector<std::string>*) {
  if (entry.Find("virusname") != nullptr) event->classification = "malware-distribution";
}

const FeedSpec& CleanMxSpec() {
  static const FeedSpec kSpec = [] {
    FeedSpec s;
    s.name = "cleanmx";
    s.description = "CleanMX XML phishing and virus URL feeds";
    s.classification = "phishing";
    s.rules = {
        FieldRule{"url", Target::kObservable, ValueKind::kFixed, Kind::kUrl, Side::kSource,
                  kIndicate | kRequired},
        FieldRule{"domain", Target::kObservable, ValueKind::kFixed, Kind::kDomain, Side::kSource, 0},
        FieldRule{"ip", Target::kObservable, ValueKind::kIp, Kind::kIpv4, Side::kSource, 0},
        FieldRule{"md5", Target::kObservable, ValueKind::kFixed, Kind::kMd5, Side::kSource,
                  kIndicate},
        FieldRule{"id", Target::kId, ValueKind::kFixed, Kind::kDomain, Side::kSource, 0},
        FieldRule{"first", Target::kFirstSeen, ValueKind::kFixed, Kind::kDomain, Side::kSource, 0},
        FieldRule{"virusname", Target::kMalware, ValueKind::kFixed, Kind::kDomain, Side::kSource,
                  0},
    };
    s.hook = CleanMxHook;
    return s;
  }();
  return kSpec;
}

uint64_t LineAt(std::string_view text, size_t offset, size_t* scanned, uint64_t* line) {
  for (; *scanned < offset && *scanned < text.size(); ++*scanned) {
    if (text[*scanned] == '\n') ++*line;
  }
  return *line;
}

}  // namespace

Detection DetectCleanMx(std::string_view head) {
  if (head.find("<output") != std::string_view::npos &&
      head.find("<entries") != std::string_view::npos &&
      (head.find("<phishtank") != std::string_view::npos ||
       head.find("<virusname") != std::string_view::npos)) {
    return {85, "CleanMX XML: <output>, <entries> and <phishtank> or <virusname> elements"};
  }
  return {};
}

core::Status ReadCleanMx(Input& input, const ReadContext& context, Sink& sink) {
  auto text = input.ReadAll();
  if (!text.ok()) return text.error();
  pugi::xml_document doc;
  pugi::xml_parse_result parsed =
      doc.load_buffer(text->data(), text->size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    return core::MakeError(core::ErrorCode::kParse,
                           std::string("not XML: ") + parsed.description() + " at byte " +
                               std::to_string(parsed.offset),
                           input.name());
  }
  pugi::xml_node output = doc.child("output");
  pugi::xml_node entries = output.child("entries");
  if (!output || !entries) {
    return core::MakeError(core::ErrorCode::kParse,
                           "not a CleanMX feed: no <output><entries> element", input.name());
  }
  ReadState state("cleanmx", context, input.name());
  std::string_view all(*text);
  size_t scanned = 0;
  uint64_t line = 1;
  for (pugi::xml_node entry : entries.children("entry")) {
    auto offset = static_cast<size_t>(std::max<ptrdiff_t>(entry.offset_debug(), 0));
    uint64_t at_line = LineAt(all, offset, &scanned, &line);
    std::ostringstream raw;
    entry.print(raw, "\t", pugi::format_raw);
    Json object = Json::MakeObject();
    for (pugi::xml_node child : entry.children()) {
      if (child.type() != pugi::node_element) continue;
      std::string value = child.child_value();
      if (value.empty()) value = child.text().get();
      if (value.empty() || object.Find(child.name()) != nullptr) continue;
      object.Set(child.name(), Json::String(value));
    }
    FeedEvent event;
    std::string reason;
    if (!MapEntry(CleanMxSpec(), object, "", &event, &reason)) {
      state.Reject(sink, offset, at_line, reason, raw.str());
      continue;
    }
    event.record_key = core::HexEncode(core::Sha256(core::CanonicalJson(object))).substr(0, 32);
    Record record = state.NewRecord(offset, at_line);
    if (!BuildEventRecord(event, state, &record, &reason)) {
      state.Reject(sink, record, reason, raw.str());
      continue;
    }
    sink.Accept(std::move(record));
  }
  return {};
}

}  // namespace tessera::formats::jsonfeeds
