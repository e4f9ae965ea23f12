#include "formats/stix2/stix2.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "formats/json_stream.h"
#include "stix/bundle.h"

namespace tessera::formats {
namespace {

constexpr std::string_view kStix = "stix";
constexpr std::string_view kStixJsonl = "stix-jsonl";
// Objects are validated in batches of about this many bytes (one parse each).
constexpr size_t kBatchBytes = size_t{4} << 20;

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' ||
                        s.front() == '\n')) {
    s.remove_prefix(1);
  }
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);  // UTF-8 byte order mark
  return s;
}

bool Contains(std::string_view s, std::string_view what) {
  return s.find(what) != std::string_view::npos;
}

// The first `"type"` member's string value in `text` (a cheap look, no parse).
std::string_view FirstType(std::string_view text) {
  size_t at = text.find("\"type\"");
  if (at == std::string_view::npos) return {};
  at = text.find_first_not_of(" \t\r\n", at + 6);
  if (at == std::string_view::npos || text[at] != ':') return {};
  at = text.find_first_not_of(" \t\r\n", at + 1);
  if (at == std::string_view::npos || text[at] != '"') return {};
  size_t end = text.find('"', at + 1);
  if (end == std::string_view::npos) return {};
  return text.substr(at + 1, end - at - 1);
}

// A STIX id: "<type>--" followed by a UUID's first group.
bool HasStixId(std::string_view text) {
  size_t at = text.find("\"id\"");
  if (at == std::string_view::npos) return false;
  size_t dashes = text.find("--", at);
  return dashes != std::string_view::npos && dashes - at < 80;
}

Detection DetectStix(std::string_view head) {
  std::string_view s = TrimLeft(head);
  if (s.empty() || (s[0] != '{' && s[0] != '[')) return {};
  std::string_view type = FirstType(s);
  if (s[0] == '{' && type == "bundle" && Contains(s, "\"objects\"")) {
    return {100, "a JSON object with \"type\": \"bundle\" and \"objects\" (a STIX bundle)"};
  }
  // An object whose id is "<its type>--...", as every STIX object's is.
  if (!type.empty() && HasStixId(s) && Contains(s, "\"" + std::string(type) + "--")) {
    return {s[0] == '[' ? 80 : 85,
            s[0] == '[' ? "a JSON array of objects with a STIX type and a <type>--<uuid> id"
                        : "a JSON object with a STIX type and a <type>--<uuid> id"};
  }
  return {};
}

Detection DetectStixJsonl(std::string_view head) {
  std::string_view s = TrimLeft(head);
  size_t newline = s.find('\n');
  if (s.empty() || s[0] != '{' || newline == std::string_view::npos) return {};
  std::string_view first = s.substr(0, newline);
  std::string_view rest = TrimLeft(s.substr(newline + 1));
  // One complete object per line: the first line closes itself, the next opens one.
  size_t last = first.find_last_not_of(" \t\r");
  if (last == std::string_view::npos || first[last] != '}' || rest.empty() || rest[0] != '{') {
    return {};
  }
  if (FirstType(first).empty() || !HasStixId(first)) return {};
  return {95, "JSON lines, each an object with a STIX type and id"};
}

// Elements over this size end the read (kLimit).
constexpr size_t kMaxElementBytes = size_t{256} << 20;

// The error for an element the splitter handed out too big or cut short.
core::Status CutElementError(const JsonElement& e) {
  if (e.too_big) {
    return core::MakeError(
        core::ErrorCode::kLimit,
        "an element is larger than " + std::to_string(kMaxElementBytes >> 20) + " MiB",
        "byte " + std::to_string(e.offset));
  }
  return core::MakeError(core::ErrorCode::kParse, "the document ends early (truncated?)",
                         "byte " + std::to_string(e.offset + e.bytes.size()));
}

