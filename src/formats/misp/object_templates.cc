#include "formats/misp/object_templates.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "formats/misp/attribute_types.h"
#include "normalize/observable.h"
#include "normalize/stix_mapping.h"

namespace tessera::formats::misp {
namespace {

using core::Json;
using normalize::Kind;
using normalize::Observable;

std::string_view Trim(std::string_view s) { return normalize::detail::TrimAsciiSpace(s); }

class Builder {
 public:
  Builder(const std::vector<ObjectAttribute>& attributes,
          const normalize::NormalizeOptions& options)
      : attributes_(attributes), options_(options) {
    out_.uses.assign(attributes.size(), AttributeUse::kUnused);
  }

  const ObjectAttribute& at(size_t i) const { return attributes_[i]; }
  size_t size() const { return attributes_.size(); }
  const normalize::NormalizeOptions& options() const { return options_; }

  void Use(size_t i, bool changed) {
    if (out_.uses[i] == AttributeUse::kInvalid) return;
    out_.uses[i] = changed ? AttributeUse::kChanged : AttributeUse::kMapped;
  }
  void Invalid(size_t i, const std::string& reason) {
    out_.uses[i] = AttributeUse::kInvalid;
    std::string p(at(i).relation);
    p += " (";
    p += at(i).type;
    p += "): ";
    p += reason;
    out_.problems.push_back(std::move(p));
  }
  void Notes(const std::vector<std::string>& notes) {
    for (const std::string& n : notes) out_.notes.push_back(n);
  }
  // A finished SCO tree (its id set) or an SCO already written.
  void AddSco(const Json& sco) { out_.scos.push_back(ScoFromJson(sco, false)); }
  void AddSco(Sco sco) { out_.scos.push_back(std::move(sco)); }
  void AddComparison(std::string comparison) {
    if (std::find(out_.comparisons.begin(), out_.comparisons.end(), comparison) ==
        out_.comparisons.end()) {
      out_.comparisons.push_back(std::move(comparison));
    }
  }

  MappedObject Take() { return std::move(out_); }

