#include "formats/misp/misp.h"

#include <string>
#include <string_view>
#include <utility>

#include "formats/json_stream.h"
#include "formats/misp/event_mapper.h"
#include "formats/misp/feed.h"

namespace tessera::formats {
namespace {

constexpr std::string_view kMisp = "misp";
constexpr std::string_view kMispFeed = "misp-feed";

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// How the document starts.
struct Layout {
  enum class Kind { kEmpty, kArray, kResponse, kObject, kOther };
  Kind kind = Kind::kEmpty;
  size_t array_offset = 0;     // the '[' of the events array (kArray, kResponse)
  std::string_view first_key;  // kObject, kResponse: the first member's name
  size_t after_first_key = 0;  // offset just past the first key's ':' and spaces
};

size_t SkipSpace(std::string_view head, size_t i) {
  while (i < head.size() && IsSpace(head[i])) ++i;
  return i;
}

Layout Sniff(std::string_view head) {
  Layout layout;
  size_t i = head.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  i = SkipSpace(head, i);
  if (i >= head.size()) return layout;
  if (head[i] == '[') {
    layout.kind = Layout::Kind::kArray;
    layout.array_offset = i;
    return layout;
  }
  if (head[i] != '{') {
    layout.kind = Layout::Kind::kOther;
    return layout;
  }
  layout.kind = Layout::Kind::kObject;
  i = SkipSpace(head, i + 1);
  if (i >= head.size() || head[i] != '"') return layout;
  size_t key_start = i + 1;
  size_t key_end = head.find('"', key_start);
  if (key_end == std::string_view::npos) return layout;
  layout.first_key = head.substr(key_start, key_end - key_start);
  i = SkipSpace(head, key_end + 1);
  if (i >= head.size() || head[i] != ':') return layout;
  i = SkipSpace(head, i + 1);
  layout.after_first_key = i;
  if (layout.first_key == "response" && i < head.size() && head[i] == '[') {
    layout.kind = Layout::Kind::kResponse;
    layout.array_offset = i;
  }
  return layout;
}

bool Contains(std::string_view head, std::string_view key) {
  return head.find(key) != std::string_view::npos;
}

// Keys only MISP events and attributes have.
int MispMarkers(std::string_view head) {
  int n = 0;
  for (std::string_view key :
       {"\"to_ids\"", "\"object_relation\"", "\"threat_level_id\"", "\"Orgc\"", "\"analysis\"",
        "\"category\"", "\"meta-category\"", "\"template_uuid\"", "\"distribution\"",
        "\"sharing_group_id\"", "\"event_id\"", "\"info\""}) {
    if (Contains(head, key)) ++n;
  }
  return n;
}

Detection DetectMisp(std::string_view head) {
  Layout layout = Sniff(head);
  bool event_key = Contains(head, "\"Event\"");
  int markers = MispMarkers(head);
  bool content = Contains(head, "\"Attribute\"") || Contains(head, "\"Object\"");
  switch (layout.kind) {
    case Layout::Kind::kResponse:
      if (event_key) return {95, "a MISP events list ({\"response\": [{\"Event\": ...}]})"};
      return {};
    case Layout::Kind::kObject:
      if (layout.first_key == "Event" && (markers >= 1 || content)) {
        return {95, "a MISP event ({\"Event\": {...}})"};
      }
      if (layout.first_key == "response" && event_key && markers >= 1) {
        return {90, "a MISP API response holding one event ({\"response\": {\"Event\": ...}})"};
      }
      if (content && markers >= 2 && !Contains(head, "\"spec_version\"")) {
        return {75, "a MISP event without the Event wrapper (Attribute/Object with MISP fields)"};
      }
      return {};
    case Layout::Kind::kArray: {
      size_t i = SkipSpace(head, layout.array_offset + 1);
      if (i >= head.size() || head[i] != '{') return {};
      std::string_view first = Sniff(head.substr(i)).first_key;
      if (first == "Event" && markers >= 1) return {90, "a JSON array of MISP events"};
      if (content && markers >= 2 && !Contains(head, "\"spec_version\"")) {
        return {70, "a JSON array of bare MISP events"};
      }
      return {};
    }
    default:
      return {};
  }
}

core::Status ReadMisp(const Format& self, Input& input, const ReadContext& context, Sink& sink) {
  TESSERA_RETURN_IF_ERROR(CheckOptions(context, self));
  if (input.is_directory()) {
    return core::MakeError(core::ErrorCode::kUnsupported,
                           "a directory; a MISP feed folder is read with --from misp-feed",
                           input.name());
  }
  misp::EventMapper mapper(kMisp, context);
  Layout layout = Sniff(input.Peek(kDetectBytes));
  if (layout.kind == Layout::Kind::kEmpty) {
    return core::MakeError(core::ErrorCode::kParse, "empty input", input.name());
  }
  if (layout.kind != Layout::Kind::kArray && layout.kind != Layout::Kind::kResponse) {
    // One event (or a document whose events list is not its first member): the
    // whole document, within kMaxDocumentBytes.
    auto bytes = input.ReadAll();
    if (!bytes.ok()) return bytes.error();
    return mapper.MapDocument(*bytes, input.name(), sink);
  }
  // An events list: split it with the byte scanner, one event at a time.
  JsonStreamShape shape;
  if (layout.kind == Layout::Kind::kResponse) {
    shape.array_members = {"response"};
    shape.leading_members = std::vector<std::string_view>{};  // the list is the first member
  }
  const std::string& file = input.name();
  std::string event;  // the event's bytes with simdjson's padding after them
  JsonStreamSplitter::Callbacks callbacks;
  callbacks.element = [&](const JsonElement& element) {
    SourcePosition position;
    position.file = file;
    position.byte_offset = element.offset;
    position.record = element.index;
    auto reject = [&](std::string reason) {
      Rejected r;
      r.format = kMisp;
      r.position = position;
      r.reason = std::move(reason);
      r.SetRaw(element.bytes);
      sink.Reject(std::move(r));
    };
    if (element.too_big) {
      reject("event larger than " + std::to_string(kMaxDocumentBytes >> 20) +
             " MiB, the limit for one event");
    } else if (!element.complete) {
      reject("the input ends inside this event");
    } else if (element.bytes.empty() || element.bytes[0] != '{') {
      reject("an element of the events list that is not a JSON object");
    } else if (element.readable_after >= misp::kEventPadding) {
      mapper.MapEvent(element.bytes, position, sink);  // parsed where it lies
    } else {
      event.reserve(element.bytes.size() + misp::kEventPadding);
      event.assign(element.bytes);
      mapper.MapEvent(event, position, sink);
    }
  };
  JsonStreamSplitter splitter(std::move(shape), kMaxDocumentBytes, std::move(callbacks));
  std::string_view chunk;
  core::Status status;
  // Blocks, not lines: an events list is often one single line.
  while (status.ok() && input.NextBlock(&chunk)) status = splitter.Feed(chunk);
  if (input.failed()) return core::MakeError(core::ErrorCode::kIo, "read error", input.name());
  if (status.ok()) status = splitter.Finish();
  if (!status.ok()) {
    core::Error e = status.error();
    e.location = input.name() + "@" + e.location;
    return e;
  }
  return {};
}

}  // namespace

std::vector<Format> MispFormats() {
  std::vector<Format> formats;

  Format misp;
  misp.name = std::string(kMisp);
  misp.description =
      "MISP events: one event, an events list {\"response\": [...]} or an array of events";
  misp.detect = DetectMisp;
  formats.push_back(std::move(misp));

  Format feed;
  feed.name = std::string(kMispFeed);
  feed.description =
      "MISP feed: a folder or http(s) URL with manifest.json, <event-uuid>.json, hashes.csv";
  feed.detect = misp::DetectManifest;
  feed.detect_directory = misp::DetectFeedDirectory;
  feed.options = misp::FeedOptions();
  formats.push_back(std::move(feed));

  // The read functions look themselves up by name for CheckOptions (a Format is
  // copied into the registry, so they cannot capture it).
  formats[0].read = [](Input& input, const ReadContext& context, Sink& sink) {
    Format self;
    self.name = std::string(kMisp);
    return ReadMisp(self, input, context, sink);
  };
  formats[1].read = [](Input& input, const ReadContext& context, Sink& sink) {
    Format self;
    self.name = std::string(kMispFeed);
    self.options = misp::FeedOptions();
    return misp::ReadFeed(kMispFeed, self, input, context, sink);
  };
  return formats;
}

}  // namespace tessera::formats
