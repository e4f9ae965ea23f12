#include "stix/bundle.h"

#include <simdjson.h>

#include <functional>
#include <unordered_set>
#include <utility>

#include "core/uuid.h"
#include "stix/object_validator.h"
#include "stix/spec.h"
#include "stix/upgrade.h"

namespace tessera::stix {

MarkingRefs::MarkingRefs(std::vector<std::string> refs)
    : refs_(refs.empty() ? nullptr
                         : std::make_shared<const std::vector<std::string>>(std::move(refs))) {}

const std::vector<std::string>& MarkingRefs::list() const {
  static const std::vector<std::string> kNone;
  return refs_ ? *refs_ : kNone;
}

void MarkingRefs::push_back(std::string ref) {
  std::vector<std::string> refs = list();
  refs.push_back(std::move(ref));
  refs_ = std::make_shared<const std::vector<std::string>>(std::move(refs));
}

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

bool HasKey(const object& obj, std::string_view key) {
  return obj.at_key(key).error() == simdjson::SUCCESS;
}

std::string_view StringOr(const object& obj, std::string_view key, std::string_view fallback = {}) {
  std::string_view s;
  if (obj.at_key(key).get_string().get(s) != simdjson::SUCCESS) return fallback;
  return s;
}

// A document is STIX 2.0 when its bundle says so, or when it carries SDOs and
// not one object states a spec_version (2.1 requires it on SDOs and SROs).
bool LooksLikeStix20(const element& root) {
  object obj;
  if (root.get_object().get(obj) == simdjson::SUCCESS) {
    if (StringOr(obj, "type") == "bundle") {
      std::string_view version = StringOr(obj, "spec_version");
      if (!version.empty()) return version == "2.0";
      array objects;
      if (obj.at_key("objects").get_array().get(objects) != simdjson::SUCCESS) return false;
      bool any_sdo = false;
      for (element e : objects) {
        object o;
        if (e.get_object().get(o) != simdjson::SUCCESS) continue;
        if (HasKey(o, "spec_version")) return false;
        any_sdo = any_sdo || HasKey(o, "created");
      }
      return any_sdo;
    }
    return !HasKey(obj, "spec_version") && HasKey(obj, "created");
  }
  array list;
  if (root.get_array().get(list) != simdjson::SUCCESS) return false;
  bool any_sdo = false;
  for (element e : list) {
    object o;
    if (e.get_object().get(o) != simdjson::SUCCESS) continue;
    if (HasKey(o, "spec_version")) return false;
    any_sdo = any_sdo || HasKey(o, "created");
  }
  return any_sdo;
}

class DocumentReader {
 public:
  DocumentReader(const ReadOptions& options, StixDocument* doc) : options_(options), doc_(doc) {}

  void ReadObject(const element& e, int64_t index, const std::string& path) {
    ++doc_->object_count;
    if (options_.validate) {
      detail::ValidateObject(e, index, path, options_.validation, &doc_->problems);
    }
    object obj;
    if (e.get_object().get(obj) != simdjson::SUCCESS) {
      if (!options_.validate) AddProblem(index, path, "a STIX object must be a JSON object");
      return;
    }
    std::string_view id = StringOr(obj, "id");
    std::string_view modified = StringOr(obj, "modified");
    if (!id.empty() && !seen_.emplace(id, modified).second) {
      // The same version twice in one document is almost always a producer bug.
      doc_->problems.push_back(Problem{Severity::kWarning, index, std::string(id), path,
                                       "the same object version appears twice in this document"});
    }
    if (!options_.keep_objects) return;
    StixObject out;
    out.type = StringOr(obj, "type");
    out.id = id;
    out.spec_version = StringOr(obj, "spec_version");
    out.created = StringOr(obj, "created");
    out.modified = modified;
    array markings;
    if (obj.at_key("object_marking_refs").get_array().get(markings) == simdjson::SUCCESS) {
      std::vector<std::string> refs;
      for (element m : markings) {
        std::string_view ref;
        if (m.get_string().get(ref) == simdjson::SUCCESS) refs.emplace_back(ref);
      }
      // Objects in a row mostly carry the same markings: they share one list.
      if (refs != last_markings_.list()) last_markings_ = MarkingRefs(std::move(refs));
      out.object_marking_refs = last_markings_;
    }
    // simdjson::minify(e) with a builder reused across objects (no regrowth).
    minifier_.clear();
    minifier_.append(e);
    out.json = minifier_.str();
    doc_->objects.push_back(std::move(out));
  }