 private:
  const std::vector<ObjectAttribute>& attributes_;
  const normalize::NormalizeOptions& options_;
  MappedObject out_;
};

bool IsIpType(std::string_view type) {
  return type == "ip-dst" || type == "ip-src" || type == "ip";
}
bool IsDomainType(std::string_view type) { return type == "domain" || type == "hostname"; }

// ---------------------------------------------------------------------------
// file (STIX 2.1 §6.7)

// False when the object has neither a name nor a hash: no file STIX can describe.
bool MapFile(Builder& b) {
  Json file = NewSco("file");
  std::vector<Json> refs;  // directory and artifact, before the file
  bool has_name = false;
  bool has_dir = false;
  Json hashes = Json::MakeObject();
  std::vector<std::string> comparisons;
  std::vector<size_t> used;  // attributes that only count when the file exists
  auto set_name = [&](size_t i, const FileNameValue& name) {
    if (!has_name) {
      file.Set("name", Json::String(name.name));
      comparisons.push_back(Comparison("file:name", name.name));
      has_name = true;
    }
    if (!name.directory.empty() && !has_dir) {
      Json dir = NewSco("directory");
      dir.Set("path", Json::String(name.directory));
      FinishSco(&dir);
      file.Set("parent_directory_ref", Json::String(ScoId(dir)));
      comparisons.push_back(Comparison("file:parent_directory_ref.path", name.directory));
      refs.push_back(std::move(dir));
      has_dir = true;
    }
    b.Notes(name.notes);
    b.Use(i, name.name != Trim(b.at(i).value) && name.directory.empty());
  };
  auto add_hash = [&](size_t i, std::string_view type, std::string_view value) -> bool {
    auto hash = HashValueOf(type, value, b.options());
    if (!hash.ok()) {
      b.Invalid(i, hash.error().message);
      return false;
    }
    if (hashes.Find(hash->key) != nullptr) return false;  // a second value: source fields
    hashes.Set(hash->key, Json::String(hash->value));
    comparisons.push_back("file:hashes." + PatternLiteral(hash->key) + " = " +
                          PatternLiteral(hash->value));
    b.Notes(hash->notes);
    b.Use(i, hash->value != Trim(value));
    return true;
  };
  for (size_t i = 0; i < b.size(); ++i) {
    const ObjectAttribute& a = b.at(i);
    if (a.type == "malware-sample") {
      std::string_view v = a.value;
      size_t bar = v.rfind('|');
      if (bar == std::string_view::npos) {
        b.Invalid(i, "a malware-sample value is 'name|md5'");
        continue;
      }
      auto name = FileNameOf(v.substr(0, bar), b.options());
      if (!name.ok()) {
        b.Invalid(i, name.error().message);
        continue;
      }
      if (!add_hash(i, "md5", v.substr(bar + 1))) continue;
      set_name(i, *name);
      b.Use(i, true);
      if (!a.data.empty() && IsBase64(a.data)) {
        Json artifact = NewSco("artifact");
        artifact.Set("mime_type", Json::String("application/zip"));
        artifact.Set("payload_bin", Json::String(std::string(a.data)));
        artifact.Set("encryption_algorithm", Json::String("mime-type-indicated"));
        artifact.Set("decryption_key", Json::String("infected"));
        FinishSco(&artifact);
        if (file.Find("content_ref") == nullptr) {
          file.Set("content_ref", Json::String(ScoId(artifact)));
          refs.push_back(std::move(artifact));
        }
      }
    } else if (a.type == "attachment") {
      auto name = FileNameOf(a.value, b.options());
      if (!name.ok()) {
        b.Invalid(i, name.error().message);
        continue;
      }
      set_name(i, *name);
      if (!a.data.empty() && IsBase64(a.data) && file.Find("content_ref") == nullptr) {
        Json artifact = NewSco("artifact");
        artifact.Set("payload_bin", Json::String(std::string(a.data)));
        FinishSco(&artifact);
        file.Set("content_ref", Json::String(ScoId(artifact)));
        refs.push_back(std::move(artifact));
      }
    } else if (IsHashType(a.type)) {
      add_hash(i, a.type, a.value);
    } else if (a.relation == "filename" || a.relation == "fullpath") {
      auto name = FileNameOf(a.value, b.options());
      if (!name.ok()) {
        b.Invalid(i, name.error().message);
        continue;
      }
      if (has_name && a.relation == "fullpath" && !name->directory.empty() && !has_dir) {
        FileNameValue dir_only = *name;
        set_name(i, dir_only);
        b.Use(i, false);
      } else if (!has_name) {
        set_name(i, *name);
      }
    } else if (a.relation == "path" && !has_dir) {
      std::string_view path = Trim(a.value);
      if (path.empty()) continue;
      Json dir = NewSco("directory");
      dir.Set("path", Json::String(std::string(path)));
      FinishSco(&dir);
      file.Set("parent_directory_ref", Json::String(ScoId(dir)));
      comparisons.push_back(Comparison("file:parent_directory_ref.path", path));
      refs.push_back(std::move(dir));
      has_dir = true;
      b.Use(i, path != a.value);
    } else if (a.type == "size-in-bytes" && file.Find("size") == nullptr) {
      std::string_view v = Trim(a.value);
      uint64_t size = 0;
      auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), size);
      if (v.empty() || ec != std::errc() || ptr != v.data() + v.size()) {
        b.Invalid(i, "'" + std::string(v.substr(0, 40)) + "' is not a size in bytes");
        continue;
      }
      file.Set("size", Json::NumberLiteral(std::to_string(size), static_cast<double>(size)));
      comparisons.push_back("file:size = " + std::to_string(size));
      used.push_back(i);
    } else if (a.type == "mime-type" && file.Find("mime_type") == nullptr) {
      std::string_view v = Trim(a.value);
      if (v.empty()) continue;
      file.Set("mime_type", Json::String(std::string(v)));
      comparisons.push_back(Comparison("file:mime_type", v));
      used.push_back(i);
    }
  }
  if (!hashes.as_object().empty()) file.Set("hashes", std::move(hashes));
  if (!has_name && file.Find("hashes") == nullptr) return false;
  for (size_t i : used) b.Use(i, false);
  FinishSco(&file);
  for (Json& r : refs) b.AddSco(std::move(r));
  b.AddSco(std::move(file));
  for (std::string& c : comparisons) b.AddComparison(std::move(c));
  return true;
}

