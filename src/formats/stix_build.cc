#include "formats/stix_build.h"

#include <string>
#include <utility>

#include "core/uuid.h"
#include "normalize/stix_mapping.h"

namespace tessera::formats {

using core::Json;

std::string DeterministicId(std::string_view type, std::string_view key) {
  std::string name;
  name.reserve(type.size() + 1 + key.size());
  name.append(type).append("|").append(key);
  std::string id(type);
  id += "--";
  core::UuidV5(normalize::TesseraNamespace(), name).AppendTo(&id);
  return id;
}

Json NewObject(std::string_view type, std::string_view id, std::string_view created,
               std::string_view modified) {
  Json o = Json::MakeObject();
  o.Set("type", Json::String(std::string(type)));
  o.Set("spec_version", Json::String("2.1"));
  o.Set("id", Json::String(std::string(id)));
  o.Set("created", Json::String(std::string(created)));
  o.Set("modified", Json::String(std::string(modified)));
  return o;
}

Json NewIndicator(std::string_view pattern, std::string_view pattern_type,
                  std::string_view timestamp) {
  std::string key(pattern_type);
  key.append("|").append(pattern);
  Json o = NewObject("indicator", DeterministicId("indicator", key), timestamp, timestamp);
  o.Set("pattern", Json::String(std::string(pattern)));
  o.Set("pattern_type", Json::String(std::string(pattern_type)));
  o.Set("valid_from", Json::String(std::string(timestamp)));
  return o;
}

Json NewRelationship(std::string_view source_ref, std::string_view relationship_type,
                     std::string_view target_ref, std::string_view timestamp) {
  std::string key(source_ref);
  key.append("|").append(relationship_type).append("|").append(target_ref);
  Json o = NewObject("relationship", DeterministicId("relationship", key), timestamp, timestamp);
  o.Set("relationship_type", Json::String(std::string(relationship_type)));
  o.Set("source_ref", Json::String(std::string(source_ref)));
  o.Set("target_ref", Json::String(std::string(target_ref)));
  return o;
}

std::string AddObservable(Record* record, const normalize::Observable& observable, bool indicator,
                          std::string_view timestamp, std::string* indicator_id) {
  Json sco = normalize::ToStixObject(observable);
  std::string sco_id = sco.Find("id")->as_string();
  record->Add(sco);
  for (const std::string& note : observable.notes) record->notes.push_back(note);
  if (indicator_id != nullptr) indicator_id->clear();
  if (!indicator) return sco_id;
  std::string pattern = normalize::ToStixPattern(observable);
  if (pattern.empty()) return sco_id;
  Json ind = NewIndicator(pattern, "stix", timestamp);
  ind.Set("name", Json::String(observable.value));
  std::string ind_id = ind.Find("id")->as_string();
  record->Add(ind);
  record->Add(NewRelationship(ind_id, "based-on", sco_id, timestamp));
  if (indicator_id != nullptr) *indicator_id = ind_id;
  return sco_id;
}

void KeepSourceFields(Json* object, std::string_view format, Json fields) {
  if (!fields.is_object() || fields.as_object().empty()) return;
  Json* extensions = object->Find("extensions");
  if (extensions == nullptr || !extensions->is_object()) {
    object->Set("extensions", Json::MakeObject());
    extensions = object->Find("extensions");
  }
  Json* ext = extensions->Find(kSourceFieldsExtensionId);
  if (ext == nullptr) {
    Json fresh = Json::MakeObject();
    fresh.Set("extension_type", Json::String("property-extension"));
    fresh.Set("source_format", Json::String(std::string(format)));
    fresh.Set("fields", Json::MakeObject());
    extensions->Set(kSourceFieldsExtensionId, std::move(fresh));
    ext = extensions->Find(kSourceFieldsExtensionId);
  }
  Json* kept = ext->Find("fields");
  for (auto& [key, value] : fields.as_object()) kept->Set(key, std::move(value));
}

Json SourceFieldsExtensionDefinition() {
  Json def = NewObject("extension-definition", kSourceFieldsExtensionId,
                       "2026-11-29T00:00:00.000Z", "2026-11-29T00:00:00.000Z");
  def.Set("created_by_ref", Json::String(std::string(normalize::kTesseraIdentityId)));
  def.Set("name", Json::String("Tessera source fields"));
  def.Set("description",
          Json::String("Fields of the source record that STIX 2.1 has no property for, kept "
                       "verbatim so that nothing a partner sent is lost."));
  def.Set("schema",
          Json::String("Properties: source_format (string, required: the Tessera reader that "
                       "read the record, e.g. misp, stix1, openioc), fields (object, required: "
                       "source field name to its value as the source wrote it)."));
  def.Set("version", Json::String("1.0"));
  def.Set("extension_types", Json::MakeArray({Json::String("property-extension")}));
  return def;
}

void AddMarking(Json* object, std::string_view marking_id) {
  AddToList(object, "object_marking_refs", marking_id);
}

void AddToList(Json* object, std::string_view property, std::string_view value) {
  Json* list = object->Find(property);
  if (list == nullptr || !list->is_array()) {
    object->Set(property, Json::MakeArray());
    list = object->Find(property);
  }
  for (const Json& v : list->as_array()) {
    if (v.is_string() && v.as_string() == value) return;
  }
  list->as_array().push_back(Json::String(std::string(value)));
}

}  // namespace tessera::formats