  void AddProblem(int64_t index, std::string path, std::string message,
                  Severity severity = Severity::kError) {
    doc_->problems.push_back(Problem{severity, index, {}, std::move(path), std::move(message)});
  }

 private:
  // (id, modified) pairs seen so far. The views point into the parser's document,
  // which outlives this reader (ReadParsed runs before the parser is reused).
  struct ViewPairHash {
    size_t operator()(const std::pair<std::string_view, std::string_view>& p) const {
      size_t h = std::hash<std::string_view>()(p.first);
      return h ^ (std::hash<std::string_view>()(p.second) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2));
    }
  };

  const ReadOptions& options_;
  StixDocument* doc_;
  std::unordered_set<std::pair<std::string_view, std::string_view>, ViewPairHash> seen_;
  simdjson::internal::string_builder<> minifier_;
  MarkingRefs last_markings_;  // the last object's, shared while they repeat
};

core::Result<StixDocument> ReadParsed(const element& root, const ReadOptions& options) {
  StixDocument doc;
  DocumentReader reader(options, &doc);
  object obj;
  array list;
  if (root.get_object().get(obj) == simdjson::SUCCESS) {
    if (!HasKey(obj, "type")) {
      return core::MakeError(core::ErrorCode::kValidation,
                             "not a STIX document: the top-level object has no 'type'");
    }
    if (StringOr(obj, "type") != "bundle") {
      doc.shape = StixDocument::Shape::kObject;
      reader.ReadObject(root, 0, "");
      return doc;
    }
    doc.shape = StixDocument::Shape::kBundle;
    std::string_view id = StringOr(obj, "id");
    doc.bundle_id = id;
    // §8: a bundle has type, id and objects; it is not versioned.
    if (id.empty()) {
      reader.AddProblem(-1, "/id", "a bundle needs a string id");
    } else if (id.rfind("bundle--", 0) != 0 || !core::ParseUuid(id.substr(8)).ok()) {
      reader.AddProblem(-1, "/id", "'" + std::string(id) + "' is not bundle--<UUID> (§8)");
    }
    for (auto field : obj) {
      std::string_view key = field.key;
      if (key == "type" || key == "id" || key == "objects") continue;
      if (key == "spec_version") {
        reader.AddProblem(-1, "/spec_version",
                          "a STIX 2.1 bundle has no spec_version (it was a 2.0 property)");
      } else {
        reader.AddProblem(-1, "/" + std::string(key),
                          "property '" + std::string(key) + "' is not defined for bundles (§8)",
                          Severity::kWarning);
      }
    }
    element objects;
    if (obj.at_key("objects").get(objects) != simdjson::SUCCESS) return doc;
    if (objects.get_array().get(list) != simdjson::SUCCESS) {
      reader.AddProblem(-1, "/objects", "objects must be a list");
      return doc;
    }
    if (list.size() == 0) reader.AddProblem(-1, "/objects", "objects must not be empty (§8)");
    int64_t index = 0;
    for (element e : list) {
      reader.ReadObject(e, index, "/objects/" + std::to_string(index));
      ++index;
    }
    return doc;
  }
  if (root.get_array().get(list) == simdjson::SUCCESS) {
    doc.shape = StixDocument::Shape::kArray;
    int64_t index = 0;
    for (element e : list) {
      reader.ReadObject(e, index, "/" + std::to_string(index));
      ++index;
    }
    return doc;
  }
  return core::MakeError(core::ErrorCode::kValidation,
                         "not a STIX document: expected a bundle, an object or a list of objects");
}

