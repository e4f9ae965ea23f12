// Reading STIX documents: a bundle, a single object, or a JSON array of objects,
// in STIX 2.1 or 2.0 (2.0 is upgraded to 2.1 on the way in, see upgrade.h). Each
// object comes out with the few fields every path needs plus its full JSON, so
// nothing a producer sent is lost. Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "core/result.h"
#include "stix/validate.h"

namespace tessera::stix {

// An object's object_marking_refs. The objects of a record mostly carry the
// same list, so copies share one immutable vector instead of copying its
// strings; push_back and clear change this object's list only.
class MarkingRefs {
 public:
  using value_type = std::string;
  using const_iterator = std::vector<std::string>::const_iterator;
  using iterator = const_iterator;

  MarkingRefs() = default;
  // A list is its ids: implicit, so that a vector can be assigned or compared.
  MarkingRefs(std::vector<std::string> refs);  // NOLINT(google-explicit-constructor)

  const std::vector<std::string>& list() const;
  const_iterator begin() const { return list().begin(); }
  const_iterator end() const { return list().end(); }
  size_t size() const { return refs_ ? refs_->size() : 0; }
  bool empty() const { return refs_ == nullptr; }  // never an empty vector
  void push_back(std::string ref);
  void clear() { refs_.reset(); }

  friend bool operator==(const MarkingRefs& a, const MarkingRefs& b) {
    return a.refs_ == b.refs_ || a.list() == b.list();
  }

 private:
  std::shared_ptr<const std::vector<std::string>> refs_;
};

struct StixObject {
  std::string type;
  std::string id;
  std::string spec_version;  // "2.1", or empty for an SCO that omits it
  std::string created;       // as written; empty when absent (SCOs)
  std::string modified;
  MarkingRefs object_marking_refs;
  std::string json;  // the whole object, compact, members in input order
};

struct StixDocument {
  enum class Shape { kBundle, kObject, kArray };
  Shape shape = Shape::kBundle;
  std::string bundle_id;            // for kBundle
  std::string source_version = "2.1";  // "2.0" when the input was upgraded
  size_t object_count = 0;         // objects read (also when keep_objects is false)
  std::vector<StixObject> objects;  // empty when keep_objects is false
  std::vector<Problem> problems;  // every problem, document order

  size_t CountProblems(Severity s) const;
  bool valid() const { return CountProblems(Severity::kError) == 0; }
};

struct ReadOptions {
  bool validate = true;       // false: only extract objects (problems hold structural errors only)
  bool keep_objects = true;   // false: do not materialize StixObject (validation only)
  bool upgrade_20 = true;     // upgrade STIX 2.0 input to 2.1; false reports it as an error
  size_t max_depth = 128;     // JSON nesting limit
  ValidationOptions validation;
};

// Reads one document. Returns an error only when the text is not JSON or not a
// STIX document at all; problems with objects are collected in `problems`.
core::Result<StixDocument> ReadStix(std::string_view text, const ReadOptions& options = {});

// The same, for text held in a std::string: when the string's capacity leaves
// kReadPadding bytes after its end (reserve() them), the text is parsed in place
// instead of being copied first, which halves memory for large documents.
inline constexpr size_t kReadPadding = 64;
core::Result<StixDocument> ReadStixBuffer(const std::string& text,
                                          const ReadOptions& options = {});

// Writes a 2.1 bundle of the document's objects (the bundle id is kept, or a new
// one is made), compact or pretty.
std::string WriteBundle(const StixDocument& doc, core::JsonStyle style = core::JsonStyle::kCompact);

}  // namespace tessera::stix
