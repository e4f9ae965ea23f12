#include "formats/misp/feed.h"

#include <simdjson.h>

#include <charconv>
#include <filesystem>
#include <memory>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/uuid.h"
#include "formats/misp/event_mapper.h"
#include "formats/misp/http_client.h"

namespace tessera::formats::misp {
namespace {

// Where the files of a feed come from.
class FeedSource {
 public:
  virtual ~FeedSource() = default;
  // The file's bytes with kInputPadding spare capacity; kNotFound when absent.
  virtual core::Result<std::string> Fetch(const std::string& name) = 0;
  // The name positions use for a file of the feed.
  virtual std::string Name(const std::string& name) const = 0;
};

class FolderSource : public FeedSource {
 public:
  explicit FolderSource(std::string folder) : folder_(std::move(folder)) {}
  core::Result<std::string> Fetch(const std::string& name) override {
    auto input = Input::Open(Name(name));
    if (!input.ok()) return input.error();
    if (input->is_directory()) {
      return core::MakeError(core::ErrorCode::kIo, "a directory, not a file", Name(name));
    }
    return input->ReadAll();
  }
  std::string Name(const std::string& name) const override {
    return (std::filesystem::path(folder_) / name).string();
  }

 private:
  std::string folder_;
};

class HttpSource : public FeedSource {
 public:
  HttpSource(std::string root, int timeout) : root_(std::move(root)) {
    while (!root_.empty() && root_.back() == '/') root_.pop_back();
    options_.timeout_seconds = timeout;
    options_.max_bytes = kMaxDocumentBytes;
  }
  core::Result<std::string> Fetch(const std::string& name) override {
    auto body = HttpGet(Name(name), options_);
    if (!body.ok()) return body;
    body->reserve(body->size() + kInputPadding);
    return body;
  }
  std::string Name(const std::string& name) const override { return root_ + "/" + name; }

 private:
  std::string root_;
  HttpGetOptions options_;
};

// A manifest given as the input: no folder to read events from.
class NoSource : public FeedSource {
 public:
  core::Result<std::string> Fetch(const std::string& name) override {
    return core::MakeError(core::ErrorCode::kNotFound,
                           "the manifest was not read from a folder or URL, so there is no "
                           "feed to read the event file from",
                           name);
  }
  std::string Name(const std::string& name) const override { return name; }
};

Rejected MakeReject(std::string_view format, std::string file, uint64_t line, uint64_t record,
                    std::string reason, std::string_view raw) {
  Rejected r;
  r.format = format;
  r.position.file = std::move(file);
  r.position.line = line;
  r.position.record = record;
  r.reason = std::move(reason);
  r.SetRaw(raw);
  return r;
}

// hashes.csv: "md5,event-uuid" per line. Lines that are not, and events the
// manifest does not list, are rejected (the values themselves are in the events).
void CheckHashes(std::string_view format, FeedSource& source,
                 const std::unordered_set<std::string>& events, Sink& sink) {
  auto csv = source.Fetch("hashes.csv");
  if (!csv.ok()) {
    if (csv.error().code != core::ErrorCode::kNotFound) {
      sink.Reject(MakeReject(format, source.Name("hashes.csv"), 0, 0,
                             "cannot read hashes.csv: " + csv.error().message, {}));
    }
    return;
  }
  std::string_view text = *csv;
  std::unordered_set<std::string> reported;
  uint64_t line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    size_t comma = line.find(',');
    std::string_view hash = line.substr(0, comma);
    std::string_view uuid = comma == std::string_view::npos ? "" : line.substr(comma + 1);
    bool hex = hash.size() == 32;
    for (char c : hash) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    if (!hex || !core::ParseUuid(uuid).ok()) {
      sink.Reject(MakeReject(format, source.Name("hashes.csv"), line_number, line_number - 1,
                             "not 'md5,event-uuid'", line));
      continue;
    }
    std::string key(uuid);
    if (events.count(key) == 0 && reported.insert(key).second) {
      sink.Reject(MakeReject(format, source.Name("hashes.csv"), line_number, line_number - 1,
                             "hashes.csv lists event " + key + ", which manifest.json does not",
                             line));
    }
  }
}

core::Status ReadManifest(std::string_view format, const std::string& manifest_name,
                          const std::string& manifest, FeedSource& source,
                          const ReadContext& context, Sink& sink) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::error_code err = parser
                                 .parse(manifest.data(), manifest.size(),
                                        manifest.capacity() - manifest.size() < kInputPadding)
                                 .get(root);
  if (err != simdjson::SUCCESS) {
    return core::MakeError(
        core::ErrorCode::kParse,
        std::string("manifest is not valid JSON: ") + simdjson::error_message(err), manifest_name);
  }
  simdjson::dom::object entries;
  if (root.get_object().get(entries) != simdjson::SUCCESS) {
    return core::MakeError(core::ErrorCode::kUnsupported,
                           "not a MISP feed manifest (a JSON object of event uuids)",
                           manifest_name);
  }
  std::vector<std::string> uuids;
  std::unordered_set<std::string> listed;
  uint64_t index = 0;
  for (auto entry : entries) {
    auto uuid = core::ParseUuid(entry.key);
    if (!uuid.ok()) {
      sink.Reject(MakeReject(
          format, manifest_name, 0, index,
          "manifest key '" + std::string(entry.key.substr(0, 80)) + "' is not an event uuid",
          simdjson::minify(entry.value)));
    } else {
      // Event files are named by the uuid as the manifest writes it.
      uuids.emplace_back(entry.key);
      listed.insert(uuid->ToString());
      listed.insert(std::string(entry.key));
    }
    ++index;
  }
  EventMapper mapper(format, context);
  for (size_t i = 0; i < uuids.size(); ++i) {
    std::string name = uuids[i] + ".json";
    auto bytes = source.Fetch(name);
    if (!bytes.ok()) {
      sink.Reject(MakeReject(
          format, manifest_name, 0, i,
          "event " + uuids[i] + ": cannot read " + name + ": " + bytes.error().message, {}));
      continue;
    }
    if (bytes->capacity() < bytes->size() + kInputPadding)
      bytes->reserve(bytes->size() + kInputPadding);
    core::Status status = mapper.MapDocument(*bytes, source.Name(name), sink);
    if (!status.ok()) {
      sink.Reject(MakeReject(format, source.Name(name), 0, 0, status.error().message, *bytes));
    }
  }
  CheckHashes(format, source, listed, sink);
  return {};
}

}  // namespace