// Collects objects (element texts) into batches, validates each batch with one
// parse, and hands out records and rejects.
class ObjectBatcher {
 public:
  ObjectBatcher(std::string_view format, const std::string& file, Sink* sink)
      : format_(format), file_(file), sink_(sink) {}

  void set_stix20(bool v) { stix20_ = v; }

  void Add(std::string_view text, uint64_t offset, uint64_t line) {
    if (stix20_ || FirstType(text) == "bundle") {
      // 2.0 (upgrading may add objects) and nested bundles: one document each.
      Flush();
      ReadAlone(text, offset, line);
      return;
    }
    batch_ += batch_.empty() ? '[' : ',';
    batch_ += text;
    pending_.push_back(Pending{offset, line});
    if (batch_.size() >= kBatchBytes) Flush();
  }

  void Flush() {
    if (pending_.empty()) return;
    batch_ += ']';
    batch_.reserve(batch_.size() + stix::kReadPadding);
    auto doc = stix::ReadStixBuffer(batch_);
    if (!doc.ok() || doc->shape != stix::StixDocument::Shape::kArray ||
        doc->objects.size() != pending_.size()) {
      // Some element is not JSON (or 2.0 content slipped in): one at a time.
      std::string batch = std::move(batch_);
      std::vector<Pending> pending = std::move(pending_);
      batch_.clear();
      pending_.clear();
      SplitAgain(batch, pending);
      return;
    }
    Emit(*doc, pending_);
    batch_.clear();
    pending_.clear();
  }

  uint64_t records() const { return record_; }

 private:
  struct Pending {
    uint64_t offset;
    uint64_t line;
  };

  // Re-reads a batch element by element (the batch text is "[e1,e2,...]").
  void SplitAgain(const std::string& batch, const std::vector<Pending>& pending) {
    JsonStreamSplitter::Callbacks callbacks;
    callbacks.element = [&](const JsonElement& e) {
      if (e.index >= pending.size()) return;
      ReadAlone(e.bytes, pending[e.index].offset, pending[e.index].line);
    };
    JsonStreamSplitter splitter({}, batch.size(), std::move(callbacks));
    (void)splitter.Feed(batch);
  }

  void ReadAlone(std::string_view text, uint64_t offset, uint64_t line) {
    std::string copy(text);
    copy.reserve(copy.size() + stix::kReadPadding);
    auto doc = stix::ReadStixBuffer(copy);
    if (!doc.ok()) {
      Reject(offset, line, doc.error().message, text);
      return;
    }
    if (doc->shape == stix::StixDocument::Shape::kObject && doc->source_version == "2.0") {
      // An upgraded 2.0 object may have become several (observed-data and its SCOs).
      bool errors = doc->CountProblems(stix::Severity::kError) > 0;
      if (errors) {
        Reject(offset, line, ProblemText(doc->problems), text);
        return;
      }
      Record record = NewRecord(offset, line);
      record.objects = std::move(doc->objects);
      for (const stix::Problem& p : doc->problems) record.notes.push_back(p.message);
      sink_->Accept(std::move(record));
      return;
    }
    std::vector<Pending> one{Pending{offset, line}};
    if (doc->shape == stix::StixDocument::Shape::kObject) {
      Emit(*doc, one);
      return;
    }
    // A bundle (or array) on its own line: every object is a record at that line.
    std::vector<Pending> all(doc->objects.size(), Pending{offset, line});
    if (doc->objects.size() == doc->object_count) {
      Emit(*doc, all);
    } else {
      Reject(offset, line, ProblemText(doc->problems), text);
    }
  }