// ---------------------------------------------------------------------------
// domain-ip: domains resolving to addresses (STIX 2.1 §6.3)

void MapDomainIp(Builder& b) {
  std::vector<Observable> ips;
  std::vector<Observable> domains;
  for (size_t i = 0; i < b.size(); ++i) {
    const ObjectAttribute& a = b.at(i);
    if (IsIpType(a.type)) {
      auto ip = NormalizeIp(a.value, b.options());
      if (!ip.ok()) {
        b.Invalid(i, ip.error().message);
        continue;
      }
      b.Notes(ip->notes);
      b.Use(i, ip->value != Trim(a.value));
      ips.push_back(std::move(*ip));
    } else if (IsDomainType(a.type)) {
      auto d = normalize::NormalizeAs(Kind::kDomain, a.value, b.options());
      if (!d.ok()) {
        b.Invalid(i, d.error().message);
        continue;
      }
      b.Notes(d->notes);
      b.Use(i, d->value != Trim(a.value));
      domains.push_back(std::move(*d));
    }
  }
  Json refs = Json::MakeArray();
  for (const Observable& ip : ips) {
    Json sco = normalize::ToStixObject(ip);
    refs.as_array().push_back(Json::String(ScoId(sco)));
    b.AddSco(std::move(sco));
    if (domains.empty()) {
      b.AddComparison(ObservableComparison(ip));
    }
  }
  for (const Observable& d : domains) {
    Json sco = normalize::ToStixObject(d);
    if (!refs.as_array().empty()) sco.Set("resolves_to_refs", refs);
    b.AddSco(std::move(sco));
    b.AddComparison(ObservableComparison(d));
  }
  if (!domains.empty()) {
    for (const Observable& ip : ips) {
      b.AddComparison(Comparison("domain-name:resolves_to_refs[*].value", ip.value));
    }
  }
}

// ---------------------------------------------------------------------------
// ip-port and network-connection: network-traffic (STIX 2.1 §6.12)

