#include "stix/upgrade.h"

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "core/time.h"
#include "core/uuid.h"
#include "stix/ids.h"
#include "stix/spec.h"

namespace tessera::stix {
namespace {

using core::Json;

// 2.0 properties that 2.1 renamed (STIX 2.1 §6 against 2.0 Part 4).
struct Rename {
  std::string_view type;
  std::string_view from;
  std::string_view to;
};
constexpr Rename kScoRenames[] = {
    {"file", "created", "ctime"},
    {"file", "modified", "mtime"},
    {"file", "accessed", "atime"},
    {"directory", "created", "ctime"},
    {"directory", "modified", "mtime"},
    {"directory", "accessed", "atime"},
    {"windows-registry-key", "modified", "modified_time"},
    {"process", "created", "created_time"},
    {"process", "binary_ref", "image_ref"},
    {"user-account", "password_last_changed", "credential_last_changed"},
};

// 2.0 required `labels` on these types; 2.1 moved that meaning to <type>_types.
struct LabelsRename {
  std::string_view type;
  std::string_view to;
};
constexpr LabelsRename kLabelsRenames[] = {
    {"indicator", "indicator_types"},     {"malware", "malware_types"},
    {"report", "report_types"},           {"threat-actor", "threat_actor_types"},
    {"tool", "tool_types"},
};

std::string_view TypeOf(const Json& obj) {
  const Json* type = obj.Find("type");
  return type != nullptr && type->is_string() ? std::string_view(type->as_string()) : "";
}

// Rebuilds an object with `key` placed right after the member named `after`.
void InsertAfter(Json* obj, std::string_view after, std::string key, Json value) {
  Json::Object& members = obj->as_object();
  auto it = members.begin();
  while (it != members.end() && it->first != after) ++it;
  if (it != members.end()) ++it;
  members.insert(it, Json::Member(std::move(key), std::move(value)));
}

bool IsRefName(std::string_view name) {
  return name.ends_with("_ref") || name.ends_with("_refs");
}

// Calls fn on a string value or on each string of a list.
template <typename F>
void ForEachString(Json* value, F&& fn) {
  if (value->is_string()) fn(&value->as_string());
  if (value->is_array()) {
    for (Json& item : value->as_array()) {
      if (item.is_string()) fn(&item.as_string());
    }
  }
}

// Visits every *_ref / *_refs string in an object tree (2.0 observable refs are
// the keys of the enclosing `objects` dictionary).
template <typename F>
void ForEachRef(Json* node, F&& fn) {
  if (node->is_object()) {
    for (auto& [key, value] : node->as_object()) {
      if (IsRefName(key)) {
        ForEachString(&value, fn);
      } else {
        ForEachRef(&value, fn);
      }
    }
  } else if (node->is_array()) {
    for (Json& item : node->as_array()) ForEachRef(&item, fn);
  }
}

class Upgrader {
 public:
  explicit Upgrader(std::vector<Problem>* notes) : notes_(notes) {}

  // Upgrades objects in place and appends the SCOs split out of observed-data.
  void UpgradeList(Json::Array* objects, const std::string& base_path) {
    size_t original = objects->size();
    std::vector<Json> extracted;
    for (size_t i = 0; i < original; ++i) {
      path_ = base_path + "/" + std::to_string(i);
      index_ = static_cast<int64_t>(i);
      UpgradeObject(&(*objects)[i], &extracted);
    }
    for (Json& sco : extracted) objects->push_back(std::move(sco));
    Summarize();
  }

 private:
  void Note(Severity severity, const Json& obj, std::string message) {
    const Json* id = obj.Find("id");
    notes_->push_back(Problem{severity, index_, id != nullptr && id->is_string() ? id->as_string() : "",
                              path_, std::move(message)});
  }