std::vector<std::pair<std::string, std::string>> FeedOptions() {
  return {{"url", "the feed's root URL (http:// or https://); the input is then not read"},
          {"timeout", "seconds to wait for each HTTP request (default 30)"}};
}

core::Status ReadFeed(std::string_view format, const Format& self, Input& input,
                      const ReadContext& context, Sink& sink) {
  TESSERA_RETURN_IF_ERROR(CheckOptions(context, self));
  int timeout = 30;
  if (const std::string* t = context.Option("timeout")) {
    auto [ptr, ec] = std::from_chars(t->data(), t->data() + t->size(), timeout);
    if (ec != std::errc() || ptr != t->data() + t->size() || timeout <= 0 || timeout > 3600) {
      return core::MakeError(
          core::ErrorCode::kInvalidArgument,
          "timeout must be a number of seconds from 1 to 3600, not '" + *t + "'");
    }
  }
  std::unique_ptr<FeedSource> source;
  std::string manifest;
  std::string manifest_name;
  const std::string* url = context.Option("url");
  std::string root = url != nullptr ? *url : input.path();
  if (IsHttpUrl(root)) {
    source = std::make_unique<HttpSource>(root, timeout);
  } else if (url != nullptr) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "url must start with http:// or https://, not '" + *url + "'");
  } else if (input.is_directory()) {
    source = std::make_unique<FolderSource>(input.path());
  }
  if (source != nullptr) {
    manifest_name = source->Name("manifest.json");
    auto bytes = source->Fetch("manifest.json");
    if (!bytes.ok()) {
      return core::MakeError(bytes.error().code,
                             "not a MISP feed: cannot read manifest.json: " + bytes.error().message,
                             manifest_name);
    }
    manifest = std::move(*bytes);
  } else {
    // The input is a manifest.json: its events are in the same folder.
    manifest_name = input.name();
    auto bytes = input.ReadAll();
    if (!bytes.ok()) return bytes.error();
    manifest = std::move(*bytes);
    if (!input.path().empty()) {
      std::filesystem::path folder = std::filesystem::path(input.path()).parent_path();
      source = std::make_unique<FolderSource>(folder.empty() ? "." : folder.string());
    } else {
      source = std::make_unique<NoSource>();
    }
  }
  return ReadManifest(format, manifest_name, manifest, *source, context, sink);
}

Detection DetectManifest(std::string_view head) {
  size_t i = 0;
  if (head.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
  auto skip = [&] {
    while (i < head.size() &&
           (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')) {
      ++i;
    }
  };
  skip();
  if (i >= head.size() || head[i] != '{') return {};
  ++i;
  skip();
  if (i + 38 > head.size() || head[i] != '"' || head[i + 37] != '"') return {};
  if (!core::ParseUuid(head.substr(i + 1, 36)).ok()) return {};
  i += 38;
  skip();
  if (i >= head.size() || head[i] != ':') return {};
  ++i;
  skip();
  if (i >= head.size() || head[i] != '{') return {};
  int markers = 0;
  for (std::string_view key : {"\"info\"", "\"Orgc\"", "\"timestamp\"", "\"threat_level_id\"",
                               "\"analysis\"", "\"date\""}) {
    if (head.find(key) != std::string_view::npos) ++markers;
  }
  if (markers < 2) return {};
  return {85, "a MISP feed manifest.json (event uuids to info, Orgc, timestamp)"};
}

Detection DetectFeedDirectory(const std::string& path) {
  std::string head;
  if (IsHttpUrl(path)) {
    std::string root = path;
    while (!root.empty() && root.back() == '/') root.pop_back();
    HttpGetOptions options;
    options.timeout_seconds = 10;
    options.max_bytes = kDetectBytes * 1024;
    auto body = HttpGet(root + "/manifest.json", options);
    if (!body.ok()) return {};
    head = body->substr(0, kDetectBytes);
    Detection d = DetectManifest(head);
    if (d.score == 0) return {};
    return {95, "an http(s) URL serving a MISP feed manifest.json"};
  }
  std::filesystem::path manifest = std::filesystem::path(path) / "manifest.json";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(manifest, ec)) return {};
  auto input = Input::Open(manifest.string());
  if (!input.ok()) return {};
  head = std::string(input->Peek(kDetectBytes));
  if (DetectManifest(head).score > 0) {
    return {100, "a folder with a MISP feed manifest.json"};
  }
  return {40, "a folder with a manifest.json that does not look like a MISP feed's"};
}

}  // namespace tessera::formats::misp