  // Hands out doc.objects[i] as records; objects with errors are rejected.
  void Emit(stix::StixDocument& doc, const std::vector<Pending>& pending) {
    std::vector<std::vector<const stix::Problem*>> problems(pending.size());
    for (const stix::Problem& p : doc.problems) {
      int64_t i = p.object_index;
      if (i >= 0 && static_cast<size_t>(i) < pending.size()) problems[i].push_back(&p);
    }
    for (size_t i = 0; i < pending.size() && i < doc.objects.size(); ++i) {
      std::string errors;
      for (const stix::Problem* p : problems[i]) {
        std::string text = Pointer(p->path) + p->message;
        if (p->severity == stix::Severity::kError) {
          errors += (errors.empty() ? "" : "; ") + text;
        }
      }
      stix::StixObject& object = doc.objects[i];
      if (!errors.empty()) {
        Reject(pending[i].offset, pending[i].line, errors, object.json);
        continue;
      }
      Record record = NewRecord(pending[i].offset, pending[i].line);
      for (const stix::Problem* p : problems[i]) {
        if (p->severity != stix::Severity::kError) record.notes.push_back(Pointer(p->path) + p->message);
      }
      record.objects.push_back(std::move(object));
      sink_->Accept(std::move(record));
    }
  }

  // "/3/created" (a pointer into the batch array) → "created: "; "" for the object itself.
  static std::string Pointer(const std::string& path) {
    size_t slash = path.find('/', 1);
    if (path.empty() || slash == std::string::npos) return "";
    return path.substr(slash + 1) + ": ";
  }

  static std::string ProblemText(const std::vector<stix::Problem>& problems) {
    std::string out;
    for (const stix::Problem& p : problems) {
      if (p.severity != stix::Severity::kError) continue;
      out += (out.empty() ? "" : "; ") + (p.path.empty() ? "" : p.path + ": ") + p.message;
    }
    return out.empty() ? "not a STIX object" : out;
  }

  Record NewRecord(uint64_t offset, uint64_t line) {
    Record record;
    record.format = format_;
    record.position.file = file_;
    record.position.line = line;
    record.position.byte_offset = offset;
    record.position.record = record_++;
    return record;
  }

  void Reject(uint64_t offset, uint64_t line, std::string reason, std::string_view raw) {
    Rejected rejected;
    rejected.format = format_;
    rejected.position.file = file_;
    rejected.position.line = line;
    rejected.position.byte_offset = offset;
    rejected.position.record = record_++;
    rejected.reason = std::move(reason);
    rejected.SetRaw(raw);
    sink_->Reject(std::move(rejected));
  }

  std::string_view format_;
  const std::string& file_;
  Sink* sink_;
  bool stix20_ = false;
  std::string batch_;
  std::vector<Pending> pending_;
  uint64_t record_ = 0;
};