  void UpgradeObject(Json* obj, std::vector<Json>* extracted) {
    if (!obj->is_object()) return;
    std::string type(TypeOf(*obj));
    if (type.empty() || type == "bundle") return;
    if (obj->Find("spec_version") == nullptr) {
      InsertAfter(obj, "type", "spec_version", Json::String("2.1"));
      ++spec_version_added_;
    }
    for (std::string_view prop : {std::string_view("created"), std::string_view("modified")}) {
      Json* value = obj->Find(prop);
      if (value == nullptr || !value->is_string()) continue;
      auto ts = core::ParseStixTimestamp(value->as_string());
      // 2.1 §3.2 wants at least millisecond precision; the instant is unchanged.
      if (ts.ok() && ts->frac_digits < 3) {
        ts->frac_digits = 3;
        *value = Json::String(core::FormatTimestamp(*ts));
        ++timestamps_padded_;
      }
    }
    for (const LabelsRename& r : kLabelsRenames) {
      if (type != r.type) continue;
      Json* labels = obj->Find("labels");
      if (labels == nullptr || obj->Find(r.to) != nullptr) break;
      Json moved = *labels;
      obj->Erase("labels");
      obj->Set(r.to, std::move(moved));
      Note(Severity::kInfo, *obj, "labels renamed to " + std::string(r.to) + " (2.1 §4)");
    }
    if (type == "indicator" && obj->Find("pattern_type") == nullptr) {
      obj->Set("pattern_type", Json::String("stix"));
      Note(Severity::kInfo, *obj, "pattern_type \"stix\" added (required in 2.1, §4.7)");
    }
    if (type == "malware" && obj->Find("is_family") == nullptr) {
      obj->Set("is_family", Json::Bool(true));
      Note(Severity::kInfo, *obj,
           "is_family true added (required in 2.1; 2.0 malware described families, §4.11)");
    }
    if (type == "observed-data") SplitObservables(obj, extracted);
  }

  // 2.0 observed-data embeds its observables in `objects`, keyed "0", "1", ...
  // with references between them by key. 2.1 makes them top-level SCOs with
  // deterministic ids and refers to them through object_refs (§4.13).
  void SplitObservables(Json* observed, std::vector<Json>* extracted) {
    Json* objects = observed->Find("objects");
    if (objects == nullptr || !objects->is_object() || observed->Find("object_refs") != nullptr) {
      return;
    }
    std::map<std::string, Json> scos;
    for (auto& [key, sco] : objects->as_object()) {
      if (!sco.is_object()) continue;
      Json copy = sco;
      RenameScoProperties(&copy);
      scos.emplace(key, std::move(copy));
    }
    std::map<std::string, std::string> ids = AssignIds(scos);
    Json refs = Json::MakeArray();
    for (auto& [key, value] : objects->as_object()) {
      auto it = scos.find(key);
      if (it == scos.end()) continue;
      Json sco = std::move(it->second);
      ForEachRef(&sco, [&, &key = key](std::string* ref) {  // clang 14: no capture of bindings
        auto target = ids.find(*ref);
        if (target != ids.end()) {
          *ref = target->second;
        } else {
          Note(Severity::kWarning, *observed,
               "observable '" + key + "' refers to '" + *ref + "', which is not in objects");
        }
      });
      const std::string& id = ids.at(key);
      InsertAfter(&sco, "type", "spec_version", Json::String("2.1"));
      InsertAfter(&sco, "spec_version", "id", Json::String(id));
      refs.as_array().push_back(Json::String(id));
      if (emitted_.insert(id).second) extracted->push_back(std::move(sco));
    }
    size_t count = refs.as_array().size();
    observed->Erase("objects");
    observed->Set("object_refs", std::move(refs));
    Note(Severity::kInfo, *observed,
         std::to_string(count) + " embedded observable(s) moved to top-level SCOs with "
                                 "deterministic ids; objects replaced by object_refs (§4.13)");
  }

  void RenameScoProperties(Json* sco) {
    std::string_view type = TypeOf(*sco);
    for (const Rename& r : kScoRenames) {
      if (type != r.type) continue;
      Json* value = sco->Find(r.from);
      if (value == nullptr || sco->Find(r.to) != nullptr) continue;
      Json moved = *value;
      sco->Erase(r.from);
      sco->Set(r.to, std::move(moved));
      renamed_.insert(std::string(type) + "." + std::string(r.from) + " -> " + std::string(r.to));
    }
  }

