// Agreement with misp-stix, MISP's own STIX 2.1 exporter: for every MISP
// attribute type in its mapping documentation and for its round-trip test
// events, the observables we emit equal the ones misp-stix emits (types and
// values, references followed), after the deliberate differences listed in
// docs/formats/misp.md ("Differences from misp-stix") are applied to its output.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/json.h"
#include "testing/format_golden.h"
#include "testing/shared_data.h"

namespace tessera::formats {
namespace {

using core::Json;

std::filesystem::path MispCorpus() { return testing::SharedDir() / "corpora" / "misp"; }

const std::set<std::string>& NonObservableTypes() {
  static const std::set<std::string> kTypes = {"attack-pattern",
                                               "campaign",
                                               "course-of-action",
                                               "grouping",
                                               "identity",
                                               "indicator",
                                               "infrastructure",
                                               "intrusion-set",
                                               "location",
                                               "malware",
                                               "malware-analysis",
                                               "note",
                                               "observed-data",
                                               "opinion",
                                               "report",
                                               "threat-actor",
                                               "tool",
                                               "vulnerability",
                                               "relationship",
                                               "sighting",
                                               "marking-definition",
                                               "extension-definition",
                                               "language-content"};
  return kTypes;
}

bool IsObservable(const Json& o) {
  const Json* type = o.Find("type");
  return type != nullptr && type->is_string() && NonObservableTypes().count(type->as_string()) == 0;
}

// An observable's comparable form: the object without its id, spec_version,
// markings and extensions, with every *_ref / *_refs replaced by the form of the
// object it references. `objects` is every object of the same export, by id.
Json Comparable(const Json& o, const std::map<std::string, Json>& objects, int depth = 0);

Json Resolve(const Json& ref, const std::map<std::string, Json>& objects, int depth) {
  if (!ref.is_string()) return ref;
  auto it = objects.find(ref.as_string());
  if (it == objects.end() || depth > 8) return Json::String("unresolved:" + ref.as_string());
  return Comparable(it->second, objects, depth + 1);
}

Json ResolveDeep(const Json& value, const std::map<std::string, Json>& objects, int depth) {
  if (value.is_array()) {
    Json out = Json::MakeArray();
    for (const Json& v : value.as_array()) out.as_array().push_back(ResolveDeep(v, objects, depth));
    return out;
  }
  if (!value.is_object()) return value;
  Json out = Json::MakeObject();
  for (const auto& [key, v] : value.as_object()) {
    if (key.ends_with("_ref")) {
      out.Set(key, Resolve(v, objects, depth));
    } else if (key.ends_with("_refs") && v.is_array()) {
      Json list = Json::MakeArray();
      for (const Json& r : v.as_array()) list.as_array().push_back(Resolve(r, objects, depth));
      out.Set(key, std::move(list));
    } else {
      out.Set(key, ResolveDeep(v, objects, depth));
    }
  }
  return out;
}

Json Comparable(const Json& o, const std::map<std::string, Json>& objects, int depth) {
  Json copy = o;
  for (std::string_view drop : {"id", "spec_version", "object_marking_refs", "extensions"}) {
    copy.Erase(drop);
  }
  return ResolveDeep(copy, objects, depth);
}

// The deliberate differences (docs/formats/misp.md), applied to misp-stix's
// objects of an attribute of MISP type `misp_type`.
void ApplyDifferences(std::string_view misp_type, Json* o) {
  std::string type = o->Find("type")->as_string();
  if (Json* hashes = o->Find("hashes"); hashes != nullptr && hashes->is_object()) {
    // Hash names: STIX's spelling for the SHA-2 and SHA-3 variants misp-stix
    // writes without hyphens, and the truncated SHA-512 forms it names after
    // SHA-224/SHA-256.
    Json renamed = Json::MakeObject();
    for (auto& [key, value] : hashes->as_object()) {
      std::string k = key;
      if (misp_type.find("sha512/224") != std::string_view::npos)
        k = "SHA-512-224";
      else if (misp_type.find("sha512/256") != std::string_view::npos)
        k = "SHA-512-256";
      else if (k == "SHA224")
        k = "SHA-224";
      else if (k == "SHA384")
        k = "SHA-384";
      else if (k == "SHA3224")
        k = "SHA3-224";
      else if (k == "SHA3384")
        k = "SHA3-384";
      // TLSH: normalize's canonical form has the version prefix T1.
      if (k == "TLSH" && value.is_string() && value.as_string().size() == 70) {
        renamed.Set(k, Json::String("T1" + value.as_string()));
        continue;
      }
      renamed.Set(k, value);
    }
    *hashes = std::move(renamed);
  }
  if (type == "artifact") {
    // A payload that is not base64 (the documentation elides it with "[...]")
    // makes no artifact: we keep the data as a source field instead.
    const Json* payload = o->Find("payload_bin");
    std::string p = payload != nullptr && payload->is_string() ? payload->as_string() : "";
    if (p.size() % 4 != 0 || p.find("[...]") != std::string::npos)
      *o = Json::MakeObject({{"type", Json::String("dropped")}});
  }
  if (type == "file" && o->Find("content_ref") != nullptr && misp_type == "malware-sample") {
    o->Erase("content_ref");  // the dropped artifact above
  }
  if (type == "network-traffic" && misp_type.starts_with("ip-")) {
    // protocols: the address family we know instead of an assumed TCP.
    o->Set("protocols", Json::MakeArray({Json::String("ipv4")}));
  }
  if (type == "email-message") {
    // content_disposition quotes the file name with double quotes (RFC 2183).
    if (Json* parts = o->Find("body_multipart"); parts != nullptr && parts->is_array()) {
      for (Json& part : parts->as_array()) {
        if (Json* cd = part.Find("content_disposition"); cd != nullptr && cd->is_string()) {
          std::string v = cd->as_string();
          for (char& c : v) {
            if (c == '\'') c = '"';
          }
          *cd = Json::String(v);
        }
      }
    }
  }
}

// Comparable forms of the observables (and vulnerability/campaign names) among `objects`.
std::multiset<std::string> ObservableForms(const std::vector<Json>& objects,
                                           std::string_view misp_type, bool theirs) {
  std::map<std::string, Json> by_id;
  for (Json o : objects) {
    std::string id = o.Find("id")->as_string();
    if (theirs) ApplyDifferences(misp_type, &o);
    if (o.Find("type")->as_string() == "dropped") continue;
    by_id[id] = o;
  }
  std::set<std::string> seen;
  std::multiset<std::string> out;
  for (const auto& [id, o] : by_id) {
    std::string type = o.Find("type")->as_string();
    std::string form;
    if (IsObservable(o)) {
      form = core::CanonicalJson(Comparable(o, by_id));
    } else if (type == "vulnerability" || type == "campaign") {
      form = type + ":" + o.Find("name")->as_string();
    } else {
      continue;
    }
    if (seen.insert(form).second) out.insert(form);
  }
  return out;
}

std::vector<Json> AsList(const Json& stix) {
  std::vector<Json> out;
  if (stix.is_array()) {
    for (const Json& o : stix.as_array()) out.push_back(o);
  } else if (stix.is_object() && stix.Find("objects") != nullptr) {
    for (const Json& o : stix.Find("objects")->as_array()) out.push_back(o);
  } else {
    out.push_back(stix);
  }
  return out;
}

std::string Joined(const std::multiset<std::string>& forms) {
  std::string out;
  for (const std::string& f : forms) out += "  " + f + "\n";
  return out;
}

// Our output for one attribute, to_ids set so indicators come out as well.
testing::ReadOutcome ReadAttribute(Json attribute) {
  attribute.Set("to_ids", Json::Bool(true));
  Json event = Json::MakeObject(
      {{"uuid", Json::String("a0c22599-0000-4000-8000-000000000001")},
       {"info", Json::String("agreement")},
       {"timestamp", Json::String("1603642920")},
       {"Orgc", Json::MakeObject({{"name", Json::String("MISP-Project")},
                                  {"uuid", Json::String("a0c22599-9e58-4da4-96ac-7051603fa951")}})},
       {"Attribute", Json::MakeArray({std::move(attribute)})}});
  return testing::ReadBytes("misp",
                            core::WriteJson(Json::MakeObject({{"Event", std::move(event)}})));
}

TEST(MispStixAgreement, EveryDocumentedAttributeTypeHasTheSameObservables) {
  TESSERA_REQUIRE_SHARED();
  std::string text = testing::ReadFileOrEmpty(MispCorpus() / "misp-stix-mappings" /
                                              "misp_attributes_to_stix21.json");
  auto doc = core::ParseJson(text);
  ASSERT_TRUE(doc.ok()) << doc.error().ToString();
  size_t compared = 0;
  size_t with_observables = 0;
  for (const auto& [misp_type, entry] : doc->as_object()) {
    SCOPED_TRACE("MISP type " + misp_type);
    const Json* misp = entry.Find("MISP");
    const Json* stix = entry.Find("STIX");
    ASSERT_TRUE(misp != nullptr && stix != nullptr);
    auto outcome = ReadAttribute(*misp);
    ASSERT_TRUE(outcome.status.ok()) << outcome.status.error().ToString();
    ASSERT_TRUE(outcome.sink.rejects.empty()) << outcome.sink.rejects.front().reason;
    std::vector<std::string> invalid = testing::InvalidObjects(outcome);
    EXPECT_TRUE(invalid.empty()) << invalid.front();
    std::vector<Json> theirs = AsList(*stix);
    std::vector<Json> ours = testing::Objects(outcome);
    std::multiset<std::string> expected = ObservableForms(theirs, misp_type, true);
    std::multiset<std::string> actual = ObservableForms(ours, misp_type, false);
    EXPECT_EQ(actual, expected) << "misp-stix:\n"
                                << Joined(expected) << "ours:\n"
                                << Joined(actual);
    with_observables += expected.empty() ? 0 : 1;
    // Where misp-stix has only an indicator (rules, user-agent, port, ...), so do we,
    // with the same pattern_type.
    for (const Json& o : theirs) {
      if (o.Find("type")->as_string() != "indicator") continue;
      bool found = false;
      for (const Json& mine : ours) {
        if (mine.Find("type")->as_string() == "indicator" &&
            mine.Find("pattern_type")->as_string() == o.Find("pattern_type")->as_string()) {
          found = true;
        }
      }
      EXPECT_TRUE(found) << "no indicator with pattern_type "
                         << o.Find("pattern_type")->as_string();
    }
    ++compared;
  }
  EXPECT_EQ(compared, 80u);
  EXPECT_GE(with_observables, 60u);
}

// The round-trip fixtures: misp-stix's export of the two test event collections.
struct RoundTrip {
  std::vector<std::string> inputs;
  std::string expected;
};

TEST(MispStixAgreement, RoundTripEventsHaveTheSameObservablesAndIds) {
  TESSERA_REQUIRE_SHARED();
  std::filesystem::path dir = MispCorpus() / "misp-stix-roundtrip";
  std::vector<RoundTrip> cases = {
      {{"test_events_collection_1.json"}, "test_event1_stix21.json"},
      {{"test_events_collection_2.json"}, "test_event2_stix21.json"},
      {{"test_events_collection_1.json", "test_events_collection_2.json"},
       "test_events_collection_stix21.json"},
  };
  for (const RoundTrip& c : cases) {
    SCOPED_TRACE(c.expected);
    // Ours, record by record (the same SCO id can come with other properties in
    // another event, as misp-stix's does).
    std::vector<Json> ours;
    std::multiset<std::string> actual;
    for (const std::string& input : c.inputs) {
      auto outcome = testing::ReadPath("misp", dir / input);
      ASSERT_TRUE(outcome.status.ok());
      EXPECT_TRUE(outcome.sink.rejects.empty());
      for (const Record& record : outcome.sink.records) {
        std::vector<Json> objects;
        for (const stix::StixObject& o : record.objects) {
          auto tree = core::ParseJson(o.json);
          ASSERT_TRUE(tree.ok());
          objects.push_back(*tree);
          ours.push_back(std::move(*tree));
        }
        for (const std::string& f : ObservableForms(objects, "", false)) actual.insert(f);
      }
    }
    auto expected = core::ParseJson(testing::ReadFileOrEmpty(dir / c.expected));
    ASSERT_TRUE(expected.ok());
    std::vector<Json> theirs = AsList(*expected);
    // The MISP type of each observed-data's attribute, for the documented differences.
    std::multiset<std::string> expected_forms;
    for (const Json& o : theirs) {
      if (o.Find("type")->as_string() != "observed-data") continue;
      std::string misp_type;
      for (const Json& label : o.Find("labels")->as_array()) {
        const std::string& l = label.as_string();
        if (l.rfind("misp:type=\"", 0) == 0) misp_type = l.substr(11, l.size() - 12);
      }
      std::vector<Json> group;
      for (const Json& ref : o.Find("object_refs")->as_array()) {
        for (const Json& x : theirs) {
          if (x.Find("id")->as_string() == ref.as_string()) group.push_back(x);
        }
      }
      for (const std::string& f : ObservableForms(group, misp_type, true)) expected_forms.insert(f);
    }
    std::set<std::string> expected_set(expected_forms.begin(), expected_forms.end());
    std::set<std::string> actual_set(actual.begin(), actual.end());
    EXPECT_EQ(actual_set, expected_set);
    // Same ids for what came from MISP uuids: indicators, and observed-data of
    // the attributes not meant for detection (for those that are, we make the
    // indicator and its SCOs only: docs/formats/misp.md).
    std::set<std::string> our_ids;
    for (const Json& o : ours) our_ids.insert(o.Find("id")->as_string());
    std::set<std::string> their_ids;
    for (const Json& o : theirs) their_ids.insert(o.Find("id")->as_string());
    for (const Json& o : theirs) {
      std::string type = o.Find("type")->as_string();
      std::string id = o.Find("id")->as_string();
      std::string uuid = id.substr(id.find("--") + 2);
      if (type == "indicator" ||
          (type == "observed-data" && their_ids.count("indicator--" + uuid) == 0)) {
        EXPECT_EQ(our_ids.count(id), 1u) << id;
      }
    }
  }
}

}  // namespace
}  // namespace tessera::formats
