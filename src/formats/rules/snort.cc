// Snort 2/3 and Suricata rule files, streamed a line at a time: continuation
// lines (a trailing backslash) are joined, comments skipped, rules commented out
// with '#' read as disabled rules, and each rule checked (header fields, option
// syntax and quoting, sid present and unique) and mapped to one indicator.
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/json.h"
#include "formats/rules/readers.h"
#include "formats/rules/rule_common.h"
#include "formats/stix_build.h"
#include "formats/strings.h"
#include "normalize/filename.h"

namespace tessera::formats::rules {
namespace {

using core::Json;

// The longest rule (continuation lines joined) the reader takes.
constexpr size_t kMaxRuleBytes = size_t{1} << 20;

constexpr std::string_view kActions[] = {
    "alert", "log",       "pass",      "drop",       "reject", "sdrop",   "activate",
    "dynamic", "rejectsrc", "rejectdst", "rejectboth", "block",  "react",  "rewrite"};

// Configuration lines a rules file may carry besides rules (snort.conf style);
// skipped, they are not rules.
constexpr std::string_view kDirectives[] = {"var",    "ipvar",  "portvar", "include",
                                            "config", "output", "preprocessor",
                                            "dynamicpreprocessor", "dynamicengine",
                                            "dynamicdetection"};

// Header protocols only Suricata knows (Snort 3 takes services such as http
// there too, so those decide nothing).
constexpr std::string_view kSuricataProtocols[] = {
    "tcp-pkt", "tcp-stream", "http1", "http2", "dnp3",  "enip", "modbus", "nfs",  "ikev2",
    "krb5",    "mqtt",       "rfb",   "quic",  "pgsql", "rdp",  "sip",    "snmp", "tftp",
    "ntp",     "dhcp",       "ftp-data", "websocket", "ldap", "bittorrent-dht", "pop3", "doh2"};

// Rule options only Suricata has (besides every option with a '.' in its name,
// the sticky buffers of Suricata 5 and later: http.uri, dns.query, tls.sni, ...).
constexpr std::string_view kSuricataOptions[] = {
    "dataset",       "datarep",        "xbits",          "app-layer-protocol",
    "app-layer-event", "flowint",      "pktvar",         "lua",
    "luajit",        "filestore",      "filemd5",        "filesha1",
    "filesha256",    "filemagic",      "filesize",       "filename",
    "fileext",       "tls_sni",        "tls_cert_subject", "tls_cert_issuer",
    "tls_cert_serial", "tls_cert_fingerprint", "tls_cert_notbefore", "tls_cert_notafter",
    "tls_cert_expired", "tls_cert_valid", "dns_query",   "http_user_agent",
    "http_host",     "http_request_line", "http_response_line",
    "http_accept",   "http_accept_enc", "http_accept_lang", "http_connection",
    "http_content_len", "http_content_type", "http_protocol", "http_referer",
    "http_start",    "http_server_body", 
    "bsize",         "startswith",     "endswith",       "target",
    "requires",      "prefilter",      "to_lowercase",   "to_uppercase",
    "strip_whitespace", "compress_whitespace", "dotprefix", "pcrexform",
    "url_decode",    "to_md5",         "to_sha1",        "to_sha256",
    "ja3_hash",      "ja3s_hash",      "ja3_string",     "ja3s_string",
    "ssh_proto",     "ssh_software",   "ssh_protoversion", "ssh_softwareversion",
    "frame",         "iprep",          "app-layer-state",
    "tcp_mss",       "krb5_cname",
    "krb5_sname",    "dns_opcode",     "smb_named_pipe", "smb_share",
    "dcerpc_iface",  "dcerpc_opnum",   "dcerpc_stub_data", };

// Rule options only Snort 3 has.
constexpr std::string_view kSnortOptions[] = {"service",   "rem",       "sd_pattern", "file_type",
                                              "js_data",   "http_param", "file_meta", "bufferlen",
                                              "http_raw_body", "http_true_ip", "http_version_match",
                                              "vba_data",  "script_data"};

template <size_t N>
bool In(const std::string_view (&list)[N], std::string_view s) {
  for (std::string_view item : list) {
    if (item == s) return true;
  }
  return false;
}

struct Option {
  std::string name;
  std::string value;  // raw, trimmed; empty for options without a value
  bool has_value = false;
};

struct ParsedRule {
  std::vector<std::string> header;  // action, protocol[, src, sport, dir, dst, dport]
  std::vector<Option> options;
};

std::string FirstWord(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])) && s[i] != '(') ++i;
  return std::string(s.substr(0, i));
}

