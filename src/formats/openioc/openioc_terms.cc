#include "formats/openioc/openioc_terms.h"

#include <cctype>
#include <string>
#include <string_view>

#include "formats/strings.h"

namespace tessera::formats::openioc {
namespace {

constexpr std::string_view kPeExt = "extensions.'windows-pebinary-ext'.";
constexpr std::string_view kServiceExt = "extensions.'windows-service-ext'.";
constexpr std::string_view kHttpExt = "extensions.'http-request-ext'.";

// Terms with a STIX 2.1 property (or a chosen custom one), by lower-case search term.
struct ExplicitTerm {
  std::string_view search;  // lower case
  std::string_view object_type;
  std::string_view path;    // after "<object_type>:"; a leading '+' means: prefix with an extension
  TermValue value;
  bool custom;
};

// Paths starting with these markers get the extension path prepended.
constexpr char kPe = '1';
constexpr char kService = '2';
constexpr char kHttp = '3';

constexpr ExplicitTerm kExplicit[] = {
    // FileItem: a file on disk (Mandiant MIR / HX audit).
    {"fileitem/md5sum", "file", "hashes.'MD5'", TermValue::kMd5, false},
    {"fileitem/sha1sum", "file", "hashes.'SHA-1'", TermValue::kSha1, false},
    {"fileitem/sha256sum", "file", "hashes.'SHA-256'", TermValue::kSha256, false},
    {"fileitem/filename", "file", "name", TermValue::kFileName, false},
    {"fileitem/filepath", "file", "parent_directory_ref.path", TermValue::kNone, false},
    {"fileitem/fullpath", "file", "x_openioc_full_path", TermValue::kNone, true},
    {"fileitem/sizeinbytes", "file", "size", TermValue::kNone, false},
    {"fileitem/created", "file", "ctime", TermValue::kNone, false},
    {"fileitem/modified", "file", "mtime", TermValue::kNone, false},
    {"fileitem/accessed", "file", "atime", TermValue::kNone, false},
    {"fileitem/peinfo/sections/section/name", "file", "1sections[*].name", TermValue::kNone, false},
    {"fileitem/peinfo/petimestamp", "file", "1time_date_stamp", TermValue::kNone, false},
    // fileWriteEvent / imageLoadEvent (HX events about a file).
    {"filewriteevent/md5", "file", "hashes.'MD5'", TermValue::kMd5, false},
    {"filewriteevent/filename", "file", "name", TermValue::kFileName, false},
    {"filewriteevent/filepath", "file", "parent_directory_ref.path", TermValue::kNone, false},
    {"filewriteevent/fullpath", "file", "x_openioc_full_path", TermValue::kNone, true},
    {"filewriteevent/size", "file", "size", TermValue::kNone, false},
    {"imageloadevent/filename", "file", "name", TermValue::kFileName, false},
    {"imageloadevent/filepath", "file", "parent_directory_ref.path", TermValue::kNone, false},
    {"imageloadevent/fullpath", "file", "x_openioc_full_path", TermValue::kNone, true},
    // ProcessItem / processEvent: a running process (STIX process has no name:
    // the image file's name is image_ref.name).
    {"processitem/name", "process", "image_ref.name", TermValue::kNone, false},
    {"processitem/path", "process", "image_ref.parent_directory_ref.path", TermValue::kNone, false},
    {"processitem/arguments", "process", "command_line", TermValue::kNone, false},
    {"processitem/pid", "process", "pid", TermValue::kNone, false},
    {"processitem/parentpid", "process", "parent_ref.pid", TermValue::kNone, false},
    {"processitem/username", "process", "creator_user_ref.account_login", TermValue::kNone, false},
    {"processitem/starttime", "process", "created_time", TermValue::kNone, false},
    {"processevent/processcmdline", "process", "command_line", TermValue::kNone, false},
    {"processevent/process", "process", "image_ref.name", TermValue::kNone, false},
    {"processevent/processpath", "process", "image_ref.x_openioc_full_path", TermValue::kNone,
     true},
    {"processevent/parentprocess", "process", "parent_ref.image_ref.name", TermValue::kNone,
     false},
    {"processevent/parentprocesspath", "process", "parent_ref.image_ref.x_openioc_full_path",
     TermValue::kNone, true},
    {"processevent/md5", "process", "image_ref.hashes.'MD5'", TermValue::kMd5, false},
    {"processevent/pid", "process", "pid", TermValue::kNone, false},
    {"processevent/parentpid", "process", "parent_ref.pid", TermValue::kNone, false},
    {"processevent/username", "process", "creator_user_ref.account_login", TermValue::kNone,
     false},
    {"processevent/starttime", "process", "created_time", TermValue::kNone, false},
    // ServiceItem: a Windows service (process with windows-service-ext).
    {"serviceitem/name", "process", "2service_name", TermValue::kNone, false},
    {"serviceitem/descriptivename", "process", "2display_name", TermValue::kNone, false},
    {"serviceitem/description", "process", "2descriptions[*]", TermValue::kNone, false},
    {"serviceitem/mode", "process", "2start_type", TermValue::kNone, false},
    {"serviceitem/type", "process", "2service_type", TermValue::kNone, false},
    {"serviceitem/status", "process", "2service_status", TermValue::kNone, false},
    {"serviceitem/servicedllmd5sum", "process", "2service_dll_refs[*].hashes.'MD5'",
     TermValue::kMd5, false},
    {"serviceitem/pathmd5sum", "process", "image_ref.hashes.'MD5'", TermValue::kMd5, false},
    // DNS.
    {"dnsentryitem/host", "domain-name", "value", TermValue::kDomain, false},
    {"dnsentryitem/recordname", "domain-name", "value", TermValue::kDomain, false},
    {"dnsentryitem/recorddata/host", "domain-name", "resolves_to_refs[*].value",
     TermValue::kDomain, false},
    {"dnsentryitem/recorddata/ipv4address", "domain-name", "resolves_to_refs[*].value",
     TermValue::kIp, false},
    {"dnslookupevent/hostname", "domain-name", "value", TermValue::kDomain, false},
    // Network (Mandiant network signatures), ports and HX network events.
    {"network/dns", "domain-name", "value", TermValue::kDomain, false},
    {"network/uri", "network-traffic", "3request_value", TermValue::kNone, false},
    {"network/useragent", "network-traffic", "3request_header.'User-Agent'", TermValue::kNone,
     false},
    {"network/http_referr", "network-traffic", "3request_header.'Referer'", TermValue::kNone,
     false},
    {"portitem/remoteip", "network-traffic", "dst_ref.value", TermValue::kIp, false},
    {"portitem/localip", "network-traffic", "src_ref.value", TermValue::kIp, false},
    {"portitem/remoteport", "network-traffic", "dst_port", TermValue::kNone, false},
    {"portitem/localport", "network-traffic", "src_port", TermValue::kNone, false},
    {"portitem/protocol", "network-traffic", "protocols[*]", TermValue::kNone, false},
    {"ipv4networkevent/remoteip", "network-traffic", "dst_ref.value", TermValue::kIp, false},
    {"ipv4networkevent/localip", "network-traffic", "src_ref.value", TermValue::kIp, false},
    {"ipv4networkevent/remoteport", "network-traffic", "dst_port", TermValue::kNone, false},
    {"ipv4networkevent/localport", "network-traffic", "src_port", TermValue::kNone, false},
    {"ipv4networkevent/protocol", "network-traffic", "protocols[*]", TermValue::kNone, false},
    {"urlmonitorevent/requesturl", "network-traffic", "3request_value", TermValue::kNone, false},
    {"urlmonitorevent/hostname", "network-traffic", "dst_ref.value", TermValue::kDomain, false},
    {"urlmonitorevent/urlmethod", "network-traffic", "3request_method", TermValue::kNone, false},
    {"urlmonitorevent/useragent", "network-traffic", "3request_header.'User-Agent'",
     TermValue::kNone, false},
    {"urlmonitorevent/httpheader", "network-traffic", "3x_openioc_http_header",
     TermValue::kNone, true},
    {"urlmonitorevent/remoteipaddress", "network-traffic", "dst_ref.value", TermValue::kIp,
     false},
    {"urlmonitorevent/remoteport", "network-traffic", "dst_port", TermValue::kNone, false},
    {"urlmonitorevent/localport", "network-traffic", "src_port", TermValue::kNone, false},
    {"urlhistoryitem/url", "url", "value", TermValue::kUrl, false},
    {"urlhistoryitem/hostname", "domain-name", "value", TermValue::kDomain, false},
    // E-mail.
    {"email/from", "email-message", "from_ref.value", TermValue::kEmail, false},
    {"email/to", "email-message", "to_refs[*].value", TermValue::kEmail, false},
    {"email/cc", "email-message", "cc_refs[*].value", TermValue::kEmail, false},
    {"email/subject", "email-message", "subject", TermValue::kNone, false},
    {"email/date", "email-message", "date", TermValue::kNone, false},
    {"email/attachment/name", "email-message", "body_multipart[*].body_raw_ref.name",
     TermValue::kFileName, false},
    // Registry.
    {"registryitem/keypath", "windows-registry-key", "key", TermValue::kNone, false},
    {"registryitem/valuename", "windows-registry-key", "values[*].name", TermValue::kNone, false},
    {"registryitem/text", "windows-registry-key", "values[*].data", TermValue::kNone, false},
    {"registryitem/value", "windows-registry-key", "values[*].data", TermValue::kNone, false},
    {"registryitem/type", "windows-registry-key", "values[*].data_type", TermValue::kNone, false},
    {"registryitem/modified", "windows-registry-key", "modified_time", TermValue::kNone, false},
    {"regkeyevent/keypath", "windows-registry-key", "key", TermValue::kNone, false},
    {"regkeyevent/valuename", "windows-registry-key", "values[*].name", TermValue::kNone, false},
    {"regkeyevent/text", "windows-registry-key", "values[*].data", TermValue::kNone, false},
    {"regkeyevent/value", "windows-registry-key", "values[*].data", TermValue::kNone, false},
    // Users.
    {"useritem/username", "user-account", "account_login", TermValue::kNone, false},
    {"useritem/fullname", "user-account", "display_name", TermValue::kNone, false},
};

// Documents that have a STIX object type: terms not in kExplicit become a custom
// property `x_openioc_<snake case of the rest>` on that object (or on an extension).
struct DocumentType {
  std::string_view document;  // lower case
  std::string_view object_type;
  std::string_view prefix;    // property prefix before x_openioc_...
};

constexpr DocumentType kDocuments[] = {
    {"fileitem", "file", ""},
    {"filewriteevent", "file", ""},
    {"imageloadevent", "file", ""},
    {"processitem", "process", ""},
    {"processevent", "process", ""},
    {"serviceitem", "process", kServiceExt},
    {"registryitem", "windows-registry-key", ""},
    {"regkeyevent", "windows-registry-key", ""},
    {"portitem", "network-traffic", ""},
    {"ipv4networkevent", "network-traffic", ""},
    {"urlmonitorevent", "network-traffic", ""},
    {"network", "network-traffic", ""},
    {"dnsentryitem", "domain-name", ""},
    {"dnslookupevent", "domain-name", ""},
    {"urlhistoryitem", "url", ""},
    {"email", "email-message", ""},
    {"useritem", "user-account", ""},
};

// "HookItem" -> "hook-item".
std::string KebabCase(std::string_view name) {
  std::string snake = SnakeCase(name);
  for (char& c : snake) {
    if (c == '_') c = '-';
  }
  return snake;
}

std::string ExpandPath(std::string_view path) {
  if (path.empty()) return std::string(path);
  switch (path[0]) {
    case kPe: return std::string(kPeExt) + std::string(path.substr(1));
    case kService: return std::string(kServiceExt) + std::string(path.substr(1));
    case kHttp: return std::string(kHttpExt) + std::string(path.substr(1));
    default: return std::string(path);
  }
}

}  // namespace

std::string SnakeCase(std::string_view path) {
  std::string out;
  auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto is_lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  auto separate = [&out] {
    if (!out.empty() && out.back() != '_') out += '_';
  };
  for (size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (is_upper(c)) {
      char prev = i > 0 ? path[i - 1] : '\0';
      char next = i + 1 < path.size() ? path[i + 1] : '\0';
      if (is_lower_or_digit(prev) || (is_upper(prev) && next >= 'a' && next <= 'z')) separate();
      out += static_cast<char>(c - 'A' + 'a');
    } else if (is_lower_or_digit(c)) {
      out += c;
    } else {
      separate();
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

std::optional<TermMapping> MapSearchTerm(std::string_view search) {
  size_t slash = search.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= search.size()) {
    return std::nullopt;
  }
  std::string_view document = search.substr(0, slash);
  std::string_view rest = search.substr(slash + 1);
  for (size_t i = 0; i <= rest.size(); ++i) {
    if (i == rest.size() || rest[i] == '/') {
      if (i == 0 || (i > 0 && rest[i - 1] == '/')) return std::nullopt;  // empty segment
    }
  }
  if (rest.back() == '/') return std::nullopt;

  TermMapping out;
  out.document = std::string(document);
  std::string lower = Lower(search);
  for (const ExplicitTerm& t : kExplicit) {
    if (t.search == lower) {
      out.object_type = std::string(t.object_type);
      out.object_path = out.object_type + ":" + ExpandPath(t.path);
      out.value = t.value;
      out.custom = t.custom;
      return out;
    }
  }
  std::string lower_document = Lower(document);
  std::string property = SnakeCase(rest);
  // STIX 2.1 §3.1: type and property names are at most 250 characters.
  if (property.empty() || property.size() > 200 || document.size() > 200) return std::nullopt;
  for (const DocumentType& d : kDocuments) {
    if (d.document != lower_document) continue;
    out.object_type = std::string(d.object_type);
    // PE header terms live on the PE extension, as the explicit ones do.
    std::string prefix(d.prefix);
    std::string lower_rest = Lower(rest);
    if (lower_document == "fileitem" && lower_rest.rfind("peinfo/", 0) == 0) {
      prefix = std::string(kPeExt);
      property = SnakeCase(rest.substr(7));
      if (property.empty()) property = "pe_info";
    }
    out.object_path = out.object_type + ":" + prefix + "x_openioc_" + property;
    out.custom = true;
    return out;
  }
  // No STIX object: a custom object type named after the document.
  std::string kebab = KebabCase(document);
  if (kebab.empty()) return std::nullopt;
  out.object_type = "x-openioc-" + kebab;
  if (property.size() < 3) property = "x_openioc_" + property;
  out.object_path = out.object_type + ":" + property;
  out.custom = true;
  return out;
}

}  // namespace tessera::formats::openioc