core::Result<StixDocument> ReadStixImpl(std::string_view text, bool padded,
                                        const ReadOptions& options);

}  // namespace

size_t StixDocument::CountProblems(Severity s) const {
  size_t n = 0;
  for (const Problem& p : problems) n += p.severity == s ? 1 : 0;
  return n;
}

static_assert(kReadPadding >= simdjson::SIMDJSON_PADDING);

core::Result<StixDocument> ReadStix(std::string_view text, const ReadOptions& options) {
  return ReadStixImpl(text, /*padded=*/false, options);
}

core::Result<StixDocument> ReadStixBuffer(const std::string& text, const ReadOptions& options) {
  return ReadStixImpl(text, text.capacity() - text.size() >= kReadPadding, options);
}

namespace {

// `padded`: the kReadPadding bytes after the text may be read, so simdjson
// parses in place instead of copying the document first.
core::Result<StixDocument> ReadStixImpl(std::string_view text, bool padded,
                                        const ReadOptions& options) {
  // One parser per thread, reused: it keeps its buffers between documents.
  thread_local simdjson::dom::parser parser;
  if (parser.max_depth() != options.max_depth) {
    parser = simdjson::dom::parser();
    if (parser.allocate(std::max<size_t>(text.size(), 64), options.max_depth) != simdjson::SUCCESS) {
      return core::MakeError(core::ErrorCode::kLimit, "cannot allocate a parser for this document");
    }
  }
  element root;
  simdjson::error_code err =
      parser.parse(text.data(), text.size(), /*realloc_if_needed=*/!padded).get(root);
  if (err != simdjson::SUCCESS) {
    return core::MakeError(core::ErrorCode::kParse,
                           std::string("not valid JSON: ") + simdjson::error_message(err));
  }
  if (!LooksLikeStix20(root)) return ReadParsed(root, options);

  if (!options.upgrade_20) {
    StixDocument doc;
    doc.source_version = "2.0";
    doc.problems.push_back(Problem{Severity::kError, -1, {}, "",
                                   "this is STIX 2.0; run `tessera stix upgrade` to convert it"});
    return doc;
  }
  auto tree = core::ParseJson(text, core::JsonParseLimits{.max_depth = options.max_depth});
  if (!tree.ok()) return tree.error();
  std::vector<Problem> notes;
  auto upgraded = UpgradeToV21(&*tree, &notes);
  if (!upgraded.ok()) return upgraded.error();
  ReadOptions inner = options;
  inner.upgrade_20 = false;
  auto doc = ReadStix(core::WriteJson(*tree), inner);
  if (!doc.ok()) return doc;
  doc->source_version = "2.0";
  notes.insert(notes.end(), std::make_move_iterator(doc->problems.begin()),
               std::make_move_iterator(doc->problems.end()));
  doc->problems = std::move(notes);
  return doc;
}

}  // namespace

std::string WriteBundle(const StixDocument& doc, core::JsonStyle style) {
  std::string bundle_id = doc.bundle_id;
  if (bundle_id.empty()) bundle_id = "bundle--" + core::UuidV4().ToString();
  std::string out;
  if (style == core::JsonStyle::kCompact) {
    out += "{\"type\":\"bundle\",\"id\":";
    core::AppendJsonString(&out, bundle_id);
    out += ",\"objects\":[";
    for (size_t i = 0; i < doc.objects.size(); ++i) {
      if (i > 0) out += ',';
      out += doc.objects[i].json;
    }
    out += "]}";
    return out;
  }
  core::JsonWriter w(&out, style);
  w.BeginObject().Key("type").String("bundle").Key("id").String(bundle_id).Key("objects");
  w.BeginArray();
  for (const StixObject& o : doc.objects) {
    auto tree = core::ParseJson(o.json);
    if (tree.ok()) w.Value(*tree);
  }
  w.EndArray().EndObject();
  out += '\n';
  return out;
}

}  // namespace tessera::stix