  // Ids depend on references (a file's parent_directory_ref, a network-traffic's
  // src_ref), so an SCO gets its id only after the SCOs it refers to by an
  // ID-contributing property; cycles fall back to UUIDv4.
  std::map<std::string, std::string> AssignIds(const std::map<std::string, Json>& scos) {
    std::map<std::string, std::string> ids;
    bool progress = true;
    while (ids.size() < scos.size() && progress) {
      progress = false;
      for (const auto& [key, sco] : scos) {
        if (ids.count(key) != 0) continue;
        Json candidate = sco;
        bool ready = true;
        const TypeSpec* spec = FindType(TypeOf(sco));
        if (spec != nullptr) {
          for (std::string_view prop : spec->id_contributing) {
            Json* value = candidate.Find(prop);
            if (value == nullptr || !IsRefName(prop)) continue;
            ForEachString(value, [&](std::string* ref) {
              if (scos.count(*ref) == 0) return;
              auto target = ids.find(*ref);
              if (target == ids.end()) {
                ready = false;
              } else {
                *ref = target->second;
              }
            });
          }
        }
        if (!ready) continue;
        auto id = ComputeScoId(candidate);
        ids[key] = id.ok() ? id->id : std::string(TypeOf(sco)) + "--" + core::UuidV4().ToString();
        progress = true;
      }
    }
    for (const auto& [key, sco] : scos) {
      if (ids.count(key) == 0) {
        ids[key] = std::string(TypeOf(sco)) + "--" + core::UuidV4().ToString();
      }
    }
    return ids;
  }

  void Summarize() {
    path_.clear();
    index_ = -1;
    if (spec_version_added_ > 0) {
      notes_->push_back(Problem{Severity::kInfo, -1, "", "",
                                "spec_version \"2.1\" added to " +
                                    std::to_string(spec_version_added_) + " object(s)"});
    }
    if (timestamps_padded_ > 0) {
      notes_->push_back(Problem{Severity::kInfo, -1, "", "",
                                std::to_string(timestamps_padded_) +
                                    " created/modified timestamp(s) given millisecond precision"});
    }
    for (const std::string& r : renamed_) {
      notes_->push_back(Problem{Severity::kInfo, -1, "", "", "observable property renamed: " + r});
    }
  }

  std::vector<Problem>* notes_;
  std::string path_;
  int64_t index_ = -1;
  size_t spec_version_added_ = 0;
  size_t timestamps_padded_ = 0;
  std::set<std::string> renamed_;
  std::set<std::string> emitted_;
};

}  // namespace

core::Status UpgradeToV21(Json* doc, std::vector<Problem>* notes) {
  Upgrader upgrader(notes);
  if (doc->is_array()) {
    upgrader.UpgradeList(&doc->as_array(), "");
    return {};
  }
  if (!doc->is_object()) {
    return core::MakeError(core::ErrorCode::kValidation,
                           "not a STIX document: expected a bundle, an object or a list");
  }
  if (TypeOf(*doc) == "bundle") {
    doc->Erase("spec_version");  // 2.1 bundles carry no spec_version (§8)
    Json* objects = doc->Find("objects");
    if (objects != nullptr && objects->is_array()) upgrader.UpgradeList(&objects->as_array(), "/objects");
    return {};
  }
  // A single object: upgrade it as a one-element list; if observables were split
  // out of it, the result is a bundle holding all of them.
  Json::Array list;
  list.push_back(std::move(*doc));
  upgrader.UpgradeList(&list, "");
  if (list.size() == 1) {
    *doc = std::move(list.front());
    return {};
  }
  Json bundle = Json::MakeObject();
  bundle.Set("type", Json::String("bundle"));
  bundle.Set("id", Json::String("bundle--" + core::UuidV4().ToString()));
  bundle.Set("objects", Json::MakeArray(std::move(list)));
  *doc = std::move(bundle);
  return {};
}

}  // namespace tessera::stix
