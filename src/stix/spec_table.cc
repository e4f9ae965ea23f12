// The STIX 2.1 object model as constant tables (OASIS Standard, 10 June 2021):
// common properties (§3.2), the 19 SDOs (§4), 2 SROs (§5), 18 SCOs and their
// predefined extensions (§6), and the meta objects (§7). Everything here is
// constant-initialized and never written, so it is safe to share between threads.
#include <string_view>

#include "stix/spec.h"

namespace tessera::stix {
namespace detail {

// Defined in vocabularies.cc.
extern const Vocabulary kAccountTypeOv;
extern const Vocabulary kAttackMotivationOv;
extern const Vocabulary kAttackResourceLevelOv;
extern const Vocabulary kEncryptionAlgorithmEnum;
extern const Vocabulary kExtensionTypeEnum;
extern const Vocabulary kGroupingContextOv;
extern const Vocabulary kIdentityClassOv;
extern const Vocabulary kImplementationLanguageOv;
extern const Vocabulary kIndicatorTypeOv;
extern const Vocabulary kIndustrySectorOv;
extern const Vocabulary kInfrastructureTypeOv;
extern const Vocabulary kMalwareResultOv;
extern const Vocabulary kMalwareCapabilitiesOv;
extern const Vocabulary kMalwareTypeOv;
extern const Vocabulary kNetworkSocketAddressFamilyEnum;
extern const Vocabulary kNetworkSocketTypeEnum;
extern const Vocabulary kOpinionEnum;
extern const Vocabulary kPatternTypeOv;
extern const Vocabulary kProcessorArchitectureOv;
extern const Vocabulary kRegionOv;
extern const Vocabulary kReportTypeOv;
extern const Vocabulary kThreatActorTypeOv;
extern const Vocabulary kThreatActorRoleOv;
extern const Vocabulary kThreatActorSophisticationOv;
extern const Vocabulary kToolTypeOv;
extern const Vocabulary kWindowsIntegrityLevelEnum;
extern const Vocabulary kWindowsPebinaryTypeOv;
extern const Vocabulary kWindowsRegistryDatatypeEnum;
extern const Vocabulary kWindowsServiceStartTypeEnum;
extern const Vocabulary kWindowsServiceTypeEnum;
extern const Vocabulary kWindowsServiceStatusEnum;

}  // namespace detail

namespace {

using detail::kAccountTypeOv;
using detail::kAttackMotivationOv;
using detail::kAttackResourceLevelOv;
using detail::kEncryptionAlgorithmEnum;
using detail::kExtensionTypeEnum;
using detail::kGroupingContextOv;
using detail::kIdentityClassOv;
using detail::kImplementationLanguageOv;
using detail::kIndicatorTypeOv;
using detail::kIndustrySectorOv;
using detail::kInfrastructureTypeOv;
using detail::kMalwareCapabilitiesOv;
using detail::kMalwareResultOv;
using detail::kMalwareTypeOv;
using detail::kNetworkSocketAddressFamilyEnum;
using detail::kNetworkSocketTypeEnum;
using detail::kOpinionEnum;
using detail::kPatternTypeOv;
using detail::kProcessorArchitectureOv;
using detail::kRegionOv;
using detail::kReportTypeOv;
using detail::kThreatActorRoleOv;
using detail::kThreatActorSophisticationOv;
using detail::kThreatActorTypeOv;
using detail::kToolTypeOv;
using detail::kWindowsIntegrityLevelEnum;
using detail::kWindowsPebinaryTypeOv;
using detail::kWindowsRegistryDatatypeEnum;
using detail::kWindowsServiceStartTypeEnum;
using detail::kWindowsServiceStatusEnum;
using detail::kWindowsServiceTypeEnum;

using sv = std::string_view;

// §2.4 / §6: the largest count STIX allows for number_observed and count.
constexpr int64_t kMaxObservedCount = 999999999;

// --- Reference targets -------------------------------------------------------

constexpr sv kToAny[] = {"<any>"};
constexpr sv kToSdo[] = {"<sdo>"};
constexpr sv kToSco[] = {"<sco>"};
constexpr sv kToSdoOrSco[] = {"<sdo>", "<sco>"};
constexpr sv kToScoOrSro[] = {"<sco>", "<sro>"};
constexpr sv kToIdentity[] = {"identity"};
constexpr sv kToMarkingDefinition[] = {"marking-definition"};
constexpr sv kToObservedData[] = {"observed-data"};
constexpr sv kToIdentityOrLocation[] = {"identity", "location"};
constexpr sv kToSoftware[] = {"software"};
constexpr sv kToFileOrArtifact[] = {"file", "artifact"};
constexpr sv kToMalwareSample[] = {"file", "network-traffic", "artifact"};
constexpr sv kToArtifact[] = {"artifact"};
constexpr sv kToArtifactOrFile[] = {"artifact", "file"};
constexpr sv kToFile[] = {"file"};
constexpr sv kToFileOrDirectory[] = {"file", "directory"};
constexpr sv kToDirectory[] = {"directory"};
constexpr sv kToDomainResolution[] = {"ipv4-addr", "ipv6-addr", "domain-name"};
constexpr sv kToEmailAddr[] = {"email-addr"};
constexpr sv kToUserAccount[] = {"user-account"};
constexpr sv kToMacAddr[] = {"mac-addr"};
constexpr sv kToAutonomousSystem[] = {"autonomous-system"};
constexpr sv kToNetworkEndpoint[] = {"ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"};
constexpr sv kToNetworkTraffic[] = {"network-traffic"};
constexpr sv kToProcess[] = {"process"};

// --- Common properties (§3.2) --------------------------------------------------

constexpr PropertySpec kSdoSroCommon[] = {
    {.name = "type", .kind = Kind::kString, .required = true},
    {.name = "spec_version", .kind = Kind::kString, .required = true},
    {.name = "id", .kind = Kind::kIdentifier, .required = true},
    {.name = "created_by_ref", .kind = Kind::kIdentifier, .ref_types = kToIdentity},
    {.name = "created", .kind = Kind::kTimestamp, .required = true},
    {.name = "modified", .kind = Kind::kTimestamp, .required = true},
    {.name = "revoked", .kind = Kind::kBoolean},
    {.name = "labels", .kind = Kind::kStringList},
    {.name = "confidence", .kind = Kind::kInteger, .min = 0, .max = 100},
    {.name = "lang", .kind = Kind::kString},
    {.name = "external_references", .kind = Kind::kExternalReferences},
    {.name = "object_marking_refs",
     .kind = Kind::kIdentifierList,
     .ref_types = kToMarkingDefinition},
    {.name = "granular_markings", .kind = Kind::kGranularMarkings},
    {.name = "extensions", .kind = Kind::kExtensions},
};

// §3.2 / §6.1: spec_version is optional on SCOs, id is required.
constexpr PropertySpec kScoCommon[] = {
    {.name = "type", .kind = Kind::kString, .required = true},
    {.name = "spec_version", .kind = Kind::kString},
    {.name = "id", .kind = Kind::kIdentifier, .required = true},
    {.name = "object_marking_refs",
     .kind = Kind::kIdentifierList,
     .ref_types = kToMarkingDefinition},
    {.name = "granular_markings", .kind = Kind::kGranularMarkings},
    {.name = "defanged", .kind = Kind::kBoolean},
    {.name = "extensions", .kind = Kind::kExtensions},
};

// --- SDOs (§4) -----------------------------------------------------------------

constexpr PropertySpec kAttackPattern[] = {
    {.name = "name", .kind = Kind::kString, .required = true},
    {.name = "description", .kind = Kind::kString},
    {.name = "aliases", .kind = Kind::kStringList},
    {.name = "kill_chain_phases", .kind = Kind::kKillChainPhases},
};

constexpr PropertySpec kCampaign[] = {
    {.name = "name", .kind = Kind::kString, .required = true},
    {.name = "description", .kind = Kind::kString},
    {.name = "aliases", .kind = Kind::kStringList},
    {.name = "first_seen", .kind = Kind::kTimestamp},
    {.name = "last_seen", .kind = Kind::kTimestamp},
    {.name = "objective", .kind = Kind::kString},
};

// §4.3: action_type, os_execution_envs, action_bin and action_reference are
// reserved for a future version and not listed.
constexpr PropertySpec kCourseOfAction[] = {
    {.name = "name", .kind = Kind::kString, .required = true},
    {.name = "description", .kind = Kind::kString},
};

constexpr PropertySpec kGrouping[] = {
    {.name = "name", .kind = Kind::kString},
    {.name = "description", .kind = Kind::kString},
    {.name = "context", .kind = Kind::kOpenVocab, .required = true, .vocab = &kGroupingContextOv},
    {.name = "object_refs", .kind = Kind::kIdentifierList, .required = true, .ref_types = kToAny},
};

constexpr PropertySpec kIdentity[] = {
    {.name = "name", .kind = Kind::kString, .required = true},
    {.name = "description", .kind = Kind::kString},
    {.name = "roles", .kind = Kind::kStringList},
    {.name = "identity_class", .kind = Kind::kOpenVocab, .vocab = &kIdentityClassOv},
    {.name = "sectors", .kind = Kind::kOpenVocabList, .vocab = &kIndustrySectorOv},
    {.name = "contact_information", .kind = Kind::kString},
};

// §4.6: the 2.1 incident is a stub for future work.
constexpr PropertySpec kIncident[] = {
    {.name = "name", .kind = Kind::kString, .required = true},
    {.name = "description", .kind = Kind::kString},
    {.name = "kill_chain_phases", .kind = Kind::kKillChainPhases},
};

constexpr PropertySpec kIndicator[] = {
    {.name = "name", .kind = Kind::kString},
    {.name = "description", .kind = Kind::kString},
    {.name = "indicator_types", .kind = Kind::kOpenVocabList, .vocab = &kIndicatorTypeOv},
    {.name = "pattern", .kind = Kind::kString, .required = true},
    {.name = "pattern_type", .kind = Kind::kOpenVocab, .required = true, .vocab = &kPatternTypeOv},
    {.name = "pattern_version", .kind = Kind::kString},
    {.name = "valid_from", .kind = Kind::kTimestamp, .required = true},
    {.name = "valid_until", .kind = Kind::kTimestamp},
    {.name = "kill_chain_phases", .kind = Kind::kKillChainPhases},
};

constexpr PropertySpec kInfrastructure[] = {
    {.name = "name", .kind = Kind::kString, .required = true},
    {.name = "description", .kind = Kind::kString},
    {.name = "infrastructure_types", .kind = Kind::kOpenVocabList, .vocab = &kInfrastructureTypeOv},
    {.name = "aliases", .kind = Kind::kStringList},
    {.name = "kill_chain_phases", .kind = Kind::kKillChainPhases},
    {.name = "first_seen", .kind = Kind::kTimestamp},
    {.name = "last_seen", .kind = Kind::kTimestamp},
};

constexpr PropertySpec kIntrusionSet[] = {
    {.name = "name", .kind = Kind::kString, .required = true},
    {.name = "description", .kind = Kind::kString},
    {.name = "aliases", .kind = Kind::kStringList},
    {.name = "first_seen", .kind = Kind::kTimestamp},
    {.name = "last_seen", .kind = Kind::kTimestamp},
    {.name = "goals", .kind = Kind::kStringList},
    {.name = "resource_level", .kind = Kind::kOpenVocab, .vocab = &kAttackResourceLevelOv},
    {.name = "primary_motivation", .kind = Kind::kOpenVocab, .vocab = &kAttackMotivationOv},
    {.name = "secondary_motivations", .kind = Kind::kOpenVocabList, .vocab = &kAttackMotivationOv},
};

// §4.9: at least one of region, country, or latitude and longitude is required
// (a co-constraint the validator checks).
constexpr PropertySpec kLocation[] = {
    {.name = "name", .kind = Kind::kString},
    {.name = "description", .kind = Kind::kString},
    {.name = "latitude", .kind = Kind::kFloat, .min = -90, .max = 90},
    {.name = "longitude", .kind = Kind::kFloat, .min = -180, .max = 180},
    {.name = "precision", .kind = Kind::kFloat, .min = 0},
    {.name = "region", .kind = Kind::kOpenVocab, .vocab = &kRegionOv},
    {.name = "country", .kind = Kind::kString},
    {.name = "administrative_area", .kind = Kind::kString},
    {.name = "city", .kind = Kind::kString},
    {.name = "street_address", .kind = Kind::kString},
    {.name = "postal_code", .kind = Kind::kString},
};

// §4.10: name is required when is_family is true (checked by the validator).
constexpr PropertySpec kMalware[] = {
    {.name = "name", .kind = Kind::kString},
    {.name = "description", .kind = Kind::kString},
    {.name = "malware_types", .kind = Kind::kOpenVocabList, .vocab = &kMalwareTypeOv},
    {.name = "is_family", .kind = Kind::kBoolean, .required = true},
    {.name = "aliases", .kind = Kind::kStringList},
    {.name = "kill_chain_phases", .kind = Kind::kKillChainPhases},
    {.name = "first_seen", .kind = Kind::kTimestamp},
    {.name = "last_seen", .kind = Kind::kTimestamp},
    {.name = "operating_system_refs", .kind = Kind::kIdentifierList, .ref_types = kToSoftware},
    {.name = "architecture_execution_envs",
     .kind = Kind::kOpenVocabList,
     .vocab = &kProcessorArchitectureOv},
    {.name = "implementation_languages",
     .kind = Kind::kOpenVocabList,
     .vocab = &kImplementationLanguageOv},
    {.name = "capabilities", .kind = Kind::kOpenVocabList, .vocab = &kMalwareCapabilitiesOv},
    {.name = "sample_refs", .kind = Kind::kIdentifierList, .ref_types = kToFileOrArtifact},
};

// §4.11: one of result or analysis_sco_refs is required (validator co-constraint).
constexpr PropertySpec kMalwareAnalysis[] = {
    {.name = "product", .kind = Kind::kString, .required = true},
    {.name = "version", .kind = Kind::kString},
    {.name = "host_vm_ref", .kind = Kind::kIdentifier, .ref_types = kToSoftware},
    {.name = "operating_system_ref", .kind = Kind::kIdentifier, .ref_types = kToSoftware},
    {.name = "installed_software_refs", .kind = Kind::kIdentifierList, .ref_types = kToSoftware},
    {.name = "configuration_version", .kind = Kind::kString},
    {.name = "modules", .kind = Kind::kStringList},
    {.name = "analysis_engine_version", .kind = Kind::kString},
    {.name = "analysis_definition_version", .kind = Kind::kString},
    {.name = "submitted", .kind = Kind::kTimestamp},
    {.name = "analysis_started", .kind = Kind::kTimestamp},
    {.name = "analysis_ended", .kind = Kind::kTimestamp},
    {.name = "result_name", .kind = Kind::kString},
    {.name = "result", .kind = Kind::kOpenVocab, .vocab = &kMalwareResultOv},
    {.name = "analysis_sco_refs", .kind = Kind::kIdentifierList, .ref_types = kToSco},
    {.name = "sample_ref", .kind = Kind::kIdentifier, .ref_types = kToMalwareSample},
};

constexpr PropertySpec kNote[] = {
    {.name = "abstract", .kind = Kind::kString},
    {.name = "content", .kind = Kind::kString, .required = true},
    {.name = "authors", .kind = Kind::kStringList},
    {.name = "object_refs", .kind = Kind::kIdentifierList, .required = true, .ref_types = kToAny},
};

// §4.13: objects is deprecated in 2.1 but still allowed; exactly one of objects
// and object_refs must be present (validator co-constraint).
constexpr PropertySpec kObservedData[] = {
    {.name = "first_observed", .kind = Kind::kTimestamp, .required = true},
    {.name = "last_observed", .kind = Kind::kTimestamp, .required = true},
    {.name = "number_observed",
     .kind = Kind::kInteger,
     .required = true,
     .min = 1,
     .max = kMaxObservedCount},
    {.name = "objects", .kind = Kind::kDictionary},
    {.name = "object_refs", .kind = Kind::kIdentifierList, .ref_types = kToScoOrSro},
};

constexpr PropertySpec kOpinion[] = {
    {.name = "explanation", .kind = Kind::kString},
    {.name = "authors", .kind = Kind::kStringList},
    {.name = "opinion", .kind = Kind::kEnum, .required = true, .vocab = &kOpinionEnum},
    {.name = "object_refs", .kind = Kind::kIdentifierList, .required = true, .ref_types = kToAny},
};

constexpr PropertySpec kReport[] = {
    {.name = "name", .kind = Kind::kString, .required = true},
    {.name = "description", .kind = Kind::kString},
    {.name = "report_types", .kind = Kind::kOpenVocabList, .vocab = &kReportTypeOv},
    {.name = "published", .kind = Kind::kTimestamp, .required = true},
    {.name = "object_refs", .kind = Kind::kIdentifierList, .required = true, .ref_types = kToAny},
};

constexpr PropertySpec kThreatActor[] = {
    {.name = "name", .kind = Kind::kString, .required = true},
    {.name = "description", .kind = Kind::kString},
    {.name = "threat_actor_types", .kind = Kind::kOpenVocabList, .vocab = &kThreatActorTypeOv},
    {.name = "aliases", .kind = Kind::kStringList},
    {.name = "first_seen", .kind = Kind::kTimestamp},
    {.name = "last_seen", .kind = Kind::kTimestamp},
    {.name = "roles", .kind = Kind::kOpenVocabList, .vocab = &kThreatActorRoleOv},
    {.name = "goals", .kind = Kind::kStringList},
    {.name = "sophistication", .kind = Kind::kOpenVocab, .vocab = &kThreatActorSophisticationOv},
    {.name = "resource_level", .kind = Kind::kOpenVocab, .vocab = &kAttackResourceLevelOv},
    {.name = "primary_motivation", .kind = Kind::kOpenVocab, .vocab = &kAttackMotivationOv},
    {.name = "secondary_motivations", .kind = Kind::kOpenVocabList, .vocab = &kAttackMotivationOv},
    {.name = "personal_motivations", .kind = Kind::kOpenVocabList, .vocab = &kAttackMotivationOv},
};

constexpr PropertySpec kTool[] = {
    {.name = "name", .kind = Kind::kString, .required = true},
    {.name = "description", .kind = Kind::kString},
    {.name = "tool_types", .kind = Kind::kOpenVocabList, .vocab = &kToolTypeOv},
    {.name = "aliases", .kind = Kind::kStringList},
    {.name = "kill_chain_phases", .kind = Kind::kKillChainPhases},
    {.name = "tool_version", .kind = Kind::kString},
};

constexpr PropertySpec kVulnerability[] = {
    {.name = "name", .kind = Kind::kString, .required = true},
    {.name = "description", .kind = Kind::kString},
};

// --- SROs (§5) -------------------------------------------------------------------

constexpr PropertySpec kRelationship[] = {
    {.name = "relationship_type", .kind = Kind::kString, .required = true},
    {.name = "description", .kind = Kind::kString},
    {.name = "source_ref", .kind = Kind::kIdentifier, .required = true, .ref_types = kToSdoOrSco},
    {.name = "target_ref", .kind = Kind::kIdentifier, .required = true, .ref_types = kToSdoOrSco},
    {.name = "start_time", .kind = Kind::kTimestamp},
    {.name = "stop_time", .kind = Kind::kTimestamp},
};

constexpr PropertySpec kSighting[] = {
    {.name = "description", .kind = Kind::kString},
    {.name = "first_seen", .kind = Kind::kTimestamp},
    {.name = "last_seen", .kind = Kind::kTimestamp},
    {.name = "count", .kind = Kind::kInteger, .min = 0, .max = kMaxObservedCount},
    {.name = "sighting_of_ref", .kind = Kind::kIdentifier, .required = true, .ref_types = kToSdo},
    {.name = "observed_data_refs", .kind = Kind::kIdentifierList, .ref_types = kToObservedData},
    {.name = "where_sighted_refs",
     .kind = Kind::kIdentifierList,
     .ref_types = kToIdentityOrLocation},
    {.name = "summary", .kind = Kind::kBoolean},
};

// --- SCOs (§6) -------------------------------------------------------------------

// §6.1: one of payload_bin or url must be present (validator co-constraint).
constexpr PropertySpec kArtifact[] = {
    {.name = "mime_type", .kind = Kind::kString},
    {.name = "payload_bin", .kind = Kind::kBinary},
    {.name = "url", .kind = Kind::kUrl},
    {.name = "hashes", .kind = Kind::kHashes},
    {.name = "encryption_algorithm", .kind = Kind::kEnum, .vocab = &kEncryptionAlgorithmEnum},
    {.name = "decryption_key", .kind = Kind::kString},
};
constexpr sv kArtifactId[] = {"hashes", "payload_bin"};

constexpr PropertySpec kAutonomousSystem[] = {
    {.name = "number", .kind = Kind::kInteger, .required = true, .min = 0},
    {.name = "name", .kind = Kind::kString},
    {.name = "rir", .kind = Kind::kString},
};
constexpr sv kAutonomousSystemId[] = {"number"};

constexpr PropertySpec kDirectory[] = {
    {.name = "path", .kind = Kind::kString, .required = true},
    {.name = "path_enc", .kind = Kind::kString},
    {.name = "ctime", .kind = Kind::kTimestamp},
    {.name = "mtime", .kind = Kind::kTimestamp},
    {.name = "atime", .kind = Kind::kTimestamp},
    {.name = "contains_refs", .kind = Kind::kIdentifierList, .ref_types = kToFileOrDirectory},
};
constexpr sv kDirectoryId[] = {"path"};

constexpr PropertySpec kDomainName[] = {
    {.name = "value", .kind = Kind::kString, .required = true},
    {.name = "resolves_to_refs", .kind = Kind::kIdentifierList, .ref_types = kToDomainResolution},
};
constexpr sv kValueId[] = {"value"};

constexpr PropertySpec kEmailAddr[] = {
    {.name = "value", .kind = Kind::kString, .required = true},
    {.name = "display_name", .kind = Kind::kString},
    {.name = "belongs_to_ref", .kind = Kind::kIdentifier, .ref_types = kToUserAccount},
};

// §6.6.2 MIME part type.
constexpr PropertySpec kEmailMimePart[] = {
    {.name = "body", .kind = Kind::kString},
    {.name = "body_raw_ref", .kind = Kind::kIdentifier, .ref_types = kToArtifactOrFile},
    {.name = "content_type", .kind = Kind::kString},
    {.name = "content_disposition", .kind = Kind::kString},
};

constexpr PropertySpec kEmailMessage[] = {
    {.name = "is_multipart", .kind = Kind::kBoolean, .required = true},
    {.name = "date", .kind = Kind::kTimestamp},
    {.name = "content_type", .kind = Kind::kString},
    {.name = "from_ref", .kind = Kind::kIdentifier, .ref_types = kToEmailAddr},
    {.name = "sender_ref", .kind = Kind::kIdentifier, .ref_types = kToEmailAddr},
    {.name = "to_refs", .kind = Kind::kIdentifierList, .ref_types = kToEmailAddr},
    {.name = "cc_refs", .kind = Kind::kIdentifierList, .ref_types = kToEmailAddr},
    {.name = "bcc_refs", .kind = Kind::kIdentifierList, .ref_types = kToEmailAddr},
    {.name = "message_id", .kind = Kind::kString},
    {.name = "subject", .kind = Kind::kString},
    {.name = "received_lines", .kind = Kind::kStringList},
    {.name = "additional_header_fields", .kind = Kind::kDictionary},
    {.name = "body", .kind = Kind::kString},
    {.name = "body_multipart", .kind = Kind::kObjectList, .fields = kEmailMimePart},
    {.name = "raw_email_ref", .kind = Kind::kIdentifier, .ref_types = kToArtifact},
};
constexpr sv kEmailMessageId[] = {"from_ref", "subject", "body"};

// §6.7: at least one of hashes or name is required (validator co-constraint).
constexpr PropertySpec kFile[] = {
    {.name = "hashes", .kind = Kind::kHashes},
    {.name = "size", .kind = Kind::kInteger, .min = 0},
    {.name = "name", .kind = Kind::kString},
    {.name = "name_enc", .kind = Kind::kString},
    {.name = "magic_number_hex", .kind = Kind::kHex},
    {.name = "mime_type", .kind = Kind::kString},
    {.name = "ctime", .kind = Kind::kTimestamp},
    {.name = "mtime", .kind = Kind::kTimestamp},
    {.name = "atime", .kind = Kind::kTimestamp},
    {.name = "parent_directory_ref", .kind = Kind::kIdentifier, .ref_types = kToDirectory},
    {.name = "contains_refs", .kind = Kind::kIdentifierList, .ref_types = kToSco},
    {.name = "content_ref", .kind = Kind::kIdentifier, .ref_types = kToArtifact},
};
constexpr sv kFileId[] = {"hashes", "name", "extensions", "parent_directory_ref"};

constexpr PropertySpec kIpv4Addr[] = {
    {.name = "value", .kind = Kind::kString, .required = true},
    {.name = "resolves_to_refs", .kind = Kind::kIdentifierList, .ref_types = kToMacAddr},
    {.name = "belongs_to_refs", .kind = Kind::kIdentifierList, .ref_types = kToAutonomousSystem},
};

constexpr PropertySpec kIpv6Addr[] = {
    {.name = "value", .kind = Kind::kString, .required = true},
    {.name = "resolves_to_refs", .kind = Kind::kIdentifierList, .ref_types = kToMacAddr},
    {.name = "belongs_to_refs", .kind = Kind::kIdentifierList, .ref_types = kToAutonomousSystem},
};

constexpr PropertySpec kMacAddr[] = {
    {.name = "value", .kind = Kind::kString, .required = true},
};

constexpr PropertySpec kMutex[] = {
    {.name = "name", .kind = Kind::kString, .required = true},
};
constexpr sv kMutexId[] = {"name"};

// §6.12: at least one of src_ref or dst_ref is required (validator co-constraint).
constexpr PropertySpec kNetworkTraffic[] = {
    {.name = "start", .kind = Kind::kTimestamp},
    {.name = "end", .kind = Kind::kTimestamp},
    {.name = "is_active", .kind = Kind::kBoolean},
    {.name = "src_ref", .kind = Kind::kIdentifier, .ref_types = kToNetworkEndpoint},
    {.name = "dst_ref", .kind = Kind::kIdentifier, .ref_types = kToNetworkEndpoint},
    {.name = "src_port", .kind = Kind::kInteger, .min = 0, .max = 65535},
    {.name = "dst_port", .kind = Kind::kInteger, .min = 0, .max = 65535},
    {.name = "protocols", .kind = Kind::kStringList, .required = true},
    {.name = "src_byte_count", .kind = Kind::kInteger, .min = 0},
    {.name = "dst_byte_count", .kind = Kind::kInteger, .min = 0},
    {.name = "src_packets", .kind = Kind::kInteger, .min = 0},
    {.name = "dst_packets", .kind = Kind::kInteger, .min = 0},
    {.name = "ipfix", .kind = Kind::kDictionary},
    {.name = "src_payload_ref", .kind = Kind::kIdentifier, .ref_types = kToArtifact},
    {.name = "dst_payload_ref", .kind = Kind::kIdentifier, .ref_types = kToArtifact},
    {.name = "encapsulates_refs", .kind = Kind::kIdentifierList, .ref_types = kToNetworkTraffic},
    {.name = "encapsulated_by_ref", .kind = Kind::kIdentifier, .ref_types = kToNetworkTraffic},
};
constexpr sv kNetworkTrafficId[] = {"start",    "end",      "src_ref",   "dst_ref",
                                    "src_port", "dst_port", "protocols", "extensions"};

constexpr PropertySpec kProcess[] = {
    {.name = "is_hidden", .kind = Kind::kBoolean},
    {.name = "pid", .kind = Kind::kInteger},
    {.name = "created_time", .kind = Kind::kTimestamp},
    {.name = "cwd", .kind = Kind::kString},
    {.name = "command_line", .kind = Kind::kString},
    {.name = "environment_variables", .kind = Kind::kDictionary},
    {.name = "opened_connection_refs",
     .kind = Kind::kIdentifierList,
     .ref_types = kToNetworkTraffic},
    {.name = "creator_user_ref", .kind = Kind::kIdentifier, .ref_types = kToUserAccount},
    {.name = "image_ref", .kind = Kind::kIdentifier, .ref_types = kToFile},
    {.name = "parent_ref", .kind = Kind::kIdentifier, .ref_types = kToProcess},
    {.name = "child_refs", .kind = Kind::kIdentifierList, .ref_types = kToProcess},
};

constexpr PropertySpec kSoftware[] = {
    {.name = "name", .kind = Kind::kString, .required = true},
    {.name = "cpe", .kind = Kind::kString},
    {.name = "swid", .kind = Kind::kString},
    {.name = "languages", .kind = Kind::kStringList},
    {.name = "vendor", .kind = Kind::kString},
    {.name = "version", .kind = Kind::kString},
};
constexpr sv kSoftwareId[] = {"name", "cpe", "swid", "vendor", "version"};

// §6.15: the spec types url.value as a string that should be a valid URL; it is
// kept a plain string so defanged or scheme-less indicator URLs are not rejected.
constexpr PropertySpec kUrlObject[] = {
    {.name = "value", .kind = Kind::kString, .required = true},
};

constexpr PropertySpec kUserAccount[] = {
    {.name = "user_id", .kind = Kind::kString},
    {.name = "credential", .kind = Kind::kString},
    {.name = "account_login", .kind = Kind::kString},
    {.name = "account_type", .kind = Kind::kOpenVocab, .vocab = &kAccountTypeOv},
    {.name = "display_name", .kind = Kind::kString},
    {.name = "is_service_account", .kind = Kind::kBoolean},
    {.name = "is_privileged", .kind = Kind::kBoolean},
    {.name = "can_escalate_privs", .kind = Kind::kBoolean},
    {.name = "is_disabled", .kind = Kind::kBoolean},
    {.name = "account_created", .kind = Kind::kTimestamp},
    {.name = "account_expires", .kind = Kind::kTimestamp},
    {.name = "credential_last_changed", .kind = Kind::kTimestamp},
    {.name = "account_first_login", .kind = Kind::kTimestamp},
    {.name = "account_last_login", .kind = Kind::kTimestamp},
};
constexpr sv kUserAccountId[] = {"account_type", "user_id", "account_login"};

// §6.17.2 Windows registry value type.
constexpr PropertySpec kWindowsRegistryValue[] = {
    {.name = "name", .kind = Kind::kString},
    {.name = "data", .kind = Kind::kString},
    {.name = "data_type", .kind = Kind::kEnum, .vocab = &kWindowsRegistryDatatypeEnum},
};

constexpr PropertySpec kWindowsRegistryKey[] = {
    {.name = "key", .kind = Kind::kString},
    {.name = "values", .kind = Kind::kObjectList, .fields = kWindowsRegistryValue},
    {.name = "modified_time", .kind = Kind::kTimestamp},
    {.name = "creator_user_ref", .kind = Kind::kIdentifier, .ref_types = kToUserAccount},
    {.name = "number_of_subkeys", .kind = Kind::kInteger, .min = 0},
};
constexpr sv kWindowsRegistryKeyId[] = {"key", "values"};

// §6.18.2 X.509 v3 extensions type.
constexpr PropertySpec kX509V3Extensions[] = {
    {.name = "basic_constraints", .kind = Kind::kString},
    {.name = "name_constraints", .kind = Kind::kString},
    {.name = "policy_constraints", .kind = Kind::kString},
    {.name = "key_usage", .kind = Kind::kString},
    {.name = "extended_key_usage", .kind = Kind::kString},
    {.name = "subject_key_identifier", .kind = Kind::kString},
    {.name = "authority_key_identifier", .kind = Kind::kString},
    {.name = "subject_alternative_name", .kind = Kind::kString},
    {.name = "issuer_alternative_name", .kind = Kind::kString},
    {.name = "subject_directory_attributes", .kind = Kind::kString},
    {.name = "crl_distribution_points", .kind = Kind::kString},
    {.name = "inhibit_any_policy", .kind = Kind::kString},
    {.name = "private_key_usage_period_not_before", .kind = Kind::kTimestamp},
    {.name = "private_key_usage_period_not_after", .kind = Kind::kTimestamp},
    {.name = "certificate_policies", .kind = Kind::kString},
    {.name = "policy_mappings", .kind = Kind::kString},
};

constexpr PropertySpec kX509Certificate[] = {
    {.name = "is_self_signed", .kind = Kind::kBoolean},
    {.name = "hashes", .kind = Kind::kHashes},
    {.name = "version", .kind = Kind::kString},
    {.name = "serial_number", .kind = Kind::kString},
    {.name = "signature_algorithm", .kind = Kind::kString},
    {.name = "issuer", .kind = Kind::kString},
    {.name = "validity_not_before", .kind = Kind::kTimestamp},
    {.name = "validity_not_after", .kind = Kind::kTimestamp},
    {.name = "subject", .kind = Kind::kString},
    {.name = "subject_public_key_algorithm", .kind = Kind::kString},
    {.name = "subject_public_key_modulus", .kind = Kind::kString},
    {.name = "subject_public_key_exponent", .kind = Kind::kInteger},
    {.name = "x509_v3_extensions", .kind = Kind::kObject, .fields = kX509V3Extensions},
};
constexpr sv kX509CertificateId[] = {"hashes", "serial_number"};

// --- Meta objects (§7), with all their properties ------------------------------------

constexpr PropertySpec kMarkingDefinition[] = {
    {.name = "type", .kind = Kind::kString, .required = true},
    {.name = "spec_version", .kind = Kind::kString, .required = true},
    {.name = "id", .kind = Kind::kIdentifier, .required = true},
    {.name = "created_by_ref", .kind = Kind::kIdentifier, .ref_types = kToIdentity},
    {.name = "created", .kind = Kind::kTimestamp, .required = true},
    {.name = "external_references", .kind = Kind::kExternalReferences},
    {.name = "object_marking_refs",
     .kind = Kind::kIdentifierList,
     .ref_types = kToMarkingDefinition},
    {.name = "granular_markings", .kind = Kind::kGranularMarkings},
    {.name = "extensions", .kind = Kind::kExtensions},
    {.name = "name", .kind = Kind::kString},
    {.name = "definition_type", .kind = Kind::kString},
    // Its shape depends on definition_type ("tlp", "statement"); the validator checks it.
    {.name = "definition", .kind = Kind::kDictionary},
};

// §7.1: lang does not apply to language-content.
constexpr PropertySpec kLanguageContent[] = {
    {.name = "type", .kind = Kind::kString, .required = true},
    {.name = "spec_version", .kind = Kind::kString, .required = true},
    {.name = "id", .kind = Kind::kIdentifier, .required = true},
    {.name = "created_by_ref", .kind = Kind::kIdentifier, .ref_types = kToIdentity},
    {.name = "created", .kind = Kind::kTimestamp, .required = true},
    {.name = "modified", .kind = Kind::kTimestamp, .required = true},
    {.name = "revoked", .kind = Kind::kBoolean},
    {.name = "labels", .kind = Kind::kStringList},
    {.name = "confidence", .kind = Kind::kInteger, .min = 0, .max = 100},
    {.name = "external_references", .kind = Kind::kExternalReferences},
    {.name = "object_marking_refs",
     .kind = Kind::kIdentifierList,
     .ref_types = kToMarkingDefinition},
    {.name = "granular_markings", .kind = Kind::kGranularMarkings},
    {.name = "extensions", .kind = Kind::kExtensions},
    {.name = "object_ref", .kind = Kind::kIdentifier, .required = true, .ref_types = kToAny},
    {.name = "object_modified", .kind = Kind::kTimestamp},
    {.name = "contents", .kind = Kind::kDictionary, .required = true},
};

// §7.3: created_by_ref is required here; confidence and lang do not apply.
constexpr PropertySpec kExtensionDefinition[] = {
    {.name = "type", .kind = Kind::kString, .required = true},
    {.name = "spec_version", .kind = Kind::kString, .required = true},
    {.name = "id", .kind = Kind::kIdentifier, .required = true},
    {.name = "created_by_ref",
     .kind = Kind::kIdentifier,
     .required = true,
     .ref_types = kToIdentity},
    {.name = "created", .kind = Kind::kTimestamp, .required = true},
    {.name = "modified", .kind = Kind::kTimestamp, .required = true},
    {.name = "revoked", .kind = Kind::kBoolean},
    {.name = "labels", .kind = Kind::kStringList},
    {.name = "external_references", .kind = Kind::kExternalReferences},
    {.name = "object_marking_refs",
     .kind = Kind::kIdentifierList,
     .ref_types = kToMarkingDefinition},
    {.name = "granular_markings", .kind = Kind::kGranularMarkings},
    {.name = "extensions", .kind = Kind::kExtensions},
    {.name = "name", .kind = Kind::kString, .required = true},
    {.name = "description", .kind = Kind::kString},
    {.name = "schema", .kind = Kind::kString, .required = true},
    {.name = "version", .kind = Kind::kString, .required = true},
    {.name = "extension_types",
     .kind = Kind::kEnumList,
     .required = true,
     .vocab = &kExtensionTypeEnum},
    {.name = "extension_properties", .kind = Kind::kStringList},
};

// --- The type table ----------------------------------------------------------------

constexpr TypeSpec kTypes[] = {
    // SDOs (§4)
    {.type = "attack-pattern", .category = Category::kSdo, .properties = kAttackPattern},
    {.type = "campaign", .category = Category::kSdo, .properties = kCampaign},
    {.type = "course-of-action", .category = Category::kSdo, .properties = kCourseOfAction},
    {.type = "grouping", .category = Category::kSdo, .properties = kGrouping},
    {.type = "identity", .category = Category::kSdo, .properties = kIdentity},
    {.type = "incident", .category = Category::kSdo, .properties = kIncident},
    {.type = "indicator", .category = Category::kSdo, .properties = kIndicator},
    {.type = "infrastructure", .category = Category::kSdo, .properties = kInfrastructure},
    {.type = "intrusion-set", .category = Category::kSdo, .properties = kIntrusionSet},
    {.type = "location", .category = Category::kSdo, .properties = kLocation},
    {.type = "malware", .category = Category::kSdo, .properties = kMalware},
    {.type = "malware-analysis", .category = Category::kSdo, .properties = kMalwareAnalysis},
    {.type = "note", .category = Category::kSdo, .properties = kNote},
    {.type = "observed-data", .category = Category::kSdo, .properties = kObservedData},
    {.type = "opinion", .category = Category::kSdo, .properties = kOpinion},
    {.type = "report", .category = Category::kSdo, .properties = kReport},
    {.type = "threat-actor", .category = Category::kSdo, .properties = kThreatActor},
    {.type = "tool", .category = Category::kSdo, .properties = kTool},
    {.type = "vulnerability", .category = Category::kSdo, .properties = kVulnerability},
    // SROs (§5)
    {.type = "relationship", .category = Category::kSro, .properties = kRelationship},
    {.type = "sighting", .category = Category::kSro, .properties = kSighting},
    // SCOs (§6)
    {.type = "artifact",
     .category = Category::kSco,
     .properties = kArtifact,
     .id_contributing = kArtifactId},
    {.type = "autonomous-system",
     .category = Category::kSco,
     .properties = kAutonomousSystem,
     .id_contributing = kAutonomousSystemId},
    {.type = "directory",
     .category = Category::kSco,
     .properties = kDirectory,
     .id_contributing = kDirectoryId},
    {.type = "domain-name",
     .category = Category::kSco,
     .properties = kDomainName,
     .id_contributing = kValueId},
    {.type = "email-addr",
     .category = Category::kSco,
     .properties = kEmailAddr,
     .id_contributing = kValueId},
    {.type = "email-message",
     .category = Category::kSco,
     .properties = kEmailMessage,
     .id_contributing = kEmailMessageId},
    {.type = "file", .category = Category::kSco, .properties = kFile, .id_contributing = kFileId},
    {.type = "ipv4-addr",
     .category = Category::kSco,
     .properties = kIpv4Addr,
     .id_contributing = kValueId},
    {.type = "ipv6-addr",
     .category = Category::kSco,
     .properties = kIpv6Addr,
     .id_contributing = kValueId},
    {.type = "mac-addr",
     .category = Category::kSco,
     .properties = kMacAddr,
     .id_contributing = kValueId},
    {.type = "mutex",
     .category = Category::kSco,
     .properties = kMutex,
     .id_contributing = kMutexId},
    {.type = "network-traffic",
     .category = Category::kSco,
     .properties = kNetworkTraffic,
     .id_contributing = kNetworkTrafficId},
    // §6.11: process has no ID-contributing properties; its id is always UUIDv4.
    {.type = "process", .category = Category::kSco, .properties = kProcess},
    {.type = "software",
     .category = Category::kSco,
     .properties = kSoftware,
     .id_contributing = kSoftwareId},
    {.type = "url",
     .category = Category::kSco,
     .properties = kUrlObject,
     .id_contributing = kValueId},
    {.type = "user-account",
     .category = Category::kSco,
     .properties = kUserAccount,
     .id_contributing = kUserAccountId},
    {.type = "windows-registry-key",
     .category = Category::kSco,
     .properties = kWindowsRegistryKey,
     .id_contributing = kWindowsRegistryKeyId},
    {.type = "x509-certificate",
     .category = Category::kSco,
     .properties = kX509Certificate,
     .id_contributing = kX509CertificateId},
    // Meta objects (§7)
    {.type = "marking-definition", .category = Category::kMeta, .properties = kMarkingDefinition},
    {.type = "language-content", .category = Category::kMeta, .properties = kLanguageContent},
    {.type = "extension-definition",
     .category = Category::kMeta,
     .properties = kExtensionDefinition},
};

// --- Predefined SCO extensions (§6) ---------------------------------------------------

// §6.7.2 Archive File Extension.
constexpr PropertySpec kArchiveExt[] = {
    {.name = "contains_refs",
     .kind = Kind::kIdentifierList,
     .required = true,
     .ref_types = kToFileOrDirectory},
    {.name = "comment", .kind = Kind::kString},
};

// §6.7.3.2 Alternate Data Stream type.
constexpr PropertySpec kAlternateDataStream[] = {
    {.name = "name", .kind = Kind::kString, .required = true},
    {.name = "hashes", .kind = Kind::kHashes},
    {.name = "size", .kind = Kind::kInteger, .min = 0},
};

// §6.7.3 NTFS File Extension.
constexpr PropertySpec kNtfsExt[] = {
    {.name = "sid", .kind = Kind::kString},
    {.name = "alternate_data_streams", .kind = Kind::kObjectList, .fields = kAlternateDataStream},
};

// §6.7.4 PDF File Extension.
constexpr PropertySpec kPdfExt[] = {
    {.name = "version", .kind = Kind::kString},
    {.name = "is_optimized", .kind = Kind::kBoolean},
    {.name = "document_info_dict", .kind = Kind::kDictionary},
    {.name = "pdfid0", .kind = Kind::kString},
    {.name = "pdfid1", .kind = Kind::kString},
};

// §6.7.5 Raster Image File Extension.
constexpr PropertySpec kRasterImageExt[] = {
    {.name = "image_height", .kind = Kind::kInteger},
    {.name = "image_width", .kind = Kind::kInteger},
    {.name = "bits_per_pixel", .kind = Kind::kInteger},
    {.name = "exif_tags", .kind = Kind::kDictionary},
};

// §6.7.6.2 Windows PE Optional Header type.
constexpr PropertySpec kWindowsPeOptionalHeader[] = {
    {.name = "magic_hex", .kind = Kind::kHex},
    {.name = "major_linker_version", .kind = Kind::kInteger},
    {.name = "minor_linker_version", .kind = Kind::kInteger},
    {.name = "size_of_code", .kind = Kind::kInteger, .min = 0},
    {.name = "size_of_initialized_data", .kind = Kind::kInteger, .min = 0},
    {.name = "size_of_uninitialized_data", .kind = Kind::kInteger, .min = 0},
    {.name = "address_of_entry_point", .kind = Kind::kInteger},
    {.name = "base_of_code", .kind = Kind::kInteger},
    {.name = "base_of_data", .kind = Kind::kInteger},
    {.name = "image_base", .kind = Kind::kInteger},
    {.name = "section_alignment", .kind = Kind::kInteger},
    {.name = "file_alignment", .kind = Kind::kInteger},
    {.name = "major_os_version", .kind = Kind::kInteger},
    {.name = "minor_os_version", .kind = Kind::kInteger},
    {.name = "major_image_version", .kind = Kind::kInteger},
    {.name = "minor_image_version", .kind = Kind::kInteger},
    {.name = "major_subsystem_version", .kind = Kind::kInteger},
    {.name = "minor_subsystem_version", .kind = Kind::kInteger},
    {.name = "win32_version_value_hex", .kind = Kind::kHex},
    {.name = "size_of_image", .kind = Kind::kInteger, .min = 0},
    {.name = "size_of_headers", .kind = Kind::kInteger, .min = 0},
    {.name = "checksum_hex", .kind = Kind::kHex},
    {.name = "subsystem_hex", .kind = Kind::kHex},
    {.name = "dll_characteristics_hex", .kind = Kind::kHex},
    {.name = "size_of_stack_reserve", .kind = Kind::kInteger, .min = 0},
    {.name = "size_of_stack_commit", .kind = Kind::kInteger, .min = 0},
    {.name = "size_of_heap_reserve", .kind = Kind::kInteger},
    {.name = "size_of_heap_commit", .kind = Kind::kInteger},
    {.name = "loader_flags_hex", .kind = Kind::kHex},
    {.name = "number_of_rva_and_sizes", .kind = Kind::kInteger},
    {.name = "hashes", .kind = Kind::kHashes},
};

// §6.7.6.3 Windows PE Section type.
constexpr PropertySpec kWindowsPeSection[] = {
    {.name = "name", .kind = Kind::kString, .required = true},
    {.name = "size", .kind = Kind::kInteger, .min = 0},
    {.name = "entropy", .kind = Kind::kFloat},
    {.name = "hashes", .kind = Kind::kHashes},
};

// §6.7.6 Windows PE Binary File Extension.
constexpr PropertySpec kWindowsPebinaryExt[] = {
    {.name = "pe_type",
     .kind = Kind::kOpenVocab,
     .required = true,
     .vocab = &kWindowsPebinaryTypeOv},
    {.name = "imphash", .kind = Kind::kString},
    {.name = "machine_hex", .kind = Kind::kHex},
    {.name = "number_of_sections", .kind = Kind::kInteger, .min = 0},
    {.name = "time_date_stamp", .kind = Kind::kTimestamp},
    {.name = "pointer_to_symbol_table_hex", .kind = Kind::kHex},
    {.name = "number_of_symbols", .kind = Kind::kInteger, .min = 0},
    {.name = "size_of_optional_header", .kind = Kind::kInteger, .min = 0},
    {.name = "characteristics_hex", .kind = Kind::kHex},
    {.name = "file_header_hashes", .kind = Kind::kHashes},
    {.name = "optional_header", .kind = Kind::kObject, .fields = kWindowsPeOptionalHeader},
    {.name = "sections", .kind = Kind::kObjectList, .fields = kWindowsPeSection},
};

// §6.12.2 HTTP Request Extension.
constexpr PropertySpec kHttpRequestExt[] = {
    {.name = "request_method", .kind = Kind::kString, .required = true},
    {.name = "request_value", .kind = Kind::kString, .required = true},
    {.name = "request_version", .kind = Kind::kString},
    {.name = "request_header", .kind = Kind::kDictionary},
    {.name = "message_body_length", .kind = Kind::kInteger, .min = 0},
    {.name = "message_body_data_ref", .kind = Kind::kIdentifier, .ref_types = kToArtifact},
};

// §6.12.3 ICMP Extension.
constexpr PropertySpec kIcmpExt[] = {
    {.name = "icmp_type_hex", .kind = Kind::kHex, .required = true},
    {.name = "icmp_code_hex", .kind = Kind::kHex, .required = true},
};

// §6.12.4 Network Socket Extension.
constexpr PropertySpec kSocketExt[] = {
    {.name = "address_family",
     .kind = Kind::kEnum,
     .required = true,
     .vocab = &kNetworkSocketAddressFamilyEnum},
    {.name = "is_blocking", .kind = Kind::kBoolean},
    {.name = "is_listening", .kind = Kind::kBoolean},
    {.name = "options", .kind = Kind::kDictionary},
    {.name = "socket_type", .kind = Kind::kEnum, .vocab = &kNetworkSocketTypeEnum},
    {.name = "socket_descriptor", .kind = Kind::kInteger, .min = 0},
    {.name = "socket_handle", .kind = Kind::kInteger},
};

// §6.12.5 TCP Extension.
constexpr PropertySpec kTcpExt[] = {
    {.name = "src_flags_hex", .kind = Kind::kHex},
    {.name = "dst_flags_hex", .kind = Kind::kHex},
};

// §6.11.2 Windows Process Extension.
constexpr PropertySpec kWindowsProcessExt[] = {
    {.name = "aslr_enabled", .kind = Kind::kBoolean},
    {.name = "dep_enabled", .kind = Kind::kBoolean},
    {.name = "priority", .kind = Kind::kString},
    {.name = "owner_sid", .kind = Kind::kString},
    {.name = "window_title", .kind = Kind::kString},
    {.name = "startup_info", .kind = Kind::kDictionary},
    {.name = "integrity_level", .kind = Kind::kEnum, .vocab = &kWindowsIntegrityLevelEnum},
};

// §6.11.3 Windows Service Extension.
constexpr PropertySpec kWindowsServiceExt[] = {
    {.name = "service_name", .kind = Kind::kString},
    {.name = "descriptions", .kind = Kind::kStringList},
    {.name = "display_name", .kind = Kind::kString},
    {.name = "group_name", .kind = Kind::kString},
    {.name = "start_type", .kind = Kind::kEnum, .vocab = &kWindowsServiceStartTypeEnum},
    {.name = "service_dll_refs", .kind = Kind::kIdentifierList, .ref_types = kToFile},
    {.name = "service_type", .kind = Kind::kEnum, .vocab = &kWindowsServiceTypeEnum},
    {.name = "service_status", .kind = Kind::kEnum, .vocab = &kWindowsServiceStatusEnum},
};

// §6.16.2 UNIX Account Extension.
constexpr PropertySpec kUnixAccountExt[] = {
    {.name = "gid", .kind = Kind::kInteger},
    {.name = "groups", .kind = Kind::kStringList},
    {.name = "home_dir", .kind = Kind::kString},
    {.name = "shell", .kind = Kind::kString},
};

constexpr ExtensionSpec kPredefinedExtensions[] = {
    {.name = "archive-ext", .on_type = "file", .properties = kArchiveExt},
    {.name = "ntfs-ext", .on_type = "file", .properties = kNtfsExt},
    {.name = "pdf-ext", .on_type = "file", .properties = kPdfExt},
    {.name = "raster-image-ext", .on_type = "file", .properties = kRasterImageExt},
    {.name = "windows-pebinary-ext", .on_type = "file", .properties = kWindowsPebinaryExt},
    {.name = "http-request-ext", .on_type = "network-traffic", .properties = kHttpRequestExt},
    {.name = "icmp-ext", .on_type = "network-traffic", .properties = kIcmpExt},
    {.name = "socket-ext", .on_type = "network-traffic", .properties = kSocketExt},
    {.name = "tcp-ext", .on_type = "network-traffic", .properties = kTcpExt},
    {.name = "windows-process-ext", .on_type = "process", .properties = kWindowsProcessExt},
    {.name = "windows-service-ext", .on_type = "process", .properties = kWindowsServiceExt},
    {.name = "unix-account-ext", .on_type = "user-account", .properties = kUnixAccountExt},
};

}  // namespace

const char* CategoryName(Category c) {
  switch (c) {
    case Category::kSdo:
      return "sdo";
    case Category::kSro:
      return "sro";
    case Category::kSco:
      return "sco";
    case Category::kMeta:
      return "meta";
  }
  return "unknown";
}

const TypeSpec* FindType(std::string_view type) {
  for (const TypeSpec& spec : kTypes) {
    if (spec.type == type) return &spec;
  }
  return nullptr;
}

std::span<const TypeSpec> AllTypes() { return kTypes; }

std::span<const PropertySpec> CommonProperties(Category category) {
  switch (category) {
    case Category::kSdo:
    case Category::kSro:
      return kSdoSroCommon;
    case Category::kSco:
      return kScoCommon;
    case Category::kMeta:
      // Meta objects list all their properties in their TypeSpec.
      return {};
  }
  return {};
}

const ExtensionSpec* FindPredefinedExtension(std::string_view name) {
  for (const ExtensionSpec& ext : kPredefinedExtensions) {
    if (ext.name == name) return &ext;
  }
  return nullptr;
}

const PropertySpec* FindProperty(std::span<const PropertySpec> props, std::string_view name) {
  for (const PropertySpec& prop : props) {
    if (prop.name == name) return &prop;
  }
  return nullptr;
}

}  // namespace tessera::stix