core::Status ReadStixFormat(Input& input, const ReadContext& context, Sink& sink) {
  TESSERA_RETURN_IF_ERROR(CheckOptions(context, kStix, {}));
  std::string_view head = TrimLeft(input.Peek(kDetectBytes));
  if (head.empty()) return core::MakeError(core::ErrorCode::kParse, "empty input", input.name());
  ObjectBatcher batcher(kStix, input.name(), &sink);
  bool root_array = head[0] == '[';
  if (!root_array && head[0] != '{') {
    return core::MakeError(core::ErrorCode::kParse, "not JSON: a STIX document starts with { or [",
                           input.name());
  }
  // Until the root's "type" is known, a root object could be a single STIX object
  // rather than a bundle: its bytes are held so it can be read whole.
  enum class Root { kUnknown, kBundle, kObject } root = root_array ? Root::kBundle : Root::kUnknown;
  std::string held;
  std::string bundle_version;
  // An element the splitter could not hand out whole ends the read.
  core::Status element_error;
  JsonStreamSplitter::Callbacks callbacks;
  callbacks.element = [&](const JsonElement& e) {
    if (e.too_big || !e.complete) {
      if (element_error.ok()) element_error = CutElementError(e);
      return;
    }
    if (root == Root::kUnknown) {
      root = Root::kBundle;
      held.clear();
      held.shrink_to_fit();
    }
    batcher.Add(e.bytes, e.offset, e.line);
  };
  callbacks.member = [&](std::string_view key, std::string_view value) {
    if (key == "type") {
      root = value == "\"bundle\"" ? Root::kBundle : Root::kObject;
      if (root == Root::kBundle) {
        held.clear();
        held.shrink_to_fit();
      }
    } else if (key == "spec_version") {
      bundle_version = std::string(value);
      batcher.set_stix20(value == "\"2.0\"");
    }
  };
  JsonStreamShape shape;
  if (!root_array) shape.array_members = {"objects"};
  JsonStreamSplitter splitter(std::move(shape), kMaxElementBytes, std::move(callbacks));
  auto located = [&](const core::Status& status) {
    core::Error e = status.error();
    e.location = input.name() + "@" + e.location;
    return e;
  };
  std::string_view block;
  while (input.NextBlock(&block)) {
    if (root != Root::kBundle) {
      if (held.size() + block.size() > kMaxDocumentBytes) {
        return core::MakeError(core::ErrorCode::kLimit,
                               "a single STIX object larger than the document limit", input.name());
      }
      held.append(block);
    }
    core::Status fed = splitter.Feed(block);
    if (fed.ok()) fed = element_error;
    if (!fed.ok() && root != Root::kObject) {
      batcher.Flush();
      return located(fed);
    }
  }
  if (input.failed()) return core::MakeError(core::ErrorCode::kIo, "read error", input.name());
  if (root == Root::kBundle) {
    batcher.Flush();
    core::Status done = splitter.Finish();
    if (done.ok()) done = element_error;
    if (!done.ok()) return located(done);
    if (!splitter.found_array()) {
      return core::MakeError(core::ErrorCode::kParse, "no 'objects' array in the document",
                             input.name());
    }
    return {};
  }
  // A single object (or a document without "type"): read it whole.
  held.reserve(held.size() + stix::kReadPadding);
  auto doc = stix::ReadStixBuffer(held);
  if (!doc.ok()) {
    core::Error e = doc.error();
    e.location = input.name();
    return e;
  }
  batcher.Add(TrimLeft(held), 0, 1);
  batcher.Flush();
  return {};
}

core::Status ReadStixJsonl(Input& input, const ReadContext& context, Sink& sink) {
  TESSERA_RETURN_IF_ERROR(CheckOptions(context, kStixJsonl, {}));
  ObjectBatcher batcher(kStixJsonl, input.name(), &sink);
  std::string_view chunk;
  uint64_t line = 0;
  while (true) {
    uint64_t chunk_offset = input.offset();
    if (!input.Next(&chunk)) break;
    size_t pos = 0;
    while (pos < chunk.size()) {
      size_t end = chunk.find('\n', pos);
      if (end == std::string_view::npos) end = chunk.size();
      std::string_view text = chunk.substr(pos, end - pos);
      uint64_t offset = chunk_offset + pos;
      pos = end + 1;
      ++line;
      while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
      if (TrimLeft(text).empty()) continue;
      batcher.Add(text, offset, line);
    }
    // Lines of a chunk point into the input's buffer: validate before the next read.
    batcher.Flush();
  }
  if (input.failed()) return core::MakeError(core::ErrorCode::kIo, "read error", input.name());
  return {};
}

}  // namespace

std::vector<Format> Stix2Formats() {
  std::vector<Format> out;
  Format stix;
  stix.name = std::string(kStix);
  stix.description =
      "STIX 2.1 or 2.0 JSON: a bundle, one object, or an array of objects (2.0 is upgraded)";
  stix.detect = DetectStix;
  stix.read = ReadStixFormat;
  out.push_back(std::move(stix));

  Format jsonl;
  jsonl.name = std::string(kStixJsonl);
  jsonl.description = "JSON lines of STIX objects (or of bundles), one per line";
  jsonl.detect = DetectStixJsonl;
  jsonl.read = ReadStixJsonl;
  out.push_back(std::move(jsonl));
  return out;
}

}  // namespace tessera::formats