void MapTraffic(Builder& b, bool connection) {
  struct Side {
    bool has_ip = false;
    Observable ip;
    bool has_host = false;
    Observable host;
    int port = -1;
  } src, dst;
  std::vector<Observable> extra;  // further addresses and names: SCOs of their own
  std::vector<std::string> protocols;
  for (size_t i = 0; i < b.size(); ++i) {
    const ObjectAttribute& a = b.at(i);
    std::string_view r = a.relation;
    bool source = r.starts_with("src") || r.ends_with("-src") || r == "ip-src" ||
                  (a.type == "ip-src" && !r.starts_with("dst"));
    Side& side = source ? src : dst;
    if (IsIpType(a.type)) {
      auto ip = NormalizeIp(a.value, b.options());
      if (!ip.ok()) {
        b.Invalid(i, ip.error().message);
        continue;
      }
      b.Notes(ip->notes);
      b.Use(i, ip->value != Trim(a.value));
      if (!side.has_ip) {
        side.ip = std::move(*ip);
        side.has_ip = true;
      } else {
        extra.push_back(std::move(*ip));
      }
    } else if (IsDomainType(a.type)) {
      auto d = normalize::NormalizeAs(Kind::kDomain, a.value, b.options());
      if (!d.ok()) {
        b.Invalid(i, d.error().message);
        continue;
      }
      b.Notes(d->notes);
      b.Use(i, d->value != Trim(a.value));
      if (!side.has_host) {
        side.host = std::move(*d);
        side.has_host = true;
      } else {
        extra.push_back(std::move(*d));
      }
    } else if (a.type == "port" || r.ends_with("port")) {
      auto port = PortOf(a.value);
      if (!port.ok()) {
        b.Invalid(i, port.error().message);
        continue;
      }
      if (side.port >= 0) continue;
      side.port = *port;
      b.Use(i, std::to_string(*port) != Trim(a.value));
    } else if (connection && r.ends_with("-protocol")) {
      std::string p(Trim(a.value));
      for (char& c : p) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      if (p.empty()) continue;
      protocols.push_back(std::move(p));
      b.Use(i, false);
    }
  }
  Json traffic = NewSco("network-traffic");
  bool any_ref = false;
  bool v6 = false;
  auto add_side = [&](Side& side, std::string_view name) {
    std::string ref_path = "network-traffic:" + std::string(name) + "_ref";
    if (side.has_ip) {
      Json sco = normalize::ToStixObject(side.ip);
      traffic.Set(std::string(name) + "_ref", Json::String(ScoId(sco)));
      b.AddSco(std::move(sco));
      bool network = side.ip.kind == Kind::kIpv4Network || side.ip.kind == Kind::kIpv6Network;
      v6 = v6 || side.ip.kind == Kind::kIpv6 || side.ip.kind == Kind::kIpv6Network;
      b.AddComparison(ref_path + ".value " + (network ? "ISSUBSET " : "= ") +
                      PatternLiteral(side.ip.value));
      any_ref = true;
      if (side.has_host) extra.push_back(side.host);
    } else if (side.has_host) {
      Json sco = normalize::ToStixObject(side.host);
      traffic.Set(std::string(name) + "_ref", Json::String(ScoId(sco)));
      b.AddSco(std::move(sco));
      b.AddComparison(Comparison(ref_path + ".value", side.host.value));
      any_ref = true;
    }
    if (side.port >= 0) {
      traffic.Set(std::string(name) + "_port", Json::Int(side.port));
      b.AddComparison("network-traffic:" + std::string(name) +
                      "_port = " + std::to_string(side.port));
    }
  };
  add_side(src, "src");
  add_side(dst, "dst");
  if (any_ref) {
    if (protocols.empty()) protocols.emplace_back(v6 ? "ipv6" : "ipv4");
    Json list = Json::MakeArray();
    for (std::string& p : protocols) list.as_array().push_back(Json::String(std::move(p)));
    traffic.Set("protocols", std::move(list));
    FinishSco(&traffic);
    b.AddSco(std::move(traffic));
  }
  for (const Observable& o : extra) {
    b.AddSco(normalize::ToStixObject(o));
    b.AddComparison(ObservableComparison(o));
  }
}

// ---------------------------------------------------------------------------
// url

void MapUrl(Builder& b) {
  normalize::NormalizeOptions url_options = b.options();
  url_options.assume_http_without_scheme = true;
  for (size_t i = 0; i < b.size(); ++i) {
    const ObjectAttribute& a = b.at(i);
    if (a.type != "url" && a.type != "link" && a.relation != "url") continue;
    auto url = normalize::NormalizeAs(Kind::kUrl, a.value, url_options);
    if (!url.ok()) {
      b.Invalid(i, url.error().message);
      continue;
    }
    b.Notes(url->notes);
    b.Use(i, url->value != Trim(a.value));
    b.AddComparison(ObservableComparison(*url));
    b.AddSco(normalize::ToStixObject(*url));
  }
}

// ---------------------------------------------------------------------------
// email (STIX 2.1 §6.5)

