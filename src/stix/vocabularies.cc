// STIX 2.1 §10: every open vocabulary (-ov) and enumeration (-enum), with the
// values spelled exactly as in the OASIS Standard of 10 June 2021. The
// Vocabulary objects have external linkage in tessera::stix::detail so that the
// constant property tables in spec_table.cc can point at them; the tables are
// constant-initialized, never written, and safe to share between threads.
#include <array>
#include <string_view>

#include "stix/spec.h"

namespace tessera::stix {
namespace detail {

extern const Vocabulary kAccountTypeOv;
extern const Vocabulary kAttackMotivationOv;
extern const Vocabulary kAttackResourceLevelOv;
extern const Vocabulary kEncryptionAlgorithmEnum;
extern const Vocabulary kExtensionTypeEnum;
extern const Vocabulary kGroupingContextOv;
extern const Vocabulary kHashAlgorithmOv;
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

constexpr std::string_view kAccountTypeOvValues[] = {
    "facebook", "ldap",    "nis",  "openid",        "radius",         "skype",
    "tacacs",   "twitter", "unix", "windows-local", "windows-domain",
};
constexpr std::string_view kAttackMotivationOvValues[] = {
    "accidental",    "coercion",
    "dominance",     "ideology",
    "notoriety",     "organizational-gain",
    "personal-gain", "personal-satisfaction",
    "revenge",       "unpredictable",
};
constexpr std::string_view kAttackResourceLevelOvValues[] = {
    "individual", "club", "contest", "team", "organization", "government",
};
constexpr std::string_view kEncryptionAlgorithmEnumValues[] = {
    "AES-256-GCM",
    "ChaCha20-Poly1305",
    "mime-type-indicated",
};
constexpr std::string_view kExtensionTypeEnumValues[] = {
    "new-sdo", "new-sco", "new-sro", "property-extension", "toplevel-property-extension",
};
constexpr std::string_view kGroupingContextOvValues[] = {
    "suspicious-activity",
    "malware-analysis",
    "unspecified",
};
constexpr std::string_view kHashAlgorithmOvValues[] = {
    "MD5", "SHA-1", "SHA-256", "SHA-512", "SHA3-256", "SHA3-512", "SSDEEP", "TLSH",
};
constexpr std::string_view kIdentityClassOvValues[] = {
    "individual", "group", "system", "organization", "class", "unknown",
};
constexpr std::string_view kImplementationLanguageOvValues[] = {
    "applescript", "bash",  "c",           "c++",        "c#",           "go",         "java",
    "javascript",  "lua",   "objective-c", "perl",       "php",          "powershell", "python",
    "ruby",        "scala", "swift",       "typescript", "visual-basic", "x86-32",     "x86-64",
};
constexpr std::string_view kIndicatorTypeOvValues[] = {
    "anomalous-activity", "anonymization", "benign",  "compromised",
    "malicious-activity", "attribution",   "unknown",
};
constexpr std::string_view kIndustrySectorOvValues[] = {
    "agriculture",
    "aerospace",
    "automotive",
    "chemical",
    "commercial",
    "communications",
    "construction",
    "defense",
    "education",
    "energy",
    "entertainment",
    "financial-services",
    "government",
    "emergency-services",
    "government-national",
    "government-regional",
    "government-local",
    "government-public-services",
    "healthcare",
    "hospitality-leisure",
    "infrastructure",
    "dams",
    "nuclear",
    "water",
    "insurance",
    "manufacturing",
    "mining",
    "non-profit",
    "pharmaceuticals",
    "retail",
    "technology",
    "telecommunications",
    "transportation",
    "utilities",
};
constexpr std::string_view kInfrastructureTypeOvValues[] = {
    "amplification",   "anonymization",        "botnet",   "command-and-control", "exfiltration",
    "hosting-malware", "hosting-target-lists", "phishing", "reconnaissance",      "staging",
    "unknown",
};
constexpr std::string_view kMalwareResultOvValues[] = {
    "malicious",
    "suspicious",
    "benign",
    "unknown",
};
constexpr std::string_view kMalwareCapabilitiesOvValues[] = {
    "accesses-remote-machines",
    "anti-debugging",
    "anti-disassembly",
    "anti-emulation",
    "anti-memory-forensics",
    "anti-sandbox",
    "anti-vm",
    "captures-input-peripherals",
    "captures-output-peripherals",
    "captures-system-state-data",
    "cleans-traces-of-infection",
    "commits-fraud",
    "communicates-with-c2",
    "compromises-data-availability",
    "compromises-data-integrity",
    "compromises-system-availability",
    "controls-local-machine",
    "degrades-security-software",
    "degrades-system-updates",
    "determines-c2-server",
    "emails-spam",
    "escalates-privileges",
    "evades-av",
    "exfiltrates-data",
    "fingerprints-host",
    "hides-artifacts",
    "hides-executing-code",
    "infects-files",
    "infects-remote-machines",
    "installs-other-components",
    "persists-after-system-reboot",
    "prevents-artifact-access",
    "prevents-artifact-deletion",
    "probes-network-environment",
    "self-modifies",
    "steals-authentication-credentials",
    "violates-system-operational-integrity",
};
constexpr std::string_view kMalwareTypeOvValues[] = {
    "adware",
    "backdoor",
    "bot",
    "bootkit",
    "ddos",
    "downloader",
    "dropper",
    "exploit-kit",
    "keylogger",
    "ransomware",
    "remote-access-trojan",
    "resource-exploitation",
    "rogue-security-software",
    "rootkit",
    "screen-capture",
    "spyware",
    "trojan",
    "unknown",
    "virus",
    "webshell",
    "wiper",
    "worm",
};
constexpr std::string_view kNetworkSocketAddressFamilyEnumValues[] = {
    "AF_UNSPEC", "AF_INET", "AF_IPX", "AF_APPLETALK", "AF_NETBIOS", "AF_INET6", "AF_IRDA", "AF_BTH",
};
constexpr std::string_view kNetworkSocketTypeEnumValues[] = {
    "SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM", "SOCK_SEQPACKET",
};
constexpr std::string_view kOpinionEnumValues[] = {
    "strongly-disagree", "disagree", "neutral", "agree", "strongly-agree",
};
constexpr std::string_view kPatternTypeOvValues[] = {
    "stix", "pcre", "sigma", "snort", "suricata", "yara",
};
constexpr std::string_view kProcessorArchitectureOvValues[] = {
    "alpha", "arm", "ia-64", "mips", "powerpc", "sparc", "x86", "x86-64",
};
constexpr std::string_view kRegionOvValues[] = {
    "africa",
    "eastern-africa",
    "middle-africa",
    "northern-africa",
    "southern-africa",
    "western-africa",
    "americas",
    "latin-america-caribbean",
    "south-america",
    "caribbean",
    "central-america",
    "northern-america",
    "asia",
    "central-asia",
    "eastern-asia",
    "southern-asia",
    "south-eastern-asia",
    "western-asia",
    "europe",
    "eastern-europe",
    "northern-europe",
    "southern-europe",
    "western-europe",
    "oceania",
    "antarctica",
    "australia-new-zealand",
    "melanesia",
    "micronesia",
    "polynesia",
};
constexpr std::string_view kReportTypeOvValues[] = {
    "attack-pattern", "campaign",     "identity",      "indicator", "intrusion-set", "malware",
    "observed-data",  "threat-actor", "threat-report", "tool",      "vulnerability",
};
constexpr std::string_view kThreatActorTypeOvValues[] = {
    "activist",
    "competitor",
    "crime-syndicate",
    "criminal",
    "hacker",
    "insider-accidental",
    "insider-disgruntled",
    "nation-state",
    "sensationalist",
    "spy",
    "terrorist",
    "unknown",
};
constexpr std::string_view kThreatActorRoleOvValues[] = {
    "agent",
    "director",
    "independent",
    "infrastructure-architect",
    "infrastructure-operator",
    "malware-author",
    "sponsor",
};
constexpr std::string_view kThreatActorSophisticationOvValues[] = {
    "none", "minimal", "intermediate", "advanced", "expert", "innovator", "strategic",
};
constexpr std::string_view kToolTypeOvValues[] = {
    "denial-of-service",       "exploitation",  "information-gathering",  "network-capture",
    "credential-exploitation", "remote-access", "vulnerability-scanning", "unknown",
};
constexpr std::string_view kWindowsIntegrityLevelEnumValues[] = {
    "low",
    "medium",
    "high",
    "system",
};
constexpr std::string_view kWindowsPebinaryTypeOvValues[] = {
    "dll",
    "exe",
    "sys",
};
constexpr std::string_view kWindowsRegistryDatatypeEnumValues[] = {
    "REG_NONE",
    "REG_SZ",
    "REG_EXPAND_SZ",
    "REG_BINARY",
    "REG_DWORD",
    "REG_DWORD_BIG_ENDIAN",
    "REG_DWORD_LITTLE_ENDIAN",
    "REG_LINK",
    "REG_MULTI_SZ",
    "REG_RESOURCE_LIST",
    "REG_FULL_RESOURCE_DESCRIPTION",
    "REG_RESOURCE_REQUIREMENTS_LIST",
    "REG_QWORD",
    "REG_INVALID_TYPE",
};
constexpr std::string_view kWindowsServiceStartTypeEnumValues[] = {
    "SERVICE_AUTO_START", "SERVICE_BOOT_START",   "SERVICE_DEMAND_START",
    "SERVICE_DISABLED",   "SERVICE_SYSTEM_ALERT",
};
constexpr std::string_view kWindowsServiceTypeEnumValues[] = {
    "SERVICE_KERNEL_DRIVER",
    "SERVICE_FILE_SYSTEM_DRIVER",
    "SERVICE_WIN32_OWN_PROCESS",
    "SERVICE_WIN32_SHARE_PROCESS",
};
constexpr std::string_view kWindowsServiceStatusEnumValues[] = {
    "SERVICE_CONTINUE_PENDING", "SERVICE_PAUSE_PENDING", "SERVICE_PAUSED",  "SERVICE_RUNNING",
    "SERVICE_START_PENDING",    "SERVICE_STOP_PENDING",  "SERVICE_STOPPED",
};

}  // namespace

namespace detail {

const Vocabulary kAccountTypeOv{"account-type-ov", kAccountTypeOvValues};
const Vocabulary kAttackMotivationOv{"attack-motivation-ov", kAttackMotivationOvValues};
const Vocabulary kAttackResourceLevelOv{"attack-resource-level-ov", kAttackResourceLevelOvValues};
const Vocabulary kEncryptionAlgorithmEnum{"encryption-algorithm-enum",
                                          kEncryptionAlgorithmEnumValues};
const Vocabulary kExtensionTypeEnum{"extension-type-enum", kExtensionTypeEnumValues};
const Vocabulary kGroupingContextOv{"grouping-context-ov", kGroupingContextOvValues};
const Vocabulary kHashAlgorithmOv{"hash-algorithm-ov", kHashAlgorithmOvValues};
const Vocabulary kIdentityClassOv{"identity-class-ov", kIdentityClassOvValues};
const Vocabulary kImplementationLanguageOv{"implementation-language-ov",
                                           kImplementationLanguageOvValues};
const Vocabulary kIndicatorTypeOv{"indicator-type-ov", kIndicatorTypeOvValues};
const Vocabulary kIndustrySectorOv{"industry-sector-ov", kIndustrySectorOvValues};
const Vocabulary kInfrastructureTypeOv{"infrastructure-type-ov", kInfrastructureTypeOvValues};
const Vocabulary kMalwareResultOv{"malware-result-ov", kMalwareResultOvValues};
const Vocabulary kMalwareCapabilitiesOv{"malware-capabilities-ov", kMalwareCapabilitiesOvValues};
const Vocabulary kMalwareTypeOv{"malware-type-ov", kMalwareTypeOvValues};
const Vocabulary kNetworkSocketAddressFamilyEnum{"network-socket-address-family-enum",
                                                 kNetworkSocketAddressFamilyEnumValues};
const Vocabulary kNetworkSocketTypeEnum{"network-socket-type-enum", kNetworkSocketTypeEnumValues};
const Vocabulary kOpinionEnum{"opinion-enum", kOpinionEnumValues};
const Vocabulary kPatternTypeOv{"pattern-type-ov", kPatternTypeOvValues};
const Vocabulary kProcessorArchitectureOv{"processor-architecture-ov",
                                          kProcessorArchitectureOvValues};
const Vocabulary kRegionOv{"region-ov", kRegionOvValues};
const Vocabulary kReportTypeOv{"report-type-ov", kReportTypeOvValues};
const Vocabulary kThreatActorTypeOv{"threat-actor-type-ov", kThreatActorTypeOvValues};
const Vocabulary kThreatActorRoleOv{"threat-actor-role-ov", kThreatActorRoleOvValues};
const Vocabulary kThreatActorSophisticationOv{"threat-actor-sophistication-ov",
                                              kThreatActorSophisticationOvValues};
const Vocabulary kToolTypeOv{"tool-type-ov", kToolTypeOvValues};
const Vocabulary kWindowsIntegrityLevelEnum{"windows-integrity-level-enum",
                                            kWindowsIntegrityLevelEnumValues};
const Vocabulary kWindowsPebinaryTypeOv{"windows-pebinary-type-ov", kWindowsPebinaryTypeOvValues};
const Vocabulary kWindowsRegistryDatatypeEnum{"windows-registry-datatype-enum",
                                              kWindowsRegistryDatatypeEnumValues};
const Vocabulary kWindowsServiceStartTypeEnum{"windows-service-start-type-enum",
                                              kWindowsServiceStartTypeEnumValues};
const Vocabulary kWindowsServiceTypeEnum{"windows-service-type-enum",
                                         kWindowsServiceTypeEnumValues};
const Vocabulary kWindowsServiceStatusEnum{"windows-service-status-enum",
                                           kWindowsServiceStatusEnumValues};
}  // namespace detail

namespace {

// Sorted by name for the binary search in FindVocabulary.
constexpr std::array<const Vocabulary*, 32> kAllVocabularies = {
    &detail::kAccountTypeOv,
    &detail::kAttackMotivationOv,
    &detail::kAttackResourceLevelOv,
    &detail::kEncryptionAlgorithmEnum,
    &detail::kExtensionTypeEnum,
    &detail::kGroupingContextOv,
    &detail::kHashAlgorithmOv,
    &detail::kIdentityClassOv,
    &detail::kImplementationLanguageOv,
    &detail::kIndicatorTypeOv,
    &detail::kIndustrySectorOv,
    &detail::kInfrastructureTypeOv,
    &detail::kMalwareCapabilitiesOv,
    &detail::kMalwareResultOv,
    &detail::kMalwareTypeOv,
    &detail::kNetworkSocketAddressFamilyEnum,
    &detail::kNetworkSocketTypeEnum,
    &detail::kOpinionEnum,
    &detail::kPatternTypeOv,
    &detail::kProcessorArchitectureOv,
    &detail::kRegionOv,
    &detail::kReportTypeOv,
    &detail::kThreatActorRoleOv,
    &detail::kThreatActorSophisticationOv,
    &detail::kThreatActorTypeOv,
    &detail::kToolTypeOv,
    &detail::kWindowsIntegrityLevelEnum,
    &detail::kWindowsPebinaryTypeOv,
    &detail::kWindowsRegistryDatatypeEnum,
    &detail::kWindowsServiceStartTypeEnum,
    &detail::kWindowsServiceStatusEnum,
    &detail::kWindowsServiceTypeEnum,
};

}  // namespace

const Vocabulary* FindVocabulary(std::string_view name) {
  size_t lo = 0;
  size_t hi = kAllVocabularies.size();
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    const std::string_view candidate = kAllVocabularies[mid]->name;
    if (candidate == name) return kAllVocabularies[mid];
    if (candidate < name) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return nullptr;
}

}  // namespace tessera::stix