bool LooksLikeRule(std::string_view s) {
  s = Trim(s);
  if (s.empty() || s.back() != ')') return false;
  return In(kActions, FirstWord(s)) && s.find('(') != std::string_view::npos;
}

// Splits the header at blanks, keeping [lists, with blanks] whole.
std::vector<std::string> SplitHeader(std::string_view header) {
  std::vector<std::string> out;
  std::string current;
  int depth = 0;
  for (char c : header) {
    if (c == '[') ++depth;
    if (c == ']' && depth > 0) --depth;
    if (depth == 0 && std::isspace(static_cast<unsigned char>(c))) {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
      continue;
    }
    current.push_back(c);
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

std::optional<std::string> ParseRule(std::string_view text, ParsedRule* rule) {
  size_t open = text.find('(');
  size_t close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return "a rule needs its options in ( )";
  }
  if (!Trim(text.substr(close + 1)).empty()) return "text after the closing ')'";
  rule->header = SplitHeader(text.substr(0, open));
  size_t n = rule->header.size();
  if (n != 2 && n != 7) {
    return "the header has " + std::to_string(n) +
           " fields; expected 'action protocol source port direction destination port' "
           "(or 'action service' in Snort 3)";
  }
  if (!In(kActions, rule->header[0])) return "unknown action '" + rule->header[0] + "'";
  if (n == 7) {
    const std::string& dir = rule->header[4];
    if (dir != "->" && dir != "<>" && dir != "=>" && dir != "<-") {
      return "bad direction '" + dir + "' (expected -> or <>)";
    }
  }
  std::string_view body = text.substr(open + 1, close - open - 1);
  size_t i = 0;
  while (i < body.size()) {
    while (i < body.size() && std::isspace(static_cast<unsigned char>(body[i]))) ++i;
    if (i >= body.size()) break;
    size_t name_begin = i;
    while (i < body.size() && (std::isalnum(static_cast<unsigned char>(body[i])) ||
                               body[i] == '_' || body[i] == '.' || body[i] == '-')) {
      ++i;
    }
    if (i == name_begin) {
      return std::string("unexpected '") + body[i] + "' where an option name should be";
    }
    Option option;
    option.name = std::string(body.substr(name_begin, i - name_begin));
    while (i < body.size() && (body[i] == ' ' || body[i] == '\t')) ++i;
    if (i < body.size() && body[i] == ':') {
      ++i;
      option.has_value = true;
      size_t value_begin = i;
      bool quoted = false;
      while (i < body.size()) {
        char c = body[i];
        if (c == '\\') {
          i += 2;
          continue;
        }
        if (c == '"') quoted = !quoted;
        if (c == ';' && !quoted) break;
        ++i;
      }
      if (quoted) return "unterminated quoted value in option '" + option.name + "'";
      option.value = std::string(Trim(body.substr(value_begin, std::min(i, body.size()) - value_begin)));
      if (i < body.size()) ++i;  // ';'
    } else if (i < body.size() && body[i] == ';') {
      ++i;
    } else if (i < body.size()) {
      return "option '" + option.name + "' is not followed by ':' or ';'";
    }
    rule->options.push_back(std::move(option));
  }
  if (rule->options.empty()) return "a rule with no options";
  return std::nullopt;
}

// The text of a "quoted" option value with \" \; \\ \: undone; nullopt when the
// value is not one quoted string.
std::optional<std::string> Unquote(std::string_view value) {
  value = Trim(value);
  if (value.size() < 2 || value.front() != '"' || value.back() != '"') return std::nullopt;
  std::string out;
  for (size_t i = 1; i + 1 < value.size(); ++i) {
    if (value[i] == '\\' && i + 2 < value.size()) {
      out.push_back(value[++i]);
    } else {
      out.push_back(value[i]);
    }
  }
  return out;
}

bool AllDigits(std::string_view s) {
  if (s.empty() || s.size() > 12) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Why the rule is Suricata's, or empty.
std::string SuricataSyntax(const ParsedRule& rule) {
  if (rule.header.size() == 7 && In(kSuricataProtocols, Lower(rule.header[1]))) {
    return "protocol " + rule.header[1];
  }
  for (const Option& o : rule.options) {
    if (o.name.find('.') != std::string::npos || In(kSuricataOptions, o.name)) {
      return "option " + o.name;
    }
  }
  return {};
}

// Why the rule is Snort's only (a Snort 3 service rule, a Snort 3 option), or
// empty.
std::string SnortSyntax(const ParsedRule& rule) {
  if (rule.header.size() == 2) return "Snort 3 service header '" + rule.header[1] + "'";
  for (const Option& o : rule.options) {
    if (In(kSnortOptions, o.name)) return "option " + o.name;
  }
  return {};
}

struct Metadata {
  std::vector<std::pair<std::string, std::string>> pairs;
};

// "key value, key value" (Snort and Suricata metadata).
void ParseMetadata(std::string_view value, Metadata* out) {
  size_t i = 0;
  while (i <= value.size()) {
    size_t comma = value.find(',', i);
    if (comma == std::string_view::npos) comma = value.size();
    std::string_view item = Trim(value.substr(i, comma - i));
    if (!item.empty()) {
      size_t space = item.find_first_of(" \t");
      std::string key(item.substr(0, space));
      std::string val = space == std::string_view::npos ? std::string()
                                                        : std::string(Trim(item.substr(space)));
      out->pairs.emplace_back(std::move(key), std::move(val));
    }
    i = comma + 1;
  }
}

std::optional<int> ConfidenceFromWord(std::string_view word) {
  std::string w = Lower(word);
  // STIX 2.1 Appendix A, the None/Low/Med/High scale.
  if (w == "high") return 85;
  if (w == "medium") return 50;
  if (w == "low") return 15;
  return std::nullopt;
}

class SnortReader {
 public:
  SnortReader(const Input& input, const ReadContext& context, Sink& sink, bool suricata)
      : input_(input), context_(context), sink_(sink), suricata_(suricata) {}

  // One logical line (continuations joined) starting at `line`, `offset`.
  void Line(std::string_view text, uint64_t line, uint64_t offset) {
    std::string_view t = Trim(text);
    if (t.empty()) return;
    bool disabled = false;
    if (t.front() == '#') {
      std::string_view inner = t;
      while (!inner.empty() && inner.front() == '#') inner = Trim(inner.substr(1));
      if (!LooksLikeRule(inner)) return;  // a comment
      ParsedRule probe;
      if (ParseRule(inner, &probe)) return;  // a comment that only looks like a rule
      disabled = true;
      t = inner;
    }
    std::string word = FirstWord(t);
    if (In(kDirectives, word)) return;
    ParsedRule rule;
    std::optional<std::string> error;
    if (!normalize::detail::IsValidUtf8(t)) {
      error = "the rule is not valid UTF-8";
    } else if (!In(kActions, word)) {
      error = "not a rule: a rule starts with an action (alert, drop, pass, ...), found '" +
              word.substr(0, 40) + "'";
    } else {
      error = ParseRule(t, &rule);
    }
    uint64_t index = TakeIndex();
    if (!error) error = Emit(rule, t, disabled, line, offset, index);
    if (error) Reject(*error, text, line, offset, index);
  }

  uint64_t TakeIndex() { return index_++; }

  void Reject(const std::string& reason, std::string_view raw, uint64_t line, uint64_t offset,
              uint64_t index) {
    Rejected rejected;
    rejected.format = suricata_ ? "suricata" : "snort";
    rejected.position.file = input_.name();
    rejected.position.line = line;
    rejected.position.byte_offset = offset;
    rejected.position.record = index;
    rejected.reason = reason;
    rejected.SetRaw(raw);
    sink_.Reject(std::move(rejected));
  }

 private:
  std::optional<std::string> Emit(const ParsedRule& rule, std::string_view text, bool disabled,
                                  uint64_t line, uint64_t offset, uint64_t index) {
    std::string msg;
    std::string sid;
    std::string gid;
    std::string rev;
    std::string classtype;
    std::string priority;
    Metadata metadata;
    std::vector<Json> references;
    for (const Option& o : rule.options) {
      if (o.name == "msg") {
        auto text_value = Unquote(o.value);
        if (!text_value) return "msg must be a quoted string";
        msg = std::move(*text_value);
      } else if (o.name == "sid") {
        if (!AllDigits(o.value) || o.value == "0") return "sid must be a positive number, not '" + o.value + "'";
        sid = o.value;
      } else if (o.name == "gid") {
        if (!AllDigits(o.value)) return "gid must be a number, not '" + o.value + "'";
        gid = o.value;
      } else if (o.name == "rev") {
        if (!AllDigits(o.value)) return "rev must be a number, not '" + o.value + "'";
        rev = o.value;
      } else if (o.name == "classtype") {
        classtype = o.value;
      } else if (o.name == "priority") {
        priority = o.value;
      } else if (o.name == "metadata") {
        ParseMetadata(o.value, &metadata);
      } else if (o.name == "reference") {
        size_t comma = o.value.find(',');
        if (comma == std::string::npos) return "reference needs 'type,id', not '" + o.value + "'";
        std::string type = Lower(Trim(std::string_view(o.value).substr(0, comma)));
        std::string id(Trim(std::string_view(o.value).substr(comma + 1)));
        if (type.empty() || id.empty()) return "reference needs 'type,id', not '" + o.value + "'";
        Json ref = Json::MakeObject();
        if (type == "url") {
          auto r = ReferenceFromText("url", id.find("://") == std::string::npos ? "http://" + id : id);
          if (r) references.push_back(std::move(*r));
          continue;
        }
        if (type == "cve") {
          std::string cve = id;
          for (char& c : cve) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
          if (cve.rfind("CVE-", 0) != 0) cve = "CVE-" + cve;
          ref.Set("source_name", Json::String("cve"));
          ref.Set("external_id", Json::String(cve));
        } else {
          ref.Set("source_name", Json::String(type));
          ref.Set("external_id", Json::String(id));
        }
        references.push_back(std::move(ref));
      } else if (o.name == "content" || o.name == "uricontent" || o.name == "pcre") {
        std::string_view v = o.value;
        if (!v.empty() && v.front() == '!') v = Trim(v.substr(1));
        size_t close = 1;
        while (close < v.size() && v[close] != '"') close += v[close] == '\\' ? 2 : 1;
        if (v.size() < 2 || v.front() != '"' || close >= v.size()) {
          return o.name + " must be a quoted string";
        }
        std::string_view rest = Trim(v.substr(close + 1));
        if (!rest.empty() && rest.front() != ',') {
          return "text after the quoted value of option '" + o.name + "' (a missing ';'?)";
        }
      }
    }
    if (sid.empty()) return std::string("rule has no sid");
    std::string key = (gid.empty() ? "1" : gid) + ":" + sid;
    auto [it, fresh] = sids_.emplace(key, line);
    if (!fresh) {
      return "duplicate sid " + sid + (gid.empty() ? "" : " (gid " + gid + ")") +
             "; first at line " + std::to_string(it->second);
    }
    std::string why_suricata = SuricataSyntax(rule);
    bool is_suricata = suricata_ || !why_suricata.empty();
    std::string pattern_type = is_suricata ? "suricata" : "snort";

    std::string created = context_.now;
    std::optional<std::string> modified;
    std::optional<int> confidence;
    Json meta = Json::MakeObject();
    for (const auto& [k, v] : metadata.pairs) {
      if (Json* list = meta.Find(k)) {
        list->as_array().push_back(Json::String(v));
      } else {
        meta.Set(k, Json::MakeArray({Json::String(v)}));
      }
    }

    Record record;
    record.format = suricata_ ? "suricata" : "snort";
    record.position.file = input_.name();
    record.position.line = line;
    record.position.byte_offset = offset;
    record.position.record = index;
    std::vector<std::string> technique_ids;
    std::vector<std::string> tactic_names;
    for (const auto& [k, v] : metadata.pairs) {
      if (k == "created_at") {
        if (auto d = RuleDate(v)) {
          created = *d;
        } else {
          record.notes.push_back("metadata created_at '" + v + "' is not a date");
        }
      } else if (k == "updated_at") {
        modified = RuleDate(v);
        if (!modified) record.notes.push_back("metadata updated_at '" + v + "' is not a date");
      } else if (k == "confidence") {
        confidence = ConfidenceFromWord(v);
      } else if (k == "mitre_technique_id") {
        technique_ids.push_back(v);
      } else if (k == "mitre_tactic_name") {
        tactic_names.push_back(v);
      }
    }

    Json indicator = NewIndicator(std::string(text), pattern_type, created);
    if (modified && *modified >= created) {
      indicator.Set("modified", Json::String(*modified));
    } else if (modified) {
      record.notes.push_back("metadata updated_at is before created_at; modified = created");
    }
    if (!msg.empty()) indicator.Set("name", Json::String(msg));
    if (!classtype.empty()) AddToList(&indicator, "labels", classtype);
    if (confidence) indicator.Set("confidence", Json::Int(*confidence));
    for (const std::string& phase_name : tactic_names) {
      if (auto phase = AttackTacticPhase(phase_name)) AddKillChainPhase(&indicator, *phase);
    }
    Json sid_ref = Json::MakeObject();
    sid_ref.Set("source_name", Json::String("sid"));
    sid_ref.Set("external_id", Json::String(sid));
    AddExternalReference(&indicator, std::move(sid_ref));
    for (Json& ref : references) AddExternalReference(&indicator, std::move(ref));
    for (const std::string& id : technique_ids) {
      if (auto ref = AttackReference(id)) AddExternalReference(&indicator, std::move(*ref));
    }

    Json fields = Json::MakeObject();
    fields.Set("action", Json::String(rule.header[0]));
    fields.Set("protocol", Json::String(rule.header[1]));
    if (rule.header.size() == 7) {
      fields.Set("source", Json::String(rule.header[2]));
      fields.Set("source_port", Json::String(rule.header[3]));
      fields.Set("direction", Json::String(rule.header[4]));
      fields.Set("destination", Json::String(rule.header[5]));
      fields.Set("destination_port", Json::String(rule.header[6]));
    }
    fields.Set("sid", Json::String(sid));
    if (!gid.empty()) fields.Set("gid", Json::String(gid));
    if (!rev.empty()) fields.Set("rev", Json::String(rev));
    if (!classtype.empty()) fields.Set("classtype", Json::String(classtype));
    if (!priority.empty()) fields.Set("priority", Json::String(priority));
    if (!meta.as_object().empty()) fields.Set("metadata", std::move(meta));
    if (disabled) fields.Set("disabled", Json::Bool(true));
    if (!suricata_ && is_suricata) {
      fields.Set("suricata_syntax", Json::String(why_suricata));
    }
    KeepSourceFields(&indicator, record.format, std::move(fields));
    record.Add(indicator);
    sink_.Accept(std::move(record));
    return std::nullopt;
  }

  const Input& input_;
  const ReadContext& context_;
  Sink& sink_;
  bool suricata_;
  uint64_t index_ = 0;
  std::unordered_map<std::string, uint64_t> sids_;  // gid:sid -> line
};

struct Counts {
  int rules = 0;
  int other = 0;
  std::string suricata;  // why the first Suricata rule is one
  std::string snort;     // why the first Snort-only rule is one
};

Counts CountRules(std::string_view head) {
  Counts counts;
  size_t pos = 0;
  while (pos < head.size()) {
    size_t eol = head.find('\n', pos);
    bool complete = eol != std::string_view::npos;
    if (!complete) eol = head.size();
    std::string_view line = Trim(head.substr(pos, eol - pos));
    pos = eol + 1;
    if (!complete && !counts.rules) break;  // a cut last line decides nothing
    if (line.empty()) continue;
    if (line.front() == '#') {
      while (!line.empty() && line.front() == '#') line = Trim(line.substr(1));
      if (!LooksLikeRule(line)) continue;
    }
    if (In(kDirectives, FirstWord(line))) continue;
    ParsedRule rule;
    if (LooksLikeRule(line) && !ParseRule(line, &rule)) {
      bool has_sid = false;
      for (const Option& o : rule.options) has_sid = has_sid || o.name == "sid";
      if (has_sid) {
        ++counts.rules;
        if (counts.suricata.empty()) counts.suricata = SuricataSyntax(rule);
        if (counts.snort.empty()) counts.snort = SnortSyntax(rule);
        continue;
      }
    }
    if (line.back() != '\\') ++counts.other;
  }
  return counts;
}

}  // namespace

// A file with Suricata-only syntax and none of Snort's is Suricata's; with both
// (or neither) it is read as Snort's, which tags each rule by its own syntax.
Detection DetectSnort(std::string_view head) {
  Counts c = CountRules(head);
  if (c.rules == 0 || c.other > c.rules) return {};
  if (!c.snort.empty()) return {85, "Snort rules, some with syntax only Snort has (" + c.snort + ")"};
  if (!c.suricata.empty()) return {70, "Snort-style rules, but with Suricata syntax (" + c.suricata + ")"};
  return {80, "lines of Snort/Suricata rules ('action proto src port -> dst port (... sid:N;)')"};
}

Detection DetectSuricata(std::string_view head) {
  Counts c = CountRules(head);
  if (c.rules == 0 || c.other > c.rules) return {};
  if (!c.snort.empty()) return {60, "rules, but with syntax only Snort has (" + c.snort + ")"};
  if (!c.suricata.empty()) return {85, "rules with syntax only Suricata has (" + c.suricata + ")"};
  return {75, "lines of Snort/Suricata rules without Suricata-only syntax"};
}

core::Status ReadSnort(Input& input, const ReadContext& context, Sink& sink, bool suricata) {
  SnortReader reader(input, context, sink, suricata);
  std::string pending;  // a rule continued with trailing backslashes
  uint64_t pending_line = 0;
  uint64_t pending_offset = 0;
  bool oversized = false;
  uint64_t line_no = 0;
  std::string_view chunk;
  while (true) {
    uint64_t chunk_offset = input.offset();
    if (!input.Next(&chunk)) break;
    size_t pos = 0;
    while (pos < chunk.size()) {
      size_t eol = chunk.find('\n', pos);
      size_t end = eol == std::string_view::npos ? chunk.size() : eol;
      std::string_view line = chunk.substr(pos, end - pos);
      uint64_t offset = chunk_offset + pos;
      pos = end + 1;
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      bool continued = !line.empty() && line.back() == '\\';
      if (continued) line.remove_suffix(1);
      if (pending.empty() && !oversized) {
        pending_line = line_no;
        pending_offset = offset;
      }
      if (!oversized) {
        if (pending.size() + line.size() > kMaxRuleBytes) {
          oversized = true;
          reader.Reject("rule longer than 1 MiB", pending, pending_line, pending_offset,
                        reader.TakeIndex());
          pending.clear();
        } else {
          pending.append(line);
        }
      }
      if (continued) continue;
      if (oversized) {
        oversized = false;
        continue;
      }
      reader.Line(pending, pending_line, pending_offset);
      pending.clear();
    }
  }
  if (!pending.empty()) reader.Line(pending, pending_line, pending_offset);
  if (input.failed()) return core::MakeError(core::ErrorCode::kIo, "read failed", input.name());
  return {};
}

}  // namespace tessera::formats::rules
