// Integrity tests for the STIX 2.1 model table: every type the spec defines is
// present with its category, references and vocabularies resolve, and the
// ID-contributing properties match REFERENCE.md exactly.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "stix/spec.h"

namespace tessera::stix {
namespace {

const std::vector<std::string_view> kExpectedSdos = {
    "attack-pattern", "campaign",      "course-of-action", "grouping",
    "identity",       "incident",      "indicator",        "infrastructure",
    "intrusion-set",  "location",      "malware",          "malware-analysis",
    "note",           "observed-data", "opinion",          "report",
    "threat-actor",   "tool",          "vulnerability"};
const std::vector<std::string_view> kExpectedSros = {"relationship", "sighting"};
const std::vector<std::string_view> kExpectedScos = {"artifact",
                                                     "autonomous-system",
                                                     "directory",
                                                     "domain-name",
                                                     "email-addr",
                                                     "email-message",
                                                     "file",
                                                     "ipv4-addr",
                                                     "ipv6-addr",
                                                     "mac-addr",
                                                     "mutex",
                                                     "network-traffic",
                                                     "process",
                                                     "software",
                                                     "url",
                                                     "user-account",
                                                     "windows-registry-key",
                                                     "x509-certificate"};
const std::vector<std::string_view> kExpectedMeta = {"marking-definition", "language-content",
                                                     "extension-definition"};

const std::vector<std::string_view> kPredefinedExtensionNames = {"archive-ext",
                                                                 "ntfs-ext",
                                                                 "pdf-ext",
                                                                 "raster-image-ext",
                                                                 "windows-pebinary-ext",
                                                                 "http-request-ext",
                                                                 "icmp-ext",
                                                                 "socket-ext",
                                                                 "tcp-ext",
                                                                 "windows-process-ext",
                                                                 "windows-service-ext",
                                                                 "unix-account-ext"};

// STIX 2.1 §10, every vocabulary and enumeration.
const std::vector<std::string_view> kVocabularyNames = {
    "account-type-ov",
    "attack-motivation-ov",
    "attack-resource-level-ov",
    "encryption-algorithm-enum",
    "extension-type-enum",
    "grouping-context-ov",
    "hash-algorithm-ov",
    "identity-class-ov",
    "implementation-language-ov",
    "indicator-type-ov",
    "industry-sector-ov",
    "infrastructure-type-ov",
    "malware-capabilities-ov",
    "malware-result-ov",
    "malware-type-ov",
    "network-socket-address-family-enum",
    "network-socket-type-enum",
    "opinion-enum",
    "pattern-type-ov",
    "processor-architecture-ov",
    "region-ov",
    "report-type-ov",
    "threat-actor-role-ov",
    "threat-actor-sophistication-ov",
    "threat-actor-type-ov",
    "tool-type-ov",
    "windows-integrity-level-enum",
    "windows-pebinary-type-ov",
    "windows-registry-datatype-enum",
    "windows-service-start-type-enum",
    "windows-service-status-enum",
    "windows-service-type-enum",
};

bool IsPseudoCategory(std::string_view name) {
  return name == "<sdo>" || name == "<sco>" || name == "<sro>" || name == "<any>";
}

bool IsVocabKind(Kind kind) {
  return kind == Kind::kOpenVocab || kind == Kind::kOpenVocabList || kind == Kind::kEnum ||
         kind == Kind::kEnumList;
}

bool IsObjectKind(Kind kind) { return kind == Kind::kObject || kind == Kind::kObjectList; }

bool IsIdentifierKind(Kind kind) {
  return kind == Kind::kIdentifier || kind == Kind::kIdentifierList;
}

// Calls `check(owner, property)` on every property, recursing into nested objects.
template <typename Check>
void ForEachProperty(const std::string& owner, std::span<const PropertySpec> props,
                     const Check& check) {
  for (const PropertySpec& prop : props) {
    check(owner, prop);
    if (!prop.fields.empty()) {
      ForEachProperty(owner + "." + std::string(prop.name), prop.fields, check);
    }
  }
}

// Every property table the model defines: types, common properties, extensions.
std::vector<std::pair<std::string, std::span<const PropertySpec>>> AllPropertyTables() {
  std::vector<std::pair<std::string, std::span<const PropertySpec>>> tables;
  for (const TypeSpec& type : AllTypes())
    tables.emplace_back(std::string(type.type), type.properties);
  tables.emplace_back("<common sdo>", CommonProperties(Category::kSdo));
  tables.emplace_back("<common sco>", CommonProperties(Category::kSco));
  for (std::string_view name : kPredefinedExtensionNames) {
    const ExtensionSpec* ext = FindPredefinedExtension(name);
    if (ext != nullptr) tables.emplace_back(std::string(name), ext->properties);
  }
  return tables;
}

void ExpectCategory(const std::vector<std::string_view>& names, Category category) {
  for (std::string_view name : names) {
    const TypeSpec* spec = FindType(name);
    ASSERT_NE(spec, nullptr) << name;
    EXPECT_EQ(spec->type, name);
    EXPECT_EQ(spec->category, category) << name;
  }
}

TEST(SpecTableTest, EveryStandardTypeIsPresentWithItsCategory) {
  ExpectCategory(kExpectedSdos, Category::kSdo);
  ExpectCategory(kExpectedSros, Category::kSro);
  ExpectCategory(kExpectedScos, Category::kSco);
  ExpectCategory(kExpectedMeta, Category::kMeta);
  EXPECT_EQ(AllTypes().size(), 19u + 2u + 18u + 3u);
}

TEST(SpecTableTest, AllTypesAreOrderedByCategoryAndUnique) {
  std::set<std::string_view> seen;
  int last_category = -1;
  for (const TypeSpec& type : AllTypes()) {
    EXPECT_TRUE(seen.insert(type.type).second) << "duplicate type " << type.type;
    const int category = static_cast<int>(type.category);
    EXPECT_GE(category, last_category) << type.type << " is out of category order";
    last_category = category;
  }
}

TEST(SpecTableTest, UnknownTypesAreNotFound) {
  EXPECT_EQ(FindType("x-acme-widget"), nullptr);
  EXPECT_EQ(FindType(""), nullptr);
  EXPECT_EQ(FindType("Indicator"), nullptr);
  EXPECT_EQ(FindType("bundle"), nullptr);
}

TEST(SpecTableTest, PropertyNamesAreUniqueWithinEachTable) {
  for (const auto& [owner, props] : AllPropertyTables()) {
    std::set<std::string_view> names;
    for (const PropertySpec& prop : props) {
      EXPECT_TRUE(names.insert(prop.name).second) << owner << "." << prop.name;
    }
  }
}

TEST(SpecTableTest, TypeSpecificPropertiesDoNotRepeatCommonOnes) {
  for (const TypeSpec& type : AllTypes()) {
    for (const PropertySpec& common : CommonProperties(type.category)) {
      EXPECT_EQ(FindProperty(type.properties, common.name), nullptr)
          << type.type << " repeats common property " << common.name;
    }
  }
}

TEST(SpecTableTest, EveryReferenceTargetIsAKnownTypeOrCategory) {
  for (const auto& [owner, props] : AllPropertyTables()) {
    ForEachProperty(owner, props, [](const std::string& where, const PropertySpec& prop) {
      if (!IsIdentifierKind(prop.kind)) {
        EXPECT_TRUE(prop.ref_types.empty()) << where << "." << prop.name << " is not a reference";
        return;
      }
      for (std::string_view target : prop.ref_types) {
        EXPECT_TRUE(IsPseudoCategory(target) || FindType(target) != nullptr)
            << where << "." << prop.name << " -> " << target;
      }
    });
  }
}

TEST(SpecTableTest, EveryVocabularyPropertyHasAFindableVocabulary) {
  for (const auto& [owner, props] : AllPropertyTables()) {
    ForEachProperty(owner, props, [](const std::string& where, const PropertySpec& prop) {
      if (!IsVocabKind(prop.kind)) {
        EXPECT_EQ(prop.vocab, nullptr) << where << "." << prop.name;
        return;
      }
      ASSERT_NE(prop.vocab, nullptr) << where << "." << prop.name;
      EXPECT_EQ(FindVocabulary(prop.vocab->name), prop.vocab) << prop.vocab->name;
      // Open vocabularies end in -ov, closed enumerations in -enum (§10).
      const bool open = prop.kind == Kind::kOpenVocab || prop.kind == Kind::kOpenVocabList;
      EXPECT_TRUE(prop.vocab->name.ends_with(open ? "-ov" : "-enum"))
          << where << "." << prop.name << " uses " << prop.vocab->name;
    });
  }
}

TEST(SpecTableTest, NestedObjectsHaveFieldsAndOnlyThem) {
  for (const auto& [owner, props] : AllPropertyTables()) {
    ForEachProperty(owner, props, [](const std::string& where, const PropertySpec& prop) {
      EXPECT_EQ(IsObjectKind(prop.kind), !prop.fields.empty()) << where << "." << prop.name;
    });
  }
}

TEST(SpecTableTest, NumericBoundsAreOrdered) {
  for (const auto& [owner, props] : AllPropertyTables()) {
    ForEachProperty(owner, props, [](const std::string& where, const PropertySpec& prop) {
      EXPECT_LE(prop.min, prop.max) << where << "." << prop.name;
    });
  }
}

TEST(SpecTableTest, EveryVocabularyIsFindableAndWellFormed) {
  for (std::string_view name : kVocabularyNames) {
    const Vocabulary* vocab = FindVocabulary(name);
    ASSERT_NE(vocab, nullptr) << name;
    EXPECT_EQ(vocab->name, name);
    EXPECT_FALSE(vocab->values.empty()) << name;
    std::set<std::string_view> values(vocab->values.begin(), vocab->values.end());
    EXPECT_EQ(values.size(), vocab->values.size()) << name << " has duplicate values";
  }
  EXPECT_EQ(FindVocabulary("no-such-ov"), nullptr);
  EXPECT_EQ(FindVocabulary(""), nullptr);
}

bool VocabContains(std::string_view vocab_name, std::string_view value) {
  const Vocabulary* vocab = FindVocabulary(vocab_name);
  if (vocab == nullptr) return false;
  for (std::string_view v : vocab->values) {
    if (v == value) return true;
  }
  return false;
}

TEST(SpecTableTest, VocabularySpellingsFollowTheSpec) {
  EXPECT_TRUE(VocabContains("hash-algorithm-ov", "SHA-256"));
  EXPECT_TRUE(VocabContains("hash-algorithm-ov", "SHA3-512"));
  EXPECT_FALSE(VocabContains("hash-algorithm-ov", "sha256"));
  EXPECT_TRUE(VocabContains("encryption-algorithm-enum", "ChaCha20-Poly1305"));
  EXPECT_TRUE(VocabContains("implementation-language-ov", "c#"));
  EXPECT_TRUE(VocabContains("industry-sector-ov", "government-public-services"));
  EXPECT_TRUE(VocabContains("malware-type-ov", "remote-access-trojan"));
  EXPECT_TRUE(VocabContains("malware-capabilities-ov", "communicates-with-c2"));
  EXPECT_TRUE(VocabContains("opinion-enum", "strongly-agree"));
  EXPECT_TRUE(VocabContains("region-ov", "latin-america-caribbean"));
  EXPECT_TRUE(VocabContains("windows-registry-datatype-enum", "REG_DWORD_BIG_ENDIAN"));
  EXPECT_TRUE(VocabContains("extension-type-enum", "toplevel-property-extension"));
  EXPECT_TRUE(VocabContains("network-socket-address-family-enum", "AF_INET6"));
  EXPECT_EQ(FindVocabulary("pattern-type-ov")->values.size(), 6u);
  EXPECT_EQ(FindVocabulary("opinion-enum")->values.size(), 5u);
}

// REFERENCE.md, "STIX 2.1 deterministic ids for SCOs".
TEST(SpecTableTest, IdContributingPropertiesMatchTheReferenceTable) {
  const std::map<std::string_view, std::vector<std::string_view>> expected = {
      {"artifact", {"hashes", "payload_bin"}},
      {"autonomous-system", {"number"}},
      {"directory", {"path"}},
      {"domain-name", {"value"}},
      {"email-addr", {"value"}},
      {"email-message", {"from_ref", "subject", "body"}},
      {"file", {"hashes", "name", "extensions", "parent_directory_ref"}},
      {"ipv4-addr", {"value"}},
      {"ipv6-addr", {"value"}},
      {"mac-addr", {"value"}},
      {"url", {"value"}},
      {"mutex", {"name"}},
      {"network-traffic",
       {"start", "end", "src_ref", "dst_ref", "src_port", "dst_port", "protocols", "extensions"}},
      {"process", {}},
      {"software", {"name", "cpe", "swid", "vendor", "version"}},
      {"user-account", {"account_type", "user_id", "account_login"}},
      {"windows-registry-key", {"key", "values"}},
      {"x509-certificate", {"hashes", "serial_number"}},
  };
  EXPECT_EQ(expected.size(), kExpectedScos.size());
  for (const auto& [type_name, props] : expected) {
    const TypeSpec* type = FindType(type_name);
    ASSERT_NE(type, nullptr) << type_name;
    const std::vector<std::string_view> actual(type->id_contributing.begin(),
                                               type->id_contributing.end());
    EXPECT_EQ(actual, props) << type_name;
  }
}

TEST(SpecTableTest, IdContributingPropertiesExistAndOnlyOnScos) {
  for (const TypeSpec& type : AllTypes()) {
    if (type.category != Category::kSco) {
      EXPECT_TRUE(type.id_contributing.empty()) << type.type;
      continue;
    }
    for (std::string_view name : type.id_contributing) {
      EXPECT_TRUE(FindProperty(type.properties, name) != nullptr ||
                  FindProperty(CommonProperties(Category::kSco), name) != nullptr)
          << type.type << " id-contributing " << name << " is not a property";
    }
  }
}

const PropertySpec* Prop(std::string_view type, std::string_view name) {
  const TypeSpec* spec = FindType(type);
  if (spec == nullptr) return nullptr;
  if (const PropertySpec* p = FindProperty(spec->properties, name)) return p;
  return FindProperty(CommonProperties(spec->category), name);
}

void ExpectRequired(std::string_view type, std::string_view name, bool required) {
  const PropertySpec* prop = Prop(type, name);
  ASSERT_NE(prop, nullptr) << type << "." << name;
  EXPECT_EQ(prop->required, required) << type << "." << name;
}

TEST(SpecTableTest, RequiredFlagsFollowTheSpec) {
  ExpectRequired("indicator", "pattern", true);
  ExpectRequired("indicator", "pattern_type", true);
  ExpectRequired("indicator", "valid_from", true);
  ExpectRequired("indicator", "name", false);
  ExpectRequired("relationship", "source_ref", true);
  ExpectRequired("relationship", "target_ref", true);
  ExpectRequired("relationship", "relationship_type", true);
  ExpectRequired("sighting", "sighting_of_ref", true);
  ExpectRequired("malware", "is_family", true);
  ExpectRequired("malware", "name", false);
  ExpectRequired("report", "published", true);
  ExpectRequired("report", "object_refs", true);
  ExpectRequired("grouping", "context", true);
  ExpectRequired("note", "content", true);
  ExpectRequired("opinion", "opinion", true);
  ExpectRequired("observed-data", "number_observed", true);
  ExpectRequired("observed-data", "object_refs", false);
  ExpectRequired("identity", "identity_class", false);
  ExpectRequired("malware-analysis", "product", true);
  ExpectRequired("network-traffic", "protocols", true);
  ExpectRequired("email-message", "is_multipart", true);
  ExpectRequired("software", "name", true);
  ExpectRequired("extension-definition", "created_by_ref", true);
  ExpectRequired("language-content", "contents", true);
  ExpectRequired("marking-definition", "created", true);
  ExpectRequired("marking-definition", "definition_type", false);
  // §3.2: created and modified are required on SDOs/SROs; SCOs need no spec_version.
  ExpectRequired("campaign", "created", true);
  ExpectRequired("campaign", "modified", true);
  ExpectRequired("file", "spec_version", false);
  ExpectRequired("file", "id", true);
  ExpectRequired("tool", "spec_version", true);
}

TEST(SpecTableTest, KindsAndRangesFollowTheSpec) {
  EXPECT_EQ(Prop("indicator", "pattern_type")->vocab, FindVocabulary("pattern-type-ov"));
  EXPECT_EQ(Prop("opinion", "opinion")->kind, Kind::kEnum);
  EXPECT_EQ(Prop("artifact", "payload_bin")->kind, Kind::kBinary);
  EXPECT_EQ(Prop("artifact", "url")->kind, Kind::kUrl);
  EXPECT_EQ(Prop("artifact", "encryption_algorithm")->kind, Kind::kEnum);
  EXPECT_EQ(Prop("file", "hashes")->kind, Kind::kHashes);
  EXPECT_EQ(Prop("observed-data", "objects")->kind, Kind::kDictionary);
  EXPECT_EQ(Prop("email-message", "body_multipart")->kind, Kind::kObjectList);
  EXPECT_NE(FindProperty(Prop("email-message", "body_multipart")->fields, "body_raw_ref"), nullptr);
  EXPECT_EQ(FindProperty(Prop("windows-registry-key", "values")->fields, "data_type")->vocab,
            FindVocabulary("windows-registry-datatype-enum"));
  EXPECT_EQ(Prop("x509-certificate", "x509_v3_extensions")->kind, Kind::kObject);

  const PropertySpec* confidence = Prop("indicator", "confidence");
  EXPECT_EQ(confidence->min, 0);
  EXPECT_EQ(confidence->max, 100);
  const PropertySpec* observed = Prop("observed-data", "number_observed");
  EXPECT_EQ(observed->min, 1);
  EXPECT_EQ(observed->max, 999999999);
  EXPECT_EQ(Prop("sighting", "count")->max, 999999999);
  EXPECT_EQ(Prop("location", "latitude")->min, -90);
  EXPECT_EQ(Prop("location", "longitude")->max, 180);
  EXPECT_EQ(Prop("network-traffic", "dst_port")->max, 65535);
}

std::vector<std::string_view> Targets(std::string_view type, std::string_view name) {
  const PropertySpec* prop = Prop(type, name);
  if (prop == nullptr) return {};
  return {prop->ref_types.begin(), prop->ref_types.end()};
}

TEST(SpecTableTest, ReferenceTargetsFollowTheSpec) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(Targets("campaign", "created_by_ref"), V({"identity"}));
  EXPECT_EQ(Targets("file", "object_marking_refs"), V({"marking-definition"}));
  EXPECT_EQ(Targets("relationship", "source_ref"), V({"<sdo>", "<sco>"}));
  EXPECT_EQ(Targets("sighting", "where_sighted_refs"), V({"identity", "location"}));
  EXPECT_EQ(Targets("observed-data", "object_refs"), V({"<sco>", "<sro>"}));
  EXPECT_EQ(Targets("report", "object_refs"), V({"<any>"}));
  EXPECT_EQ(Targets("domain-name", "resolves_to_refs"),
            V({"ipv4-addr", "ipv6-addr", "domain-name"}));
  EXPECT_EQ(Targets("ipv4-addr", "belongs_to_refs"), V({"autonomous-system"}));
  EXPECT_EQ(Targets("file", "parent_directory_ref"), V({"directory"}));
  EXPECT_EQ(Targets("network-traffic", "src_ref"),
            V({"ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"}));
  EXPECT_EQ(Targets("process", "image_ref"), V({"file"}));
  EXPECT_EQ(Targets("email-message", "to_refs"), V({"email-addr"}));
  EXPECT_EQ(Targets("email-addr", "belongs_to_ref"), V({"user-account"}));
}

TEST(SpecTableTest, PredefinedExtensionsBelongToScos) {
  for (std::string_view name : kPredefinedExtensionNames) {
    const ExtensionSpec* ext = FindPredefinedExtension(name);
    ASSERT_NE(ext, nullptr) << name;
    EXPECT_EQ(ext->name, name);
    EXPECT_FALSE(ext->properties.empty()) << name;
    const TypeSpec* on = FindType(ext->on_type);
    ASSERT_NE(on, nullptr) << name << " on " << ext->on_type;
    EXPECT_EQ(on->category, Category::kSco) << name;
  }
  EXPECT_EQ(FindPredefinedExtension("tcp-ext")->on_type, "network-traffic");
  EXPECT_EQ(FindPredefinedExtension("unix-account-ext")->on_type, "user-account");
  EXPECT_EQ(FindPredefinedExtension("windows-service-ext")->on_type, "process");
  EXPECT_EQ(FindPredefinedExtension("x-acme-ext"), nullptr);
  const ExtensionSpec* pe = FindPredefinedExtension("windows-pebinary-ext");
  EXPECT_EQ(FindProperty(pe->properties, "optional_header")->kind, Kind::kObject);
  EXPECT_EQ(FindProperty(pe->properties, "sections")->kind, Kind::kObjectList);
  EXPECT_TRUE(FindProperty(pe->properties, "pe_type")->required);
}

TEST(SpecTableTest, CommonPropertiesPerCategory) {
  EXPECT_EQ(CommonProperties(Category::kSdo).data(), CommonProperties(Category::kSro).data());
  EXPECT_NE(FindProperty(CommonProperties(Category::kSdo), "confidence"), nullptr);
  EXPECT_EQ(FindProperty(CommonProperties(Category::kSco), "confidence"), nullptr);
  EXPECT_NE(FindProperty(CommonProperties(Category::kSco), "defanged"), nullptr);
  EXPECT_TRUE(CommonProperties(Category::kMeta).empty());
  // Meta objects list type, id and spec_version themselves.
  for (std::string_view meta : kExpectedMeta) {
    for (std::string_view name : {"type", "spec_version", "id", "created"}) {
      const PropertySpec* prop = FindProperty(FindType(meta)->properties, name);
      ASSERT_NE(prop, nullptr) << meta << "." << name;
      EXPECT_TRUE(prop->required) << meta << "." << name;
    }
  }
}

TEST(SpecTableTest, CategoryNamesAreDistinct) {
  const std::set<std::string_view> names = {
      CategoryName(Category::kSdo), CategoryName(Category::kSro), CategoryName(Category::kSco),
      CategoryName(Category::kMeta)};
  EXPECT_EQ(names.size(), 4u);
}

}  // namespace
}  // namespace tessera::stix