void MapEmail(Builder& b) {
  Json message = NewSco("email-message");
  Json headers = Json::MakeObject();
  Json parts = Json::MakeArray();
  bool any = false;
  auto address = [&](size_t i, std::string_view property, bool list, std::string_view path) {
    auto email = normalize::NormalizeAs(Kind::kEmail, b.at(i).value, b.options());
    if (!email.ok()) {
      b.Invalid(i, email.error().message);
      return;
    }
    Json addr = normalize::ToStixObject(*email);
    std::string id = ScoId(addr);
    if (list) {
      Json* refs = message.Find(property);
      if (refs == nullptr) {
        message.Set(property, Json::MakeArray());
        refs = message.Find(property);
      }
      refs->as_array().push_back(Json::String(id));
    } else {
      if (message.Find(property) != nullptr) return;
      message.Set(property, Json::String(id));
    }
    b.AddSco(std::move(addr));
    b.AddComparison(Comparison(path, email->value));
    b.Notes(email->notes);
    b.Use(i, email->value != Trim(b.at(i).value));
    any = true;
  };
  auto text = [&](size_t i, std::string_view property) {
    if (message.Find(property) != nullptr || b.at(i).value.empty()) return;
    message.Set(property, Json::String(b.at(i).value));
    b.AddComparison(Comparison("email-message:" + std::string(property), b.at(i).value));
    b.Use(i, false);
    any = true;
  };
  auto header = [&](size_t i, std::string_view name) {
    if (headers.Find(name) != nullptr || b.at(i).value.empty()) return;
    headers.Set(name, Json::String(b.at(i).value));
    b.AddComparison(Comparison("email-message:additional_header_fields." + PatternLiteral(name),
                               b.at(i).value));
    b.Use(i, false);
    any = true;
  };
  for (size_t i = 0; i < b.size(); ++i) {
    std::string_view r = b.at(i).relation;
    if (r == "from") {
      address(i, "from_ref", false, "email-message:from_ref.value");
    } else if (r == "sender") {
      address(i, "sender_ref", false, "email-message:sender_ref.value");
    } else if (r == "to") {
      address(i, "to_refs", true, "email-message:to_refs[*].value");
    } else if (r == "cc") {
      address(i, "cc_refs", true, "email-message:cc_refs[*].value");
    } else if (r == "bcc") {
      address(i, "bcc_refs", true, "email-message:bcc_refs[*].value");
    } else if (r == "subject") {
      text(i, "subject");
    } else if (r == "message-id") {
      text(i, "message_id");
    } else if (r == "email-body" || r == "body") {
      text(i, "body");
    } else if (r == "reply-to") {
      header(i, "Reply-To");
    } else if (r == "x-mailer") {
      header(i, "X-Mailer");
    } else if (r == "return-path") {
      header(i, "Return-Path");
    } else if (r == "user-agent") {
      header(i, "User-Agent");
    } else if (r == "thread-index") {
      header(i, "Thread-Index");
    } else if (r == "attachment") {
      auto name = FileNameOf(b.at(i).value, b.options());
      if (!name.ok()) {
        b.Invalid(i, name.error().message);
        continue;
      }
      Json file = NewSco("file");
      file.Set("name", Json::String(name->name));
      FinishSco(&file);
      parts.as_array().push_back(Json::MakeObject(
          {{"body_raw_ref", Json::String(ScoId(file))},
           {"content_disposition", Json::String("attachment; filename=\"" + name->name + "\"")}}));
      b.AddComparison(Comparison("email-message:body_multipart[*].body_raw_ref.name", name->name));
      b.AddSco(std::move(file));
      b.Notes(name->notes);
      b.Use(i, name->name != Trim(b.at(i).value));
      any = true;
    }
  }
  if (!any) return;
  bool multipart = !parts.as_array().empty();
  message.Set("is_multipart", Json::Bool(multipart));
  if (multipart) {
    // STIX 2.1 §6.5: body belongs to single-part messages; a multipart message
    // carries its text as a part.
    if (const Json* body = message.Find("body")) {
      parts.as_array().insert(
          parts.as_array().begin(),
          Json::MakeObject({{"body", *body}, {"content_type", Json::String("text/plain")}}));
      message.Erase("body");
    }
    message.Set("body_multipart", std::move(parts));
  }
  if (!headers.as_object().empty()) message.Set("additional_header_fields", std::move(headers));
  FinishSco(&message);
  b.AddSco(std::move(message));
}

