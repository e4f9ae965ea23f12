// The STIX 2.1 model as data: one table describes every object type, its
// properties, their kinds, which are required, which reference which types, which
// vocabulary a value comes from, and which contribute to a deterministic SCO id.
// Validation, id computation and the 2.0 -> 2.1 upgrade walk this table; there is
// no class per STIX type. The tables are constant and safe to share between threads.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string_view>

namespace tessera::stix {

enum class Category {
  kSdo,   // STIX Domain Object (§4)
  kSro,   // STIX Relationship Object (§5)
  kSco,   // STIX Cyber-observable Object (§6)
  kMeta,  // marking-definition, language-content, extension-definition (§7)
};

const char* CategoryName(Category c);

enum class Kind {
  kString,
  kBoolean,
  kInteger,
  kFloat,               // any JSON number
  kTimestamp,           // STIX timestamp (§3.2)
  kIdentifier,          // "type--uuid"; ref_types restrict the target type
  kIdentifierList,
  kStringList,
  kOpenVocab,           // a value outside the vocabulary is a warning (§10)
  kOpenVocabList,
  kEnum,                // a value outside the enumeration is an error
  kEnumList,
  kDictionary,          // object with free keys (§2.7 key rules apply)
  kHashes,              // hashes dictionary (§2.7, hash-algorithm-ov)
  kKillChainPhases,     // list of kill-chain-phase (§2.12)
  kExternalReferences,  // list of external-reference (§2.5)
  kGranularMarkings,    // list of granular-marking (§7.2.3)
  kExtensions,          // extensions dictionary (§3.2, §7.3)
  kBinary,              // base64 (§2.2)
  kHex,                 // hex string (§2.10)
  kUrl,                 // absolute URL (§2.11)
  kObject,              // nested object described by `fields`
  kObjectList,          // list of nested objects described by `fields`
  kAny,                 // any JSON value, not checked further
};

struct Vocabulary {
  std::string_view name;  // e.g. "malware-type-ov" or "encryption-algorithm-enum"
  std::span<const std::string_view> values;
};

struct PropertySpec {
  std::string_view name;
  Kind kind = Kind::kString;
  bool required = false;
  // kIdentifier(List): allowed target types. Besides type names, the pseudo
  // names "<sdo>", "<sco>", "<sro>" and "<any>" admit a whole category.
  // Empty means any type.
  std::span<const std::string_view> ref_types = {};
  // kOpenVocab(List) / kEnum(List).
  const Vocabulary* vocab = nullptr;
  // kObject / kObjectList: the nested object's properties.
  std::span<const PropertySpec> fields = {};
  // kInteger / kFloat: inclusive bounds.
  int64_t min = std::numeric_limits<int64_t>::min();
  int64_t max = std::numeric_limits<int64_t>::max();
  // kStringList / kIdentifierList / lists of objects: must not be empty when present.
  bool non_empty = true;
};

struct TypeSpec {
  std::string_view type;
  Category category;
  // Type-specific properties. The common properties of the category
  // (CommonProperties) are checked too, except for kMeta types, which list all
  // of theirs here.
  std::span<const PropertySpec> properties;
  // kSco only: ID-contributing properties in the spec's order (§6.x, "ID
  // Contributing Properties"); empty means the id is always UUIDv4 (process).
  std::span<const std::string_view> id_contributing = {};
  // 2.1 deprecated this type or property set (e.g. none today); reserved for warnings.
  bool deprecated = false;
};

// Looks up a type defined by STIX 2.1; nullptr for custom or unknown types.
const TypeSpec* FindType(std::string_view type);
// All types defined by STIX 2.1, SDOs first, then SROs, SCOs, meta objects.
std::span<const TypeSpec> AllTypes();

// Common properties (§3.2) of SDOs and SROs, or of SCOs.
std::span<const PropertySpec> CommonProperties(Category category);

// The predefined SCO extensions (§6: archive-ext, ntfs-ext, pdf-ext,
// raster-image-ext, windows-pebinary-ext, http-request-ext, icmp-ext, socket-ext,
// tcp-ext, windows-process-ext, windows-service-ext, unix-account-ext), keyed by
// extension name; `on_type` is the SCO type the extension belongs to.
struct ExtensionSpec {
  std::string_view name;
  std::string_view on_type;
  std::span<const PropertySpec> properties;
};
const ExtensionSpec* FindPredefinedExtension(std::string_view name);

// Looks up a vocabulary or enumeration by name; nullptr when unknown.
const Vocabulary* FindVocabulary(std::string_view name);

// Finds a property in a span by name; nullptr when absent.
const PropertySpec* FindProperty(std::span<const PropertySpec> props, std::string_view name);

}  // namespace tessera::stix