// ---------------------------------------------------------------------------
// pe-section: the pattern of a section of a PE file's windows-pebinary-ext; a
// section alone is no SCO.

void MapPeSection(Builder& b) {
  const std::string prefix = "file:extensions.'windows-pebinary-ext'.sections[*].";
  for (size_t i = 0; i < b.size(); ++i) {
    const ObjectAttribute& a = b.at(i);
    std::string_view v = Trim(a.value);
    if (IsHashType(a.type)) {
      auto hash = HashValueOf(a.type, a.value, b.options());
      if (!hash.ok()) {
        b.Invalid(i, hash.error().message);
        continue;
      }
      b.AddComparison(prefix + "hashes." + PatternLiteral(hash->key) + " = " +
                      PatternLiteral(hash->value));
      b.Use(i, hash->value != v);
    } else if (a.relation == "name" && !v.empty()) {
      b.AddComparison(Comparison(prefix + "name", v));
      b.Use(i, false);
    } else if (a.relation == "size-in-bytes" || a.relation == "entropy") {
      double number = 0;
      auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), number);
      if (v.empty() || ec != std::errc() || ptr != v.data() + v.size()) continue;
      b.AddComparison(prefix + (a.relation == "entropy" ? "entropy = " : "size = ") +
                      std::string(v));
      b.Use(i, false);
    }
  }
}

// ---------------------------------------------------------------------------
// Any other template: each attribute as it would map on its own.

void MapGeneric(Builder& b) {
  MappedValue mapped;
  for (size_t i = 0; i < b.size(); ++i) {
    const ObjectAttribute& a = b.at(i);
    core::Status valid = MapAttributeValue(a.type, a.value, a.data, b.options(), &mapped);
    if (!valid.ok()) {
      b.Invalid(i, valid.error().message);
      continue;
    }
    if (mapped.shape != Shape::kObservable && mapped.shape != Shape::kPatternOnly) continue;
    for (Sco& sco : mapped.scos) b.AddSco(std::move(sco));
    for (std::string& c : mapped.comparisons) b.AddComparison(std::move(c));
    b.Notes(mapped.notes);
    b.Use(i, mapped.changed);
  }
}

}  // namespace

MappedObject MapObjectAttributes(std::string_view name,
                                 const std::vector<ObjectAttribute>& attributes,
                                 const normalize::NormalizeOptions& options) {
  Builder b(attributes, options);
  if (name == "file") {
    bool mapped = MapFile(b);
    MappedObject out = b.Take();
    if (!mapped) {
      // Everything stays in the source fields.
      for (AttributeUse& use : out.uses) {
        if (use != AttributeUse::kInvalid) use = AttributeUse::kUnused;
      }
      out.scos.clear();
      out.comparisons.clear();
      out.notes.clear();
    }
    return out;
  }
  if (name == "domain-ip") {
    MapDomainIp(b);
  } else if (name == "ip-port") {
    MapTraffic(b, false);
  } else if (name == "network-connection") {
    MapTraffic(b, true);
  } else if (name == "url") {
    MapUrl(b);
  } else if (name == "email") {
    MapEmail(b);
  } else if (name == "pe-section") {
    MapPeSection(b);
  } else {
    MapGeneric(b);
  }
  return b.Take();
}

}  // namespace tessera::formats::misp
