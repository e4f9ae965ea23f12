// CybOX 2.x observables to STIX 2.1: each Object becomes a tree of terms (a
// property path, a condition, typed values) from which both the STIX pattern and,
// where every value is concrete, the SCOs are made. Values of the kinds
// normalize/ knows are canonicalized first, so patterns and SCO ids agree with
// the rest of Tessera.

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/hash.h"
#include "core/json.h"
#include "formats/stix1/stix1_internal.h"
#include "formats/stix_build.h"
#include "formats/strings.h"
#include "normalize/classify.h"
#include "normalize/stix_mapping.h"
#include "stix/bundle.h"
#include "stix/ids.h"

namespace tessera::formats::stix1 {
namespace {

using core::Json;
using normalize::QuotePatternLiteral;

// ---- Terms ------------------------------------------------------------------------

// CybOX conditions (cybox_common ConditionTypeEnum) and the STIX operator each
// becomes; ranges and string tests turn into comparisons or MATCHES.
enum class Op {
  kEquals,
  kNotEquals,
  kContains,
  kNotContains,
  kStartsWith,
  kEndsWith,
  kGreater,
  kGreaterEq,
  kLess,
  kLessEq,
  kInclusiveBetween,
  kExclusiveBetween,
  kFitsPattern,
  kIsSubset,  // not a CybOX condition: an address block
};

std::optional<Op> ParseOp(std::string_view condition) {
  static constexpr std::pair<std::string_view, Op> kOps[] = {
      {"", Op::kEquals},
      {"Equals", Op::kEquals},
      {"DoesNotEqual", Op::kNotEquals},
      {"Contains", Op::kContains},
      {"DoesNotContain", Op::kNotContains},
      {"StartsWith", Op::kStartsWith},
      {"EndsWith", Op::kEndsWith},
      {"GreaterThan", Op::kGreater},
      {"GreaterThanOrEqual", Op::kGreaterEq},
      {"LessThan", Op::kLess},
      {"LessThanOrEqual", Op::kLessEq},
      {"InclusiveBetween", Op::kInclusiveBetween},
      {"ExclusiveBetween", Op::kExclusiveBetween},
      {"FitsPattern", Op::kFitsPattern},
  };
  for (const auto& [name, op] : kOps) {
    if (name == condition) return op;
  }
  return std::nullopt;
}

enum class ValueType { kString, kLower, kInt, kBool, kTimestamp, kHex, kBinary };

struct Literal {
  std::string pattern;  // as written in a pattern: 'x', 80, true, t'...', h'...', b'...'
  Json json;            // as set in an SCO
};

struct Term {
  std::string path;                    // object path after "<type>:"
  std::vector<std::string> json_path;  // property in the SCO; empty: not set generically
  bool json_list = false;              // the SCO property is a list the value joins
  std::vector<Literal> values;         // several for "##comma##" lists
  std::vector<std::string> raw;        // the values before typing (regular expressions)
  Op op = Op::kEquals;
  bool all = false;       // apply_condition="ALL"
  bool negate = false;    // apply_condition="NONE", or a negated Observable
  bool verbatim = false;  // a value did not normalize: kept as written, no SCO
};

struct CyObject;

struct CyRef {
  enum class Kind { kOne, kList, kMultipart };
  Kind kind = Kind::kOne;
  std::vector<std::string> json_path;
  std::string pattern_prefix;  // "from_ref.", "to_refs[*].", ...
  std::unique_ptr<CyObject> object;
};

struct CyObject {
  std::string type;  // STIX 2.1 SCO type
  std::vector<Term> terms;
  Json extra = Json::MakeObject();  // SCO properties that are not matched on
  std::vector<CyRef> refs;
  bool sco_allowed = true;  // false: pattern only (the SCO would lack required refs)
};

// A pattern path step: quoted unless it is a plain identifier.
std::string Step(std::string_view key) {
  bool plain = !key.empty();
  for (char c : key) {
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  }
  return plain ? std::string(key) : QuotePatternLiteral(key);
}

bool IsHexText(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

core::Result<Literal> MakeLiteral(std::string_view raw, ValueType type, std::string_view element) {
  auto bad = [&](std::string_view what) {
    return core::MakeError(core::ErrorCode::kValidation, std::string(element) + " value '" +
                                                             std::string(raw.substr(0, 80)) +
                                                             "' is not " + std::string(what));
  };
  Literal lit;
  switch (type) {
    case ValueType::kString:
      lit.pattern = QuotePatternLiteral(raw);
      lit.json = Json::String(std::string(raw));
      return lit;
    case ValueType::kLower: {
      std::string lower(raw);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      lit.pattern = QuotePatternLiteral(lower);
      lit.json = Json::String(std::move(lower));
      return lit;
    }
    case ValueType::kInt: {
      std::string_view digits = raw;
      bool negative = !digits.empty() && digits.front() == '-';
      if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) {
        digits.remove_prefix(1);
      }
      if (digits.empty() || digits.size() > 18) return bad("an integer");
      int64_t v = 0;
      for (char c : digits) {
        if (c < '0' || c > '9') return bad("an integer");
        v = v * 10 + (c - '0');
      }
      if (negative) v = -v;
      lit.pattern = std::to_string(v);
      lit.json = Json::Int(v);
      return lit;
    }
    case ValueType::kBool: {
      std::string lower(raw);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "true" || lower == "1") {
        lit.pattern = "true";
        lit.json = Json::Bool(true);
      } else if (lower == "false" || lower == "0") {
        lit.pattern = "false";
        lit.json = Json::Bool(false);
      } else {
        return bad("a boolean");
      }
      return lit;
    }
    case ValueType::kTimestamp: {
      std::string ts = StixTimestamp(raw, 0);  // as precise as the source
      if (ts.empty()) return bad("a date and time");
      lit.pattern = "t'" + ts + "'";
      lit.json = Json::String(std::move(ts));
      return lit;
    }
    case ValueType::kHex: {
      std::string_view hex = raw;
      if (hex.size() > 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.remove_prefix(2);
      if (!IsHexText(hex)) return bad("hexadecimal");
      std::string lower = hex.size() % 2 == 1 ? "0" : "";
      for (char c : hex) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      lit.pattern = "h'" + lower + "'";
      lit.json = Json::String(std::move(lower));
      return lit;
    }
    case ValueType::kBinary: {
      // Base64 as given when it decodes, else the text's bytes encoded.
      std::string b64 = core::Base64Decode(raw).has_value() && !raw.empty()
                            ? std::string(raw)
                            : core::Base64Encode(raw);
      lit.pattern = "b'" + b64 + "'";
      lit.json = Json::String(std::move(b64));
      return lit;
    }
  }
  return bad("a value");
}

bool ExactOp(Op op) { return op == Op::kEquals || op == Op::kIsSubset; }

bool TermExact(const Term& t) {
  return ExactOp(t.op) && !t.negate && !t.verbatim && t.values.size() == 1;
}

// The comparison expression for one term at `path` ("<type>:<path>").
std::string Clause(const Term& t, const std::string& path) {
  std::string neg = t.negate ? " NOT" : "";
  auto one = [&](size_t i) -> std::string {
    const std::string& raw = t.raw[i];
    switch (t.op) {
      case Op::kEquals:
        return path + (t.negate ? " != " : " = ") + t.values[i].pattern;
      case Op::kNotEquals:
        return path + (t.negate ? " = " : " != ") + t.values[i].pattern;
      case Op::kContains:
        return path + neg + " MATCHES " + QuotePatternLiteral(EscapeRegex(raw));
      case Op::kNotContains:
        return path + (t.negate ? "" : " NOT") + " MATCHES " +
               QuotePatternLiteral(EscapeRegex(raw));
      case Op::kStartsWith:
        return path + neg + " MATCHES " + QuotePatternLiteral("^" + EscapeRegex(raw));
      case Op::kEndsWith:
        return path + neg + " MATCHES " + QuotePatternLiteral(EscapeRegex(raw) + "$");
      case Op::kFitsPattern:
        return path + neg + " MATCHES " + QuotePatternLiteral(raw);
      case Op::kGreater:
        return path + neg + " > " + t.values[i].pattern;
      case Op::kGreaterEq:
        return path + neg + " >= " + t.values[i].pattern;
      case Op::kLess:
        return path + neg + " < " + t.values[i].pattern;
      case Op::kLessEq:
        return path + neg + " <= " + t.values[i].pattern;
      case Op::kIsSubset:
        return path + neg + " ISSUBSET " + t.values[i].pattern;
      case Op::kInclusiveBetween:
      case Op::kExclusiveBetween:
        break;  // handled below
    }
    return std::string();
  };
  if (t.op == Op::kInclusiveBetween || t.op == Op::kExclusiveBetween) {
    bool incl = t.op == Op::kInclusiveBetween;
    std::string lo = path + neg + (incl ? " >= " : " > ") + t.values[0].pattern;
    std::string hi = path + neg + (incl ? " <= " : " < ") + t.values[1].pattern;
    return "(" + lo + (t.negate ? " OR " : " AND ") + hi + ")";
  }
  if (t.values.size() == 1) return one(0);
  if (t.op == Op::kEquals && !t.all) {
    std::string set;
    for (const Literal& v : t.values) set += (set.empty() ? "" : ", ") + v.pattern;
    return path + neg + " IN (" + set + ")";
  }
  std::string join = t.all != t.negate ? " AND " : " OR ";
  std::string out = "(";
  for (size_t i = 0; i < t.values.size(); ++i) out += (i == 0 ? "" : join) + one(i);
  return out + ")";
}

void Clauses(const CyObject& o, const std::string& root_type, const std::string& prefix,
             std::vector<std::string>* out) {
  for (const Term& t : o.terms) out->push_back(Clause(t, root_type + ":" + prefix + t.path));
  for (const CyRef& r : o.refs) Clauses(*r.object, root_type, prefix + r.pattern_prefix, out);
}

void NegateAll(CyObject* o) {
  for (Term& t : o->terms) t.negate = !t.negate;
  for (CyRef& r : o->refs) NegateAll(r.object.get());
}

bool AllExact(const CyObject& o) {
  for (const Term& t : o.terms) {
    if (!TermExact(t)) return false;
  }
  for (const CyRef& r : o.refs) {
    if (!AllExact(*r.object)) return false;
  }
  return true;
}

// Sets `value` at `path` in an object, creating nested objects; appends (without
// duplicates) when `list`.
void SetPath(Json* root, const std::vector<std::string>& path, Json value, bool list) {
  Json* at = root;
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    Json* next = at->Find(path[i]);
    if (next == nullptr || !next->is_object()) {
      at->Set(path[i], Json::MakeObject());
      next = at->Find(path[i]);
    }
    at = next;
  }
  if (!list) {
    at->Set(path.back(), std::move(value));
    return;
  }
  Json* arr = at->Find(path.back());
  if (arr == nullptr || !arr->is_array()) {
    at->Set(path.back(), Json::MakeArray());
    arr = at->Find(path.back());
  }
  for (const Json& v : arr->as_array()) {
    if (v == value) return;
  }
  arr->as_array().push_back(std::move(value));
}

// ---- SCOs ---------------------------------------------------------------------------

class ScoBuilder {
 public:
  ScoBuilder(std::vector<Json>* scos, std::vector<std::string>* notes)
      : scos_(scos), notes_(notes) {}

  // Builds the SCOs of an object and of its referenced objects; returns the ids
  // of the object's own SCOs (several for a list of values, none when a value
  // is not concrete).
  std::vector<std::string> Build(const CyObject& o) {
    std::vector<std::vector<std::string>> child_ids;
    for (const CyRef& r : o.refs) child_ids.push_back(Build(*r.object));
    if (!o.sco_allowed) return {};
    // One term, a list of exact values: one SCO per value.
    if (o.refs.empty() && o.terms.size() == 1 && o.terms[0].values.size() > 1 &&
        ExactOp(o.terms[0].op) && !o.terms[0].negate && !o.terms[0].all && !o.terms[0].verbatim &&
        !o.terms[0].json_path.empty()) {
      std::vector<std::string> ids;
      for (const Literal& v : o.terms[0].values) {
        Json sco = Start(o.type);
        SetPath(&sco, o.terms[0].json_path, v.json, o.terms[0].json_list);
        std::string id = Finish(std::move(sco), o.extra);
        if (!id.empty()) ids.push_back(id);
      }
      return ids;
    }
    for (const Term& t : o.terms) {
      if (!TermExact(t)) return {};
    }
    Json sco = Start(o.type);
    for (const Term& t : o.terms) {
      if (!t.json_path.empty()) SetPath(&sco, t.json_path, t.values[0].json, t.json_list);
    }
    for (size_t i = 0; i < o.refs.size(); ++i) {
      const CyRef& r = o.refs[i];
      if (child_ids[i].empty()) return {};  // a referenced value is not concrete
      for (const std::string& id : child_ids[i]) {
        switch (r.kind) {
          case CyRef::Kind::kOne:
            SetPath(&sco, r.json_path, Json::String(id), false);
            break;
          case CyRef::Kind::kList:
            SetPath(&sco, r.json_path, Json::String(id), true);
            break;
          case CyRef::Kind::kMultipart:
            SetPath(&sco, r.json_path, Json::MakeObject({{"body_raw_ref", Json::String(id)}}),
                    true);
            break;
        }
      }
    }
    std::string id = Finish(std::move(sco), o.extra);
    if (id.empty()) return {};
    return {id};
  }

 private:
  static Json Start(const std::string& type) {
    Json sco = Json::MakeObject();
    sco.Set("type", Json::String(type));
    sco.Set("spec_version", Json::String("2.1"));
    sco.Set("id", Json::String(""));
    return sco;
  }

  std::string Finish(Json sco, const Json& extra) {
    for (const auto& [key, value] : extra.as_object()) {
      if (sco.Find(key) == nullptr) sco.Set(key, value);
    }
    std::string type = sco.Find("type")->as_string();
    auto id = stix::ComputeScoId(sco);
    std::string sco_id;
    if (id.ok() && id->deterministic) {
      sco_id = id->id;
    } else {
      Json copy = sco;
      copy.Erase("id");
      sco_id = DeterministicId(type, core::CanonicalJson(copy));
    }
    sco.Set("id", Json::String(sco_id));
    // Only valid objects leave the reader: a partial CybOX object (a network
    // connection without an address, say) stays in the pattern alone.
    std::string text = core::WriteJson(sco);
    auto doc = stix::ReadStix(text);
    if (!doc.ok()) return {};
    for (const stix::Problem& p : doc->problems) {
      if (p.severity == stix::Severity::kError) {
        notes_->push_back("no " + type + " object made: " + p.message);
        return {};
      }
    }
    if (!seen_.insert(sco_id).second) return sco_id;
    scos_->push_back(std::move(sco));
    return sco_id;
  }

  std::vector<Json>* scos_;
  std::vector<std::string>* notes_;
  std::unordered_set<std::string> seen_;
};

// ---- Address blocks ------------------------------------------------------------------

__extension__ typedef unsigned __int128 U128;

bool ParseIp(const std::string& text, bool v6, U128* out) {
  if (!v6) {
    in_addr a{};
    if (inet_pton(AF_INET, text.c_str(), &a) != 1) return false;
    *out = ntohl(a.s_addr);
    return true;
  }
  in6_addr a{};
  if (inet_pton(AF_INET6, text.c_str(), &a) != 1) return false;
  U128 v = 0;
  for (uint8_t b : a.s6_addr) v = (v << 8) | b;
  *out = v;
  return true;
}

std::string FormatIp(U128 v, bool v6) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (!v6) {
    in_addr a{};
    a.s_addr = htonl(static_cast<uint32_t>(v));
    inet_ntop(AF_INET, &a, buf, sizeof(buf));
  } else {
    in6_addr a{};
    for (int i = 15; i >= 0; --i) {
      a.s6_addr[i] = static_cast<uint8_t>(v & 0xff);
      v >>= 8;
    }
    inet_ntop(AF_INET6, &a, buf, sizeof(buf));
  }
  return buf;
}

// The fewest CIDR blocks covering [lo, hi] exactly.
std::vector<std::string> RangeToCidrs(U128 lo, U128 hi, bool v6) {
  int bits = v6 ? 128 : 32;
  std::vector<std::string> out;
  while (lo <= hi && out.size() < 300) {
    int size = 0;  // block of 2^size addresses
    while (size < bits) {
      U128 block = U128{1} << (size + 1);
      if ((lo & (block - 1)) != 0) break;
      if (lo + (block - 1) > hi || lo + (block - 1) < lo) break;
      ++size;
    }
    out.push_back(FormatIp(lo, v6) + "/" + std::to_string(bits - size));
    U128 next = lo + (U128{1} << size);
    if (size == bits || next == 0 || (!v6 && next > U128{0xffffffffu})) break;
    lo = next;
  }
  return out;
}

// ---- Objects ----------------------------------------------------------------------------

struct MappedObject {
  CyObject main;
  std::vector<CyObject> related;  // Related_Objects not referenced by the main one
};

class Mapper {
 public:
  Mapper(const Package& package, Json* leftovers, std::vector<std::string>* notes)
      : package_(package), leftovers_(leftovers), notes_(notes) {}

  // The pattern of an Observable; its objects are appended to `objects_`.
  core::Result<std::string> Observable(pugi::xml_node obs, const std::string& path, int depth);

  std::vector<CyObject>& objects() { return objects_; }
  std::vector<size_t>& main_indexes() { return main_indexes_; }

 private:
  using Handler = core::Status (Mapper::*)(Fields&, CyObject*);

  core::Result<MappedObject> Object(pugi::xml_node object, const std::string& path, int depth);
  core::Result<CyObject> Properties(pugi::xml_node props, const std::string& path);
  core::Result<CyObject> Referenced(std::string_view id, const std::string& path);

  core::Status AddTerm(CyObject* o, pugi::xml_node el, std::string path,
                       std::vector<std::string> json_path, ValueType type,
                       std::optional<normalize::Kind> kind = std::nullopt, bool json_list = false);
  core::Status AddAttrTerm(CyObject* o, Fields& f, std::string_view attr, std::string path,
                           std::vector<std::string> json_path, ValueType type);
  core::Status AddRawTerm(CyObject* o, std::string path, std::vector<std::string> json_path,
                          std::string value, Op op, ValueType type);
  core::Result<CyObject> AddressObject(pugi::xml_node address, const std::string& path,
                                       std::string_view category_hint);
  core::Status SocketAddress(pugi::xml_node node, const std::string& path, CyObject* o,
                             const std::string& side);
  core::Status HttpSession(pugi::xml_node node, const std::string& path, CyObject* o,
                           const std::string& prefix);
  core::Status Hashes(pugi::xml_node hashes, const std::string& path, CyObject* o,
                      const std::string& prefix, std::vector<std::string> json_prefix);
  void AddRef(CyObject* o, CyRef::Kind kind, std::vector<std::string> json_path, std::string prefix,
              CyObject child);

  core::Status Address(Fields& p, CyObject* o);
  core::Status DomainName(Fields& p, CyObject* o);
  core::Status Hostname(Fields& p, CyObject* o);
  core::Status Uri(Fields& p, CyObject* o);
  core::Status Email(Fields& p, CyObject* o);
  core::Status File(Fields& p, CyObject* o);
  core::Status NetworkConnection(Fields& p, CyObject* o);
  core::Status SocketAddressObject(Fields& p, CyObject* o);
  core::Status Port(Fields& p, CyObject* o);
  core::Status Socket(Fields& p, CyObject* o);
  core::Status Http(Fields& p, CyObject* o);
  core::Status Mutex(Fields& p, CyObject* o);
  core::Status Registry(Fields& p, CyObject* o);
  core::Status Product(Fields& p, CyObject* o);
  core::Status Account(Fields& p, CyObject* o);
  core::Status X509(Fields& p, CyObject* o);
  core::Status As(Fields& p, CyObject* o);
  core::Status Packet(Fields& p, CyObject* o);
  core::Status Artifact(Fields& p, CyObject* o);
  core::Status Process(Fields& p, CyObject* o);
  core::Status DnsRecord(Fields& p, CyObject* o);

  static Handler HandlerFor(std::string_view xsi_type, std::string* sco_type);

  const Package& package_;
  Json* leftovers_;
  std::vector<std::string>* notes_;
  std::vector<CyObject> objects_;
  std::vector<size_t> main_indexes_;
  // Related_Object elements of the Objects being mapped (innermost last), and
  // the ids an object_reference used.
  std::vector<std::vector<pugi::xml_node>> related_;
  std::vector<std::string> referenced_;
  int depth_ = 0;
};

core::Error Unmappable(const std::string& path, std::string reason) {
  return core::MakeError(core::ErrorCode::kUnsupported, std::move(reason), path);
}

core::Status Mapper::AddTerm(CyObject* o, pugi::xml_node el, std::string path,
                             std::vector<std::string> json_path, ValueType type,
                             std::optional<normalize::Kind> kind, bool json_list) {
  if (!el) return {};
  std::string text = Text(el);
  std::string element(LocalName(el));
  if (text.empty()) return {};
  std::optional<Op> op = ParseOp(Attr(el, "condition"));
  if (!op) {
    return Unmappable(package_.PathOf(el), "condition '" + std::string(Attr(el, "condition")) +
                                               "' on " + element +
                                               " has no STIX 2.1 pattern operator");
  }
  Term t;
  t.path = std::move(path);
  t.json_path = std::move(json_path);
  t.json_list = json_list;
  t.op = *op;
  std::string_view apply = Attr(el, "apply_condition");
  t.all = apply == "ALL";
  t.negate = apply == "NONE";
  // "##comma##" separates list values (CybOX 2.1 §3.3.3).
  std::vector<std::string> raw;
  std::string_view rest = text;
  while (true) {
    size_t at = rest.find("##comma##");
    raw.emplace_back(Trim(rest.substr(0, at)));
    if (at == std::string_view::npos) break;
    rest.remove_prefix(at + 9);
    if (raw.size() >= kMaxListValues) {
      return Unmappable(package_.PathOf(el),
                        element + " lists more than " + std::to_string(kMaxListValues) + " values");
    }
  }
  bool range = t.op == Op::kInclusiveBetween || t.op == Op::kExclusiveBetween;
  if (range && raw.size() != 2) {
    return Unmappable(
        package_.PathOf(el),
        element + " with condition " + std::string(Attr(el, "condition")) + " needs two values");
  }
  bool regex = t.op == Op::kContains || t.op == Op::kNotContains || t.op == Op::kStartsWith ||
               t.op == Op::kEndsWith || t.op == Op::kFitsPattern;
  if (regex && type != ValueType::kString && type != ValueType::kLower) {
    return Unmappable(package_.PathOf(el), "condition " + std::string(Attr(el, "condition")) +
                                               " on " + element +
                                               " applies to text, not to its value type");
  }
  for (std::string& value : raw) {
    if (kind && (t.op == Op::kEquals || t.op == Op::kNotEquals)) {
      auto norm = normalize::NormalizeAs(*kind, value, package_.context().normalize);
      if (norm.ok()) {
        for (const std::string& n : norm->notes) notes_->push_back(value + ": " + n);
        value = norm->value;
      } else {
        t.verbatim = true;
        notes_->push_back(element + " '" + value.substr(0, 200) +
                          "' kept as written: " + norm.error().message);
      }
    }
    if (!regex) {
      auto lit = MakeLiteral(value, type, element);
      if (!lit.ok()) return Unmappable(package_.PathOf(el), lit.error().message);
      t.values.push_back(std::move(*lit));
    } else {
      t.values.push_back(Literal{QuotePatternLiteral(value), Json::String(value)});
    }
    t.raw.push_back(value);
  }
  o->terms.push_back(std::move(t));
  return {};
}

core::Status Mapper::AddAttrTerm(CyObject* o, Fields& f, std::string_view attr, std::string path,
                                 std::vector<std::string> json_path, ValueType type) {
  std::string_view value = f.TakeAttr(attr);
  if (value.empty()) return {};
  return AddRawTerm(o, std::move(path), std::move(json_path), std::string(value), Op::kEquals,
                    type);
}

core::Status Mapper::AddRawTerm(CyObject* o, std::string path, std::vector<std::string> json_path,
                                std::string value, Op op, ValueType type) {
  auto lit = MakeLiteral(value, type, path);
  if (!lit.ok()) return lit.error();
  Term t;
  t.path = std::move(path);
  t.json_path = std::move(json_path);
  t.op = op;
  t.values.push_back(std::move(*lit));
  t.raw.push_back(std::move(value));
  o->terms.push_back(std::move(t));
  return {};
}

void Mapper::AddRef(CyObject* o, CyRef::Kind kind, std::vector<std::string> json_path,
                    std::string prefix, CyObject child) {
  CyRef ref;
  ref.kind = kind;
  ref.json_path = std::move(json_path);
  ref.pattern_prefix = std::move(prefix);
  ref.object = std::make_unique<CyObject>(std::move(child));
  o->refs.push_back(std::move(ref));
}

Mapper::Handler Mapper::HandlerFor(std::string_view xsi_type, std::string* sco_type) {
  struct Row {
    std::string_view xsi;
    std::string_view type;
    Handler handler;
  };
  static const Row kRows[] = {
      {"AddressObjectType", "ipv4-addr", &Mapper::Address},
      {"DomainNameObjectType", "domain-name", &Mapper::DomainName},
      {"HostnameObjectType", "domain-name", &Mapper::Hostname},
      {"URIObjectType", "url", &Mapper::Uri},
      {"LinkObjectType", "url", &Mapper::Uri},
      {"EmailMessageObjectType", "email-message", &Mapper::Email},
      {"FileObjectType", "file", &Mapper::File},
      {"WindowsFileObjectType", "file", &Mapper::File},
      {"UnixFileObjectType", "file", &Mapper::File},
      {"WindowsExecutableFileObjectType", "file", &Mapper::File},
      {"ArchiveFileObjectType", "file", &Mapper::File},
      {"ImageFileObjectType", "file", &Mapper::File},
      {"PDFFileObjectType", "file", &Mapper::File},
      {"NetworkConnectionObjectType", "network-traffic", &Mapper::NetworkConnection},
      {"SocketAddressObjectType", "network-traffic", &Mapper::SocketAddressObject},
      {"PortObjectType", "network-traffic", &Mapper::Port},
      {"NetworkSocketObjectType", "network-traffic", &Mapper::Socket},
      {"HTTPSessionObjectType", "network-traffic", &Mapper::Http},
      {"NetworkPacketObjectType", "network-traffic", &Mapper::Packet},
      {"MutexObjectType", "mutex", &Mapper::Mutex},
      {"WindowsMutexObjectType", "mutex", &Mapper::Mutex},
      {"WindowsRegistryKeyObjectType", "windows-registry-key", &Mapper::Registry},
      {"ProductObjectType", "software", &Mapper::Product},
      {"AccountObjectType", "user-account", &Mapper::Account},
      {"UserAccountObjectType", "user-account", &Mapper::Account},
      {"UnixUserAccountObjectType", "user-account", &Mapper::Account},
      {"WindowsUserAccountObjectType", "user-account", &Mapper::Account},
      {"X509CertificateObjectType", "x509-certificate", &Mapper::X509},
      {"ASObjectType", "autonomous-system", &Mapper::As},
      {"ArtifactObjectType", "artifact", &Mapper::Artifact},
      {"ProcessObjectType", "process", &Mapper::Process},
      {"WindowsProcessObjectType", "process", &Mapper::Process},
      {"UnixProcessObjectType", "process", &Mapper::Process},
      {"DNSRecordObjectType", "domain-name", &Mapper::DnsRecord},
      {"WindowsServiceObjectType", "process", &Mapper::Process},
  };
  for (const Row& row : kRows) {
    if (row.xsi == xsi_type) {
      *sco_type = std::string(row.type);
      return row.handler;
    }
  }
  return nullptr;
}

core::Result<CyObject> Mapper::Properties(pugi::xml_node props, const std::string& path) {
  std::string_view xsi = XsiType(props);
  std::string type;
  Handler handler = HandlerFor(xsi, &type);
  if (handler == nullptr) {
    return Unmappable(package_.PathOf(props),
                      xsi.empty() ? std::string("CybOX Properties without xsi:type")
                                  : "CybOX object type " + std::string(xsi) + " is not supported");
  }
  CyObject o;
  o.type = type;
  Fields f(props, path);
  TESSERA_RETURN_IF_ERROR((this->*handler)(f, &o));
  f.Leftovers(leftovers_);
  return o;
}

core::Result<CyObject> Mapper::Referenced(std::string_view id, const std::string& path) {
  pugi::xml_node target;
  for (auto it = related_.rbegin(); it != related_.rend() && !target; ++it) {
    for (pugi::xml_node r : *it) {
      if (Attr(r, "id") == id) target = r;
    }
  }
  if (!target) target = package_.Find(id);
  if (!target) {
    return Unmappable(path, "object_reference '" + std::string(id) + "' names no object");
  }
  referenced_.emplace_back(id);
  auto mapped = Object(target, path, depth_ + 1);
  if (!mapped.ok()) return mapped.error();
  // The referenced object's own related objects stay with it in the pattern.
  for (CyObject& rel : mapped->related) objects_.push_back(std::move(rel));
  return std::move(mapped->main);
}

core::Result<MappedObject> Mapper::Object(pugi::xml_node object, const std::string& path,
                                          int depth) {
  if (depth > kMaxRefDepth) {
    return Unmappable(package_.PathOf(object),
                      "object references nest deeper than " + std::to_string(kMaxRefDepth));
  }
  int saved_depth = depth_;
  depth_ = depth;
  std::string_view idref = Attr(object, "idref");
  if (!idref.empty() && !Child(object, "Properties")) {
    pugi::xml_node target = package_.Find(idref);
    if (!target) {
      depth_ = saved_depth;
      return Unmappable(package_.PathOf(object),
                        "idref '" + std::string(idref) + "' names no object");
    }
    auto out = Object(target, path, depth + 1);
    depth_ = saved_depth;
    return out;
  }
  Fields f(object, path);
  pugi::xml_node props = f.Take("Properties");
  if (!props) {
    depth_ = saved_depth;
    return Unmappable(package_.PathOf(object), "CybOX Object has no Properties");
  }
  std::vector<pugi::xml_node> related;
  if (pugi::xml_node list = f.Take("Related_Objects")) related = Children(list, "Related_Object");
  related_.push_back(related);
  size_t referenced_before = referenced_.size();
  auto main = Properties(props, f.PathOf("Properties"));
  related_.pop_back();
  if (!main.ok()) {
    depth_ = saved_depth;
    return main.error();
  }
  MappedObject out;
  out.main = std::move(*main);
  for (size_t i = 0; i < related.size(); ++i) {
    std::string_view id = Attr(related[i], "id");
    bool used = false;
    for (size_t k = referenced_before; k < referenced_.size(); ++k)
      used = used || referenced_[k] == id;
    if (used && !id.empty()) continue;
    auto rel =
        Object(related[i], path + "/Related_Objects/Related_Object[" + std::to_string(i + 1) + "]",
               depth + 1);
    if (!rel.ok()) {
      depth_ = saved_depth;
      return rel.error();
    }
    out.related.push_back(std::move(rel->main));
    for (CyObject& r : rel->related) out.related.push_back(std::move(r));
  }
  f.Leftovers(leftovers_);
  depth_ = saved_depth;
  return out;
}

std::string Observation(const CyObject& o, const Package& package, pugi::xml_node where,
                        core::Status* status) {
  std::vector<std::string> clauses;
  Clauses(o, o.type, "", &clauses);
  if (clauses.empty()) {
    *status =
        Unmappable(package.PathOf(where), "CybOX " + o.type + " object has no value to match");
    return {};
  }
  // A negated object: NOT (a AND b) is (NOT a OR NOT b), the terms are negated.
  bool negated = !o.terms.empty() && o.terms.front().negate;
  std::string join = negated ? " OR " : " AND ";
  std::string out = "[";
  for (size_t i = 0; i < clauses.size(); ++i) out += (i == 0 ? "" : join) + clauses[i];
  return out + "]";
}

core::Result<std::string> Mapper::Observable(pugi::xml_node obs, const std::string& path,
                                             int depth) {
  if (depth > kMaxRefDepth) {
    return Unmappable(package_.PathOf(obs),
                      "Observable references nest deeper than " + std::to_string(kMaxRefDepth));
  }
  std::string_view idref = Attr(obs, "idref");
  if (!idref.empty() && !Child(obs, "Object") && !Child(obs, "Observable_Composition")) {
    pugi::xml_node target = package_.Find(idref);
    if (!target) {
      return Unmappable(package_.PathOf(obs),
                        "idref '" + std::string(idref) + "' names no Observable");
    }
    return Observable(target, path, depth + 1);
  }
  Fields f(obs, path);
  bool negate = f.TakeAttr("negate") == "true";
  std::string pattern;
  if (pugi::xml_node object = f.Take("Object")) {
    auto mapped = Object(object, f.PathOf("Object"), depth);
    if (!mapped.ok()) return mapped.error();
    if (negate) NegateAll(&mapped->main);
    core::Status status;
    pattern = Observation(mapped->main, package_, object, &status);
    if (!status.ok()) return status.error();
    main_indexes_.push_back(objects_.size());
    objects_.push_back(std::move(mapped->main));
    if (!mapped->related.empty()) {
      if (negate)
        return Unmappable(package_.PathOf(obs),
                          "a negated Observable with Related_Objects "
                          "has no STIX 2.1 pattern equivalent");
      pattern = "(" + pattern;
      for (CyObject& rel : mapped->related) {
        std::string more = Observation(rel, package_, object, &status);
        if (!status.ok()) return status.error();
        pattern += " AND " + more;
        objects_.push_back(std::move(rel));
      }
      pattern += ")";
    }
  } else if (pugi::xml_node comp = f.Take("Observable_Composition")) {
    if (negate) {
      return Unmappable(package_.PathOf(obs),
                        "a negated Observable_Composition has no STIX 2.1 "
                        "pattern equivalent");
    }
    std::string_view op = Attr(comp, "operator");
    if (op != "AND" && op != "OR") {
      return Unmappable(package_.PathOf(comp), "Observable_Composition operator '" +
                                                   std::string(op) + "' is neither AND nor OR");
    }
    std::vector<pugi::xml_node> parts = Children(comp, "Observable");
    if (parts.empty()) return Unmappable(package_.PathOf(comp), "empty Observable_Composition");
    std::vector<std::string> patterns;
    for (size_t i = 0; i < parts.size(); ++i) {
      auto p = Observable(
          parts[i],
          f.PathOf("Observable_Composition") + "/Observable[" + std::to_string(i + 1) + "]",
          depth + 1);
      if (!p.ok()) return p.error();
      patterns.push_back(std::move(*p));
    }
    if (patterns.size() == 1) {
      pattern = patterns[0];
    } else {
      pattern = "(";
      for (size_t i = 0; i < patterns.size(); ++i) {
        pattern += (i == 0 ? "" : " " + std::string(op) + " ") + patterns[i];
      }
      pattern += ")";
    }
  } else if (Child(obs, "Event")) {
    return Unmappable(package_.PathOf(obs), "CybOX Event observables (actions) are not supported");
  } else {
    std::string said = Text(Child(obs, "Description"));
    if (said.size() > 160) said = said.substr(0, 160) + "...";
    return Unmappable(package_.PathOf(obs),
                      "Observable has neither Object nor Observable_Composition" +
                          (said.empty() ? std::string() : " (its Description: " + said + ")"));
  }
  f.Leftovers(leftovers_);
  return pattern;
}

// ---- Object types ---------------------------------------------------------------------------

core::Result<CyObject> Mapper::AddressObject(pugi::xml_node address, const std::string& path,
                                             std::string_view category_hint) {
  CyObject o;
  o.type = "ipv4-addr";
  Fields f(address, path);
  std::string category(f.TakeAttr("category"));
  if (category.empty()) category = category_hint;
  pugi::xml_node value = f.Take("Address_Value");
  if (!value) {
    return Unmappable(package_.PathOf(address), "Address has no Address_Value");
  }
  std::string text = Text(value);
  std::string first(Trim(text.substr(0, text.find("##comma##"))));
  if (category.empty()) {
    // No category: what the value is decides (an e-mail, an IPv6 address, ...).
    normalize::Classification c = normalize::Classify(first, package_.context().normalize);
    if (c.kinds.size() == 1) {
      switch (c.kinds[0]) {
        case normalize::Kind::kIpv4:
        case normalize::Kind::kIpv4Network:
          category = "ipv4-addr";
          break;
        case normalize::Kind::kIpv6:
        case normalize::Kind::kIpv6Network:
          category = "ipv6-addr";
          break;
        case normalize::Kind::kEmail:
          category = "e-mail";
          break;
        case normalize::Kind::kMac:
          category = "mac";
          break;
        case normalize::Kind::kAsn:
          category = "asn";
          break;
        default:
          break;
      }
    }
    if (category.empty()) {
      return Unmappable(package_.PathOf(address),
                        "Address '" + first.substr(0, 80) +
                            "' has no category and is no IP, e-mail or MAC "
                            "address");
    }
  }
  bool v6 = category == "ipv6-addr" || category == "ipv6-net";
  bool ip = v6 || category == "ipv4-addr" || category == "ipv4-net" || category == "cidr";
  if (category == "cidr" && first.find(':') != std::string::npos) v6 = true;
  if (ip) {
    o.type = v6 ? "ipv6-addr" : "ipv4-addr";
    std::string_view condition = Attr(value, "condition");
    if (condition == "InclusiveBetween" || condition == "ExclusiveBetween") {
      // An address range: the CIDR blocks that cover it exactly.
      std::vector<std::string> ends;
      std::string_view rest = text;
      for (size_t at; (at = rest.find("##comma##")) != std::string_view::npos;) {
        ends.emplace_back(Trim(rest.substr(0, at)));
        rest.remove_prefix(at + 9);
      }
      ends.emplace_back(Trim(rest));
      U128 lo = 0;
      U128 hi = 0;
      if (ends.size() != 2 || !ParseIp(ends[0], v6, &lo) || !ParseIp(ends[1], v6, &hi) || lo > hi) {
        return Unmappable(package_.PathOf(value), "address range '" + text.substr(0, 120) +
                                                      "' is not two addresses, low to high");
      }
      if (condition == "ExclusiveBetween") {
        if (hi - lo < 2) return Unmappable(package_.PathOf(value), "empty exclusive address range");
        ++lo;
        --hi;
      }
      Term t;
      t.path = "value";
      t.json_path = {"value"};
      t.op = Op::kIsSubset;
      for (const std::string& cidr : RangeToCidrs(lo, hi, v6)) {
        auto norm = normalize::NormalizeAs(
            v6 ? normalize::Kind::kIpv6Network : normalize::Kind::kIpv4Network, cidr);
        std::string canonical = norm.ok() ? norm->value : cidr;
        t.values.push_back(Literal{QuotePatternLiteral(canonical), Json::String(canonical)});
        t.raw.push_back(canonical);
      }
      o.terms.push_back(std::move(t));
    } else {
      bool net = text.find('/') != std::string::npos;
      normalize::Kind kind = v6 ? (net ? normalize::Kind::kIpv6Network : normalize::Kind::kIpv6)
                                : (net ? normalize::Kind::kIpv4Network : normalize::Kind::kIpv4);
      TESSERA_RETURN_IF_ERROR(AddTerm(&o, value, "value", {"value"}, ValueType::kString, kind));
      // A network block matches the addresses in it (§9.5 ISSUBSET).
      if (net && !o.terms.empty() && o.terms.back().op == Op::kEquals) {
        o.terms.back().op = Op::kIsSubset;
      }
    }
  } else if (category == "e-mail") {
    o.type = "email-addr";
    TESSERA_RETURN_IF_ERROR(
        AddTerm(&o, value, "value", {"value"}, ValueType::kString, normalize::Kind::kEmail));
  } else if (category == "mac") {
    o.type = "mac-addr";
    TESSERA_RETURN_IF_ERROR(
        AddTerm(&o, value, "value", {"value"}, ValueType::kString, normalize::Kind::kMac));
  } else if (category == "asn") {
    o.type = "autonomous-system";
    std::string number(first);
    if (number.size() > 2 && (number[0] == 'A' || number[0] == 'a')) number = number.substr(2);
    TESSERA_RETURN_IF_ERROR(
        AddRawTerm(&o, "number", {"number"}, number, Op::kEquals, ValueType::kInt));
  } else {
    return Unmappable(package_.PathOf(address),
                      "Address category '" + category + "' has no STIX 2.1 object");
  }
  f.Leftovers(leftovers_);
  return o;
}

core::Status Mapper::Address(Fields& p, CyObject* o) {
  p.Use(p.node());
  auto addr = AddressObject(p.node(), p.path(), "");
  if (!addr.ok()) return addr.error();
  *o = std::move(*addr);
  // AddressObject kept the leftovers of the whole element itself.
  for (pugi::xml_node child : Elements(p.node())) p.Use(child);
  for (pugi::xml_attribute a : p.node().attributes()) p.TakeAttr(a.name());
  return {};
}

core::Status Mapper::DomainName(Fields& p, CyObject* o) {
  return AddTerm(o, p.Take("Value"), "value", {"value"}, ValueType::kString,
                 normalize::Kind::kDomain);
}

core::Status Mapper::Hostname(Fields& p, CyObject* o) {
  p.TakeAttr("is_domain_name");
  pugi::xml_node value = p.Take("Hostname_Value");
  std::string text = Text(value);
  normalize::Classification c = normalize::Classify(text, package_.context().normalize);
  if (c.kinds.size() == 1 && c.kinds[0] == normalize::Kind::kIpv4) {
    o->type = "ipv4-addr";
    return AddTerm(o, value, "value", {"value"}, ValueType::kString, normalize::Kind::kIpv4);
  }
  if (c.kinds.size() == 1 && c.kinds[0] == normalize::Kind::kIpv6) {
    o->type = "ipv6-addr";
    return AddTerm(o, value, "value", {"value"}, ValueType::kString, normalize::Kind::kIpv6);
  }
  return AddTerm(o, value, "value", {"value"}, ValueType::kString, normalize::Kind::kDomain);
}

core::Status Mapper::Uri(Fields& p, CyObject* o) {
  std::string_view type = p.TakeAttr("type");
  if (type == "Domain Name") {
    o->type = "domain-name";
    return AddTerm(o, p.Take("Value"), "value", {"value"}, ValueType::kString,
                   normalize::Kind::kDomain);
  }
  return AddTerm(o, p.Take("Value"), "value", {"value"}, ValueType::kString, normalize::Kind::kUrl);
}

core::Status Mapper::Email(Fields& p, CyObject* o) {
  // An address element of the header (From, Sender, a Recipient): an email-addr.
  auto address = [&](pugi::xml_node el, const std::string& path, CyRef::Kind kind,
                     const std::string& property, const std::string& prefix) -> core::Status {
    if (!el) return {};
    auto child = AddressObject(el, path, "e-mail");
    if (!child.ok()) return child.error();
    AddRef(o, kind, {property}, prefix, std::move(*child));
    return {};
  };
  bool attachments = false;
  if (pugi::xml_node header = p.Take("Header")) {
    Fields h(header, p.PathOf("Header"));
    TESSERA_RETURN_IF_ERROR(
        address(h.Take("From"), h.PathOf("From"), CyRef::Kind::kOne, "from_ref", "from_ref."));
    TESSERA_RETURN_IF_ERROR(address(h.Take("Sender"), h.PathOf("Sender"), CyRef::Kind::kOne,
                                    "sender_ref", "sender_ref."));
    static constexpr std::pair<std::string_view, std::string_view> kLists[] = {
        {"To", "to_refs"}, {"CC", "cc_refs"}, {"BCC", "bcc_refs"}};
    for (const auto& [element, property] : kLists) {
      pugi::xml_node list = h.Take(element);
      if (!list) continue;
      Fields l(list, h.PathOf(element));
      std::vector<pugi::xml_node> recipients = l.TakeAll("Recipient");
      for (size_t i = 0; i < recipients.size(); ++i) {
        TESSERA_RETURN_IF_ERROR(
            address(recipients[i], l.PathOf("Recipient") + "[" + std::to_string(i + 1) + "]",
                    CyRef::Kind::kList, std::string(property), std::string(property) + "[*]."));
      }
      l.Leftovers(leftovers_);
    }
    TESSERA_RETURN_IF_ERROR(
        AddTerm(o, h.Take("Subject"), "subject", {"subject"}, ValueType::kString));
    TESSERA_RETURN_IF_ERROR(AddTerm(o, h.Take("Date"), "date", {"date"}, ValueType::kTimestamp));
    TESSERA_RETURN_IF_ERROR(
        AddTerm(o, h.Take("Message_ID"), "message_id", {"message_id"}, ValueType::kString));
    TESSERA_RETURN_IF_ERROR(
        AddTerm(o, h.Take("Content_Type"), "content_type", {"content_type"}, ValueType::kString));
    static constexpr std::pair<std::string_view, std::string_view> kHeaders[] = {
        {"X_Mailer", "X-Mailer"},       {"User_Agent", "User-Agent"},
        {"In_Reply_To", "In-Reply-To"}, {"MIME_Version", "MIME-Version"},
        {"Precedence", "Precedence"},   {"X_Priority", "X-Priority"},
        {"Errors_To", "Errors-To"}};
    for (const auto& [element, header_name] : kHeaders) {
      TESSERA_RETURN_IF_ERROR(
          AddTerm(o, h.Take(element), "additional_header_fields." + Step(header_name),
                  {"additional_header_fields", std::string(header_name)}, ValueType::kString));
    }
    // Headers holding an address: the Address_Value's text.
    static constexpr std::pair<std::string_view, std::string_view> kAddressHeaders[] = {
        {"Reply_To", "Reply-To"}, {"X_Originating_IP", "X-Originating-IP"}};
    for (const auto& [element, header_name] : kAddressHeaders) {
      pugi::xml_node el = h.Take(element);
      if (!el) continue;
      pugi::xml_node value = Child(el, "Address_Value");
      if (!value) {
        h.Leftovers(leftovers_);
        return Unmappable(package_.PathOf(el), std::string(element) + " has no Address_Value");
      }
      TESSERA_RETURN_IF_ERROR(AddTerm(o, value, "additional_header_fields." + Step(header_name),
                                      {"additional_header_fields", std::string(header_name)},
                                      ValueType::kString));
    }
    h.Leftovers(leftovers_);
  }
  if (pugi::xml_node list = p.Take("Attachments")) {
    Fields a(list, p.PathOf("Attachments"));
    for (pugi::xml_node file : a.TakeAll("File")) {
      std::string_view ref = Attr(file, "object_reference");
      if (ref.empty()) {
        a.Leftovers(leftovers_);
        return Unmappable(package_.PathOf(file), "attachment File without object_reference");
      }
      auto child = Referenced(ref, a.PathOf("File"));
      if (!child.ok()) return child.error();
      AddRef(o, CyRef::Kind::kMultipart, {"body_multipart"}, "body_multipart[*].body_raw_ref.",
             std::move(*child));
      attachments = true;
    }
    a.Leftovers(leftovers_);
  }
  // §6.5: with attachments the message is multipart and has no `body`.
  if (!attachments) {
    TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take("Raw_Body"), "body", {"body"}, ValueType::kString));
  }
  o->extra.Set("is_multipart", Json::Bool(attachments));
  return {};
}

core::Status Mapper::Hashes(pugi::xml_node hashes, const std::string& path, CyObject* o,
                            const std::string& prefix, std::vector<std::string> json_prefix) {
  Fields hs(hashes, path);
  for (pugi::xml_node hash : hs.TakeAll("Hash")) {
    Fields h(hash, hs.PathOf("Hash"));
    std::string type = h.TakeText("Type");
    pugi::xml_node value = h.Take("Simple_Hash_Value");
    if (!value) value = h.Take("Fuzzy_Hash_Value");
    if (!value) {
      h.Leftovers(leftovers_);
      continue;
    }
    std::string upper;
    for (char c : type) {
      if (c != '-' && c != '_' && c != ' ') {
        upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
    }
    if (upper.empty()) {
      // No Type: the digest's length says which it is.
      size_t n = Text(value).size();
      upper = n == 32 ? "MD5" : n == 40 ? "SHA1" : n == 64 ? "SHA256" : n == 128 ? "SHA512" : "";
    }
    struct Algo {
      std::string_view cybox;
      std::string_view stix;
      std::optional<normalize::Kind> kind;
    };
    static const Algo kAlgos[] = {
        {"MD5", "MD5", normalize::Kind::kMd5},
        {"SHA1", "SHA-1", normalize::Kind::kSha1},
        {"SHA224", "SHA-224", std::nullopt},
        {"SHA256", "SHA-256", normalize::Kind::kSha256},
        {"SHA384", "SHA-384", std::nullopt},
        {"SHA512", "SHA-512", normalize::Kind::kSha512},
        {"SSDEEP", "SSDEEP", normalize::Kind::kSsdeep},
        {"TLSH", "TLSH", normalize::Kind::kTlsh},
    };
    const Algo* algo = nullptr;
    for (const Algo& a : kAlgos) {
      if (a.cybox == upper) algo = &a;
    }
    std::string key = algo != nullptr ? std::string(algo->stix) : "x_" + Slug(type);
    if (algo == nullptr && Slug(type).empty()) {
      h.Leftovers(leftovers_);
      return Unmappable(package_.PathOf(hash), "Hash without a Type and of no known length");
    }
    std::vector<std::string> json_path = json_prefix;
    json_path.push_back(key);
    TESSERA_RETURN_IF_ERROR(
        AddTerm(o, value, prefix + "hashes." + Step(key), json_path,
                algo != nullptr && algo->kind ? ValueType::kString : ValueType::kLower,
                algo != nullptr ? algo->kind : std::nullopt));
    h.Leftovers(leftovers_);
  }
  hs.Leftovers(leftovers_);
  return {};
}

core::Status Mapper::File(Fields& p, CyObject* o) {
  pugi::xml_node name = p.Take("File_Name");
  std::string name_text = Text(name);
  TESSERA_RETURN_IF_ERROR(
      AddTerm(o, name, "name", {"name"}, ValueType::kString, normalize::Kind::kFileName));
  bool have_name = !name_text.empty();
  pugi::xml_node full_path = p.Take("File_Path");
  if (!full_path) full_path = p.Take("Full_Path");  // Windows files
  if (pugi::xml_node path = full_path) {
    p.TakeAttr("fully_qualified");
    std::string text = Text(path);
    std::string_view condition = Attr(path, "condition");
    if (!condition.empty() && condition != "Equals") {
      return Unmappable(package_.PathOf(path), "File_Path condition " + std::string(condition) +
                                                   " has no STIX 2.1 equivalent (STIX files have a "
                                                   "directory and a name, not a path)");
    }
    size_t cut = text.find_last_of("/\\");
    std::string dir = cut == std::string::npos ? "" : text.substr(0, cut == 0 ? 1 : cut);
    std::string base = cut == std::string::npos ? text : text.substr(cut + 1);
    if (!dir.empty()) {
      CyObject directory;
      directory.type = "directory";
      TESSERA_RETURN_IF_ERROR(
          AddRawTerm(&directory, "path", {"path"}, dir, Op::kEquals, ValueType::kString));
      AddRef(o, CyRef::Kind::kOne, {"parent_directory_ref"}, "parent_directory_ref.",
             std::move(directory));
    }
    if (!base.empty() && !have_name) {
      TESSERA_RETURN_IF_ERROR(
          AddRawTerm(o, "name", {"name"}, base, Op::kEquals, ValueType::kString));
      have_name = true;
      name_text = base;
    }
  }
  if (pugi::xml_node ext = p.Take("File_Extension")) {
    std::string e(Trim(Text(ext)));
    if (!e.empty() && e.front() == '.') e.erase(0, 1);
    std::string_view condition = Attr(ext, "condition");
    bool redundant =
        have_name && (condition.empty() || condition == "Equals") && name_text.size() > e.size() &&
        name_text.compare(name_text.size() - e.size() - 1, std::string::npos, "." + e) == 0;
    if (!e.empty() && !redundant) {
      if (!condition.empty() && condition != "Equals") {
        return Unmappable(
            package_.PathOf(ext),
            "File_Extension condition " + std::string(condition) + " has no STIX 2.1 equivalent");
      }
      // STIX files have no extension property: the name ends with it.
      Term t;
      t.path = "name";
      t.op = Op::kEndsWith;
      t.raw.push_back("." + e);
      t.values.push_back(Literal{QuotePatternLiteral("." + e), Json::String("." + e)});
      o->terms.push_back(std::move(t));
    }
  }
  TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take("Size_In_Bytes"), "size", {"size"}, ValueType::kInt));
  TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take("Magic_Number"), "magic_number_hex",
                                  {"magic_number_hex"}, ValueType::kHex));
  TESSERA_RETURN_IF_ERROR(
      AddTerm(o, p.Take("Created_Time"), "ctime", {"ctime"}, ValueType::kTimestamp));
  TESSERA_RETURN_IF_ERROR(
      AddTerm(o, p.Take("Modified_Time"), "mtime", {"mtime"}, ValueType::kTimestamp));
  TESSERA_RETURN_IF_ERROR(
      AddTerm(o, p.Take("Accessed_Time"), "atime", {"atime"}, ValueType::kTimestamp));
  if (pugi::xml_node hashes = p.Take("Hashes")) {
    TESSERA_RETURN_IF_ERROR(Hashes(hashes, p.PathOf("Hashes"), o, "", {"hashes"}));
  }
  // Archive_File: the files in the archive (§6.7 archive-ext).
  std::vector<pugi::xml_node> archived = p.TakeAll("Archived_File");
  for (size_t i = 0; i < archived.size(); ++i) {
    CyObject child;
    child.type = "file";
    Fields a(archived[i], p.PathOf("Archived_File") + "[" + std::to_string(i + 1) + "]");
    TESSERA_RETURN_IF_ERROR(File(a, &child));
    a.Leftovers(leftovers_);
    AddRef(o, CyRef::Kind::kList, {"extensions", "archive-ext", "contains_refs"},
           "extensions.'archive-ext'.contains_refs[*].", std::move(child));
  }
  if (!archived.empty()) {
    TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take("Comment"), "extensions.'archive-ext'.comment",
                                    {"extensions", "archive-ext", "comment"}, ValueType::kString));
  }
  return {};
}

core::Status Mapper::SocketAddress(pugi::xml_node node, const std::string& path, CyObject* o,
                                   const std::string& side) {
  Fields f(node, path);
  if (pugi::xml_node ip = f.Take("IP_Address")) {
    auto addr = AddressObject(ip, f.PathOf("IP_Address"), "");
    if (!addr.ok()) return addr.error();
    AddRef(o, CyRef::Kind::kOne, {side + "_ref"}, side + "_ref.", std::move(*addr));
  } else if (pugi::xml_node host = f.Take("Hostname")) {
    Fields h(host, f.PathOf("Hostname"));
    CyObject name;
    name.type = "domain-name";
    TESSERA_RETURN_IF_ERROR(Hostname(h, &name));
    h.Leftovers(leftovers_);
    AddRef(o, CyRef::Kind::kOne, {side + "_ref"}, side + "_ref.", std::move(name));
  }
  if (pugi::xml_node port = f.Take("Port")) {
    Fields pf(port, f.PathOf("Port"));
    TESSERA_RETURN_IF_ERROR(
        AddTerm(o, pf.Take("Port_Value"), side + "_port", {side + "_port"}, ValueType::kInt));
    TESSERA_RETURN_IF_ERROR(AddTerm(o, pf.Take("Layer4_Protocol"), "protocols[*]", {"protocols"},
                                    ValueType::kLower, std::nullopt, true));
    pf.Leftovers(leftovers_);
  }
  f.Leftovers(leftovers_);
  return {};
}

// The first request of an HTTP_Session as an http-request-ext (§6.12.4).
core::Status Mapper::HttpSession(pugi::xml_node node, const std::string& path, CyObject* o,
                                 const std::string& prefix) {
  Fields s(node, path);
  std::vector<pugi::xml_node> exchanges = s.TakeAll("HTTP_Request_Response");
  if (exchanges.empty()) {
    s.Leftovers(leftovers_);
    return {};
  }
  std::vector<std::string> ext = {"extensions", "http-request-ext"};
  auto at = [&](std::initializer_list<std::string> more) {
    std::vector<std::string> p = ext;
    for (const std::string& m : more) p.push_back(m);
    return p;
  };
  Fields r(exchanges[0], s.PathOf("HTTP_Request_Response"));
  if (pugi::xml_node request = r.Take("HTTP_Client_Request")) {
    Fields q(request, r.PathOf("HTTP_Client_Request"));
    if (pugi::xml_node line = q.Take("HTTP_Request_Line")) {
      Fields l(line, q.PathOf("HTTP_Request_Line"));
      TESSERA_RETURN_IF_ERROR(AddTerm(o, l.Take("HTTP_Method"), prefix + "request_method",
                                      at({"request_method"}), ValueType::kLower));
      TESSERA_RETURN_IF_ERROR(AddTerm(o, l.Take("Value"), prefix + "request_value",
                                      at({"request_value"}), ValueType::kString));
      TESSERA_RETURN_IF_ERROR(AddTerm(o, l.Take("Version"), prefix + "request_version",
                                      at({"request_version"}), ValueType::kLower));
      l.Leftovers(leftovers_);
    }
    if (pugi::xml_node header = q.Take("HTTP_Request_Header")) {
      Fields hd(header, q.PathOf("HTTP_Request_Header"));
      if (pugi::xml_node parsed = hd.Take("Parsed_Header")) {
        Fields ph(parsed, hd.PathOf("Parsed_Header"));
        for (pugi::xml_node field : Elements(parsed)) {
          std::string name(LocalName(field));
          pugi::xml_node value = field;
          if (name == "Host") {
            // Host: Domain_Name/Value (and a Port).
            pugi::xml_node domain = Child(field, "Domain_Name");
            if (!domain || !Child(domain, "Value") || Child(field, "Port")) continue;
            value = Child(domain, "Value");
          } else if (name == "From" || name == "Referer" || name == "X_Forwarded_For") {
            if (Elements(field).size() > 0) continue;  // structured: kept as a leftover
          }
          ph.Use(field);
          std::string header_name = name;
          std::replace(header_name.begin(), header_name.end(), '_', '-');
          TESSERA_RETURN_IF_ERROR(AddTerm(o, value, prefix + "request_header." + Step(header_name),
                                          at({"request_header", header_name}), ValueType::kString));
        }
        ph.Leftovers(leftovers_);
      }
      hd.Leftovers(leftovers_);
    }
    if (pugi::xml_node body = q.Take("HTTP_Message_Body")) {
      Fields b(body, q.PathOf("HTTP_Message_Body"));
      TESSERA_RETURN_IF_ERROR(AddTerm(o, b.Take("Length"), prefix + "message_body_length",
                                      at({"message_body_length"}), ValueType::kInt));
      if (pugi::xml_node data = b.Take("Message_Body")) {
        CyObject artifact;
        artifact.type = "artifact";
        TESSERA_RETURN_IF_ERROR(AddRawTerm(&artifact, "payload_bin", {"payload_bin"},
                                           core::Base64Encode(Text(data)), Op::kEquals,
                                           ValueType::kBinary));
        AddRef(o, CyRef::Kind::kOne, at({"message_body_data_ref"}),
               prefix + "message_body_data_ref.", std::move(artifact));
      }
      b.Leftovers(leftovers_);
    }
    q.Leftovers(leftovers_);
  }
  r.Leftovers(leftovers_);
  for (size_t i = 1; i < exchanges.size(); ++i) {
    AddField(leftovers_, s.PathOf("HTTP_Request_Response"), LeftoverValue(exchanges[i]));
  }
  s.Leftovers(leftovers_);
  return {};
}

core::Status Mapper::NetworkConnection(Fields& p, CyObject* o) {
  for (std::string_view layer : {"Layer3_Protocol", "Layer4_Protocol", "Layer7_Protocol"}) {
    TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take(layer), "protocols[*]", {"protocols"},
                                    ValueType::kLower, std::nullopt, true));
  }
  TESSERA_RETURN_IF_ERROR(
      AddTerm(o, p.Take("Creation_Time"), "start", {"start"}, ValueType::kTimestamp));
  if (pugi::xml_node src = p.Take("Source_Socket_Address")) {
    TESSERA_RETURN_IF_ERROR(SocketAddress(src, p.PathOf("Source_Socket_Address"), o, "src"));
  }
  if (pugi::xml_node dst = p.Take("Destination_Socket_Address")) {
    TESSERA_RETURN_IF_ERROR(SocketAddress(dst, p.PathOf("Destination_Socket_Address"), o, "dst"));
  }
  if (pugi::xml_node l7 = p.Take("Layer7_Connections")) {
    Fields l(l7, p.PathOf("Layer7_Connections"));
    if (pugi::xml_node http = l.Take("HTTP_Session")) {
      TESSERA_RETURN_IF_ERROR(
          HttpSession(http, l.PathOf("HTTP_Session"), o, "extensions.'http-request-ext'."));
    }
    l.Leftovers(leftovers_);
  }
  return {};
}

core::Status Mapper::SocketAddressObject(Fields& p, CyObject* o) {
  for (pugi::xml_node child : Elements(p.node())) p.Use(child);
  if (!Child(p.node(), "Port")) {
    // An address alone is that address.
    if (pugi::xml_node ip = Child(p.node(), "IP_Address")) {
      auto addr = AddressObject(ip, p.PathOf("IP_Address"), "");
      if (!addr.ok()) return addr.error();
      *o = std::move(*addr);
      return {};
    }
    if (pugi::xml_node host = Child(p.node(), "Hostname")) {
      Fields h(host, p.PathOf("Hostname"));
      o->type = "domain-name";
      TESSERA_RETURN_IF_ERROR(Hostname(h, o));
      h.Leftovers(leftovers_);
      return {};
    }
  }
  return SocketAddress(p.node(), p.path(), o, "dst");
}

core::Status Mapper::Port(Fields& p, CyObject* o) {
  // A port alone: traffic to it (direction unknown, destination assumed).
  o->sco_allowed = false;
  TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take("Port_Value"), "dst_port", {}, ValueType::kInt));
  return AddTerm(o, p.Take("Layer4_Protocol"), "protocols[*]", {}, ValueType::kLower);
}

core::Status Mapper::Socket(Fields& p, CyObject* o) {
  std::string ext = "extensions.'socket-ext'.";
  std::vector<std::string> json = {"extensions", "socket-ext"};
  auto at = [&](const std::string& property) {
    std::vector<std::string> path = json;
    path.push_back(property);
    return path;
  };
  bool listening = p.node().attribute("is_listening").as_bool();
  TESSERA_RETURN_IF_ERROR(AddAttrTerm(o, p, "is_listening", ext + "is_listening",
                                      at("is_listening"), ValueType::kBool));
  TESSERA_RETURN_IF_ERROR(
      AddAttrTerm(o, p, "is_blocking", ext + "is_blocking", at("is_blocking"), ValueType::kBool));
  TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take("Address_Family"), ext + "address_family",
                                  at("address_family"), ValueType::kString));
  TESSERA_RETURN_IF_ERROR(
      AddTerm(o, p.Take("Type"), ext + "socket_type", at("socket_type"), ValueType::kString));
  TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take("Protocol"), "protocols[*]", {"protocols"},
                                  ValueType::kLower, std::nullopt, true));
  if (pugi::xml_node options = p.Take("Options")) {
    Fields opt(options, p.PathOf("Options"));
    for (pugi::xml_node option : Elements(options)) {
      std::string value = Text(option);
      std::string lower = value;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "true") value = "1";
      if (lower == "false") value = "0";
      if (!MakeLiteral(value, ValueType::kInt, "").ok()) continue;  // kept as a leftover
      opt.Use(option);
      std::string name(LocalName(option));
      TESSERA_RETURN_IF_ERROR(AddRawTerm(o, ext + "options." + Step(name), at("options"), value,
                                         Op::kEquals, ValueType::kInt));
      o->terms.back().json_path.push_back(name);
    }
    opt.Leftovers(leftovers_);
  }
  // The local address of a listening socket receives: it is the destination.
  if (pugi::xml_node local = p.Take("Local_Address")) {
    TESSERA_RETURN_IF_ERROR(
        SocketAddress(local, p.PathOf("Local_Address"), o, listening ? "dst" : "src"));
  }
  if (pugi::xml_node remote = p.Take("Remote_Address")) {
    TESSERA_RETURN_IF_ERROR(
        SocketAddress(remote, p.PathOf("Remote_Address"), o, listening ? "src" : "dst"));
  }
  return {};
}

core::Status Mapper::Http(Fields& p, CyObject* o) {
  o->sco_allowed = false;  // network-traffic needs an address
  p.Use(p.node());
  for (pugi::xml_node child : Elements(p.node())) p.Use(child);
  return HttpSession(p.node(), p.path(), o, "extensions.'http-request-ext'.");
}

core::Status Mapper::Packet(Fields& p, CyObject* o) {
  o->sco_allowed = false;
  pugi::xml_node internet = p.Take("Internet_Layer");
  if (!internet)
    return Unmappable(package_.PathOf(p.node()), "Network packet without Internet_Layer");
  Fields in(internet, p.PathOf("Internet_Layer"));
  for (std::string_view version : {"ICMPv4", "ICMPv6"}) {
    pugi::xml_node icmp = in.Take(version);
    if (!icmp) continue;
    Fields ic(icmp, in.PathOf(version));
    pugi::xml_node header = ic.Take(std::string(version) + "_Header");
    if (!header) {
      ic.Leftovers(leftovers_);
      continue;
    }
    Fields h(header, ic.PathOf(std::string(version) + "_Header"));
    TESSERA_RETURN_IF_ERROR(
        AddTerm(o, h.Take("Type"), "extensions.'icmp-ext'.icmp_type_hex", {}, ValueType::kHex));
    TESSERA_RETURN_IF_ERROR(
        AddTerm(o, h.Take("Code"), "extensions.'icmp-ext'.icmp_code_hex", {}, ValueType::kHex));
    h.Leftovers(leftovers_);
    ic.Leftovers(leftovers_);
  }
  in.Leftovers(leftovers_);
  return {};
}

core::Status Mapper::Mutex(Fields& p, CyObject* o) {
  return AddTerm(o, p.Take("Name"), "name", {"name"}, ValueType::kString);
}

core::Status Mapper::Registry(Fields& p, CyObject* o) {
  pugi::xml_node key = p.Take("Key");
  pugi::xml_node hive = p.Take("Hive");
  if (key) {
    std::string text = Text(key);
    std::string hive_text = Text(hive);
    std::string_view condition = Attr(key, "condition");
    if (!hive_text.empty() &&
        (condition.empty() || condition == "Equals" || condition == "StartsWith")) {
      text = hive_text + "\\" + text;  // the full key starts with its hive
    } else if (hive) {
      TESSERA_RETURN_IF_ERROR(AddTerm(o, hive, "key", {}, ValueType::kString));
      o->terms.back().op = Op::kStartsWith;
    }
    std::optional<Op> op = ParseOp(condition);
    if (!op) {
      return Unmappable(package_.PathOf(key), "condition '" + std::string(condition) +
                                                  "' on Key has no STIX 2.1 pattern operator");
    }
    Term t;
    t.path = "key";
    t.json_path = {"key"};
    t.op = *op;
    t.raw.push_back(text);
    t.values.push_back(Literal{QuotePatternLiteral(text), Json::String(text)});
    o->terms.push_back(std::move(t));
  } else if (hive) {
    TESSERA_RETURN_IF_ERROR(AddTerm(o, hive, "key", {}, ValueType::kString));
    o->terms.back().op = Op::kStartsWith;
  }
  if (pugi::xml_node values = p.Take("Values")) {
    Fields vs(values, p.PathOf("Values"));
    std::vector<pugi::xml_node> list = vs.TakeAll("Value");
    Json entries = Json::MakeArray();
    for (pugi::xml_node value : list) {
      Fields v(value, vs.PathOf("Value"));
      size_t first = o->terms.size();
      TESSERA_RETURN_IF_ERROR(AddTerm(o, v.Take("Name"), "values[*].name", {}, ValueType::kString));
      TESSERA_RETURN_IF_ERROR(AddTerm(o, v.Take("Data"), "values[*].data", {}, ValueType::kString));
      TESSERA_RETURN_IF_ERROR(
          AddTerm(o, v.Take("Datatype"), "values[*].data_type", {}, ValueType::kString));
      Json entry = Json::MakeObject();
      for (size_t i = first; i < o->terms.size(); ++i) {
        const Term& t = o->terms[i];
        if (!TermExact(t)) continue;
        entry.Set(t.path.substr(t.path.rfind('.') + 1), t.values[0].json);
      }
      if (!entry.as_object().empty()) entries.as_array().push_back(std::move(entry));
      v.Leftovers(leftovers_);
    }
    if (!entries.as_array().empty()) o->extra.Set("values", std::move(entries));
    vs.Leftovers(leftovers_);
  }
  TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take("Modified_Time"), "modified_time", {"modified_time"},
                                  ValueType::kTimestamp));
  return {};
}

core::Status Mapper::Product(Fields& p, CyObject* o) {
  TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take("Product"), "name", {"name"}, ValueType::kString));
  TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take("Vendor"), "vendor", {"vendor"}, ValueType::kString));
  TESSERA_RETURN_IF_ERROR(
      AddTerm(o, p.Take("Version"), "version", {"version"}, ValueType::kString));
  for (pugi::xml_node language : p.TakeAll("Language")) {
    TESSERA_RETURN_IF_ERROR(AddTerm(o, language, "languages[*]", {"languages"}, ValueType::kString,
                                    std::nullopt, true));
  }
  return {};
}

core::Status Mapper::Account(Fields& p, CyObject* o) {
  std::string_view xsi = XsiType(p.node());
  TESSERA_RETURN_IF_ERROR(
      AddAttrTerm(o, p, "disabled", "is_disabled", {"is_disabled"}, ValueType::kBool));
  TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take("Last_Login"), "account_last_login",
                                  {"account_last_login"}, ValueType::kTimestamp));
  TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take("Creation_Date"), "account_created",
                                  {"account_created"}, ValueType::kTimestamp));
  TESSERA_RETURN_IF_ERROR(
      AddTerm(o, p.Take("Username"), "account_login", {"account_login"}, ValueType::kString));
  TESSERA_RETURN_IF_ERROR(
      AddTerm(o, p.Take("Full_Name"), "display_name", {"display_name"}, ValueType::kString));
  if (xsi == "UnixUserAccountObjectType") {
    TESSERA_RETURN_IF_ERROR(
        AddRawTerm(o, "account_type", {"account_type"}, "unix", Op::kEquals, ValueType::kString));
    TESSERA_RETURN_IF_ERROR(
        AddTerm(o, p.Take("User_ID"), "user_id", {"user_id"}, ValueType::kString));
    std::string ext = "extensions.'unix-account-ext'.";
    TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take("Group_ID"), ext + "gid",
                                    {"extensions", "unix-account-ext", "gid"}, ValueType::kInt));
    TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take("Home_Directory"), ext + "home_dir",
                                    {"extensions", "unix-account-ext", "home_dir"},
                                    ValueType::kString));
    TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take("Login_Shell"), ext + "shell",
                                    {"extensions", "unix-account-ext", "shell"},
                                    ValueType::kString));
  } else if (xsi == "WindowsUserAccountObjectType") {
    TESSERA_RETURN_IF_ERROR(AddRawTerm(o, "account_type", {"account_type"}, "windows-local",
                                       Op::kEquals, ValueType::kString));
    TESSERA_RETURN_IF_ERROR(
        AddTerm(o, p.Take("Security_ID"), "user_id", {"user_id"}, ValueType::kString));
  }
  return {};
}

core::Status Mapper::X509(Fields& p, CyObject* o) {
  pugi::xml_node cert = p.Take("Certificate");
  if (!cert) return {};
  Fields c(cert, p.PathOf("Certificate"));
  static constexpr std::pair<std::string_view, std::string_view> kPlain[] = {
      {"Serial_Number", "serial_number"},
      {"Issuer", "issuer"},
      {"Subject", "subject"},
      {"Version", "version"},
      {"Signature_Algorithm", "signature_algorithm"}};
  for (const auto& [element, property] : kPlain) {
    TESSERA_RETURN_IF_ERROR(AddTerm(o, c.Take(element), std::string(property),
                                    {std::string(property)}, ValueType::kString));
  }
  if (pugi::xml_node validity = c.Take("Validity")) {
    Fields v(validity, c.PathOf("Validity"));
    TESSERA_RETURN_IF_ERROR(AddTerm(o, v.Take("Not_Before"), "validity_not_before",
                                    {"validity_not_before"}, ValueType::kTimestamp));
    TESSERA_RETURN_IF_ERROR(AddTerm(o, v.Take("Not_After"), "validity_not_after",
                                    {"validity_not_after"}, ValueType::kTimestamp));
    v.Leftovers(leftovers_);
  }
  if (pugi::xml_node key = c.Take("Subject_Public_Key")) {
    Fields k(key, c.PathOf("Subject_Public_Key"));
    TESSERA_RETURN_IF_ERROR(AddTerm(o, k.Take("Public_Key_Algorithm"),
                                    "subject_public_key_algorithm",
                                    {"subject_public_key_algorithm"}, ValueType::kString));
    if (pugi::xml_node rsa = k.Take("RSA_Public_Key")) {
      Fields r(rsa, k.PathOf("RSA_Public_Key"));
      TESSERA_RETURN_IF_ERROR(AddTerm(o, r.Take("Modulus"), "subject_public_key_modulus",
                                      {"subject_public_key_modulus"}, ValueType::kString));
      TESSERA_RETURN_IF_ERROR(AddTerm(o, r.Take("Exponent"), "subject_public_key_exponent",
                                      {"subject_public_key_exponent"}, ValueType::kInt));
      r.Leftovers(leftovers_);
    }
    k.Leftovers(leftovers_);
  }
  if (pugi::xml_node ext = c.Take("Standard_Extensions")) {
    Fields e(ext, c.PathOf("Standard_Extensions"));
    for (pugi::xml_node field : Elements(ext)) {
      std::string name(LocalName(field));
      for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      e.Use(field);
      if (name == "private_key_usage_period") {
        Fields period(field, e.PathOf("Private_Key_Usage_Period"));
        for (std::string_view bound : {"Not_Before", "Not_After"}) {
          std::string property = "private_key_usage_period_" + Slug(bound);
          std::replace(property.begin(), property.end(), '-', '_');
          TESSERA_RETURN_IF_ERROR(AddTerm(o, period.Take(bound), "x509_v3_extensions." + property,
                                          {"x509_v3_extensions", property}, ValueType::kTimestamp));
        }
        period.Leftovers(leftovers_);
        continue;
      }
      TESSERA_RETURN_IF_ERROR(AddTerm(o, field, "x509_v3_extensions." + name,
                                      {"x509_v3_extensions", name}, ValueType::kString));
    }
    e.Leftovers(leftovers_);
  }
  c.Leftovers(leftovers_);
  return {};
}

core::Status Mapper::As(Fields& p, CyObject* o) {
  pugi::xml_node number = p.Take("Number");
  pugi::xml_node handle = Child(p.node(), "Handle");
  std::string_view condition = Attr(handle, "condition");
  if (!number && handle && (condition.empty() || condition == "Equals")) {
    // A handle "AS174" names the number (MISP exports write it so).
    auto asn =
        normalize::NormalizeAs(normalize::Kind::kAsn, Text(handle), package_.context().normalize);
    if (asn.ok() && asn->Field("number") != nullptr) {
      p.Use(handle);
      TESSERA_RETURN_IF_ERROR(
          AddRawTerm(o, "number", {"number"}, *asn->Field("number"), Op::kEquals, ValueType::kInt));
    }
  }
  TESSERA_RETURN_IF_ERROR(AddTerm(o, number, "number", {"number"}, ValueType::kInt));
  TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take("Name"), "name", {"name"}, ValueType::kString));
  return AddTerm(o, p.Take("Regional_Internet_Registry"), "rir", {"rir"}, ValueType::kString);
}

core::Status Mapper::Artifact(Fields& p, CyObject* o) {
  pugi::xml_node packaging = Child(p.node(), "Packaging");
  bool transformed =
      packaging && (Child(packaging, "Compression") || Child(packaging, "Encryption"));
  if (!transformed) {
    TESSERA_RETURN_IF_ERROR(
        AddTerm(o, p.Take("Raw_Artifact"), "payload_bin", {"payload_bin"}, ValueType::kBinary));
  }
  if (pugi::xml_node hashes = p.Take("Hashes")) {
    TESSERA_RETURN_IF_ERROR(Hashes(hashes, p.PathOf("Hashes"), o, "", {"hashes"}));
  }
  return {};
}

core::Status Mapper::Process(Fields& p, CyObject* o) {
  // Process ids are not deterministic in STIX 2.1 (§6.11): pattern only.
  o->sco_allowed = false;
  if (XsiType(p.node()) == "WindowsServiceObjectType") {
    std::string ext = "extensions.'windows-service-ext'.";
    static constexpr std::pair<std::string_view, std::string_view> kService[] = {
        {"Service_Name", "service_name"},
        {"Display_Name", "display_name"},
        {"Startup_Type", "start_type"},
        {"Service_Type", "service_type"},
        {"Service_Status", "service_status"}};
    for (const auto& [element, property] : kService) {
      TESSERA_RETURN_IF_ERROR(
          AddTerm(o, p.Take(element), ext + std::string(property), {}, ValueType::kString));
    }
    for (pugi::xml_node dll : p.TakeAll("Service_DLL")) {
      TESSERA_RETURN_IF_ERROR(
          AddTerm(o, dll, ext + "service_dll_refs[*].name", {}, ValueType::kString));
    }
    if (pugi::xml_node list = p.Take("Description_List")) {
      for (pugi::xml_node d : Children(list, "Description")) {
        TESSERA_RETURN_IF_ERROR(AddTerm(o, d, ext + "descriptions[*]", {}, ValueType::kString));
      }
    }
  }
  TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take("PID"), "pid", {}, ValueType::kInt));
  TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take("Name"), "image_ref.name", {}, ValueType::kString));
  TESSERA_RETURN_IF_ERROR(AddTerm(o, p.Take("Parent_PID"), "parent_ref.pid", {}, ValueType::kInt));
  if (pugi::xml_node image = p.Take("Image_Info")) {
    Fields i(image, p.PathOf("Image_Info"));
    TESSERA_RETURN_IF_ERROR(
        AddTerm(o, i.Take("File_Name"), "image_ref.name", {}, ValueType::kString));
    TESSERA_RETURN_IF_ERROR(
        AddTerm(o, i.Take("Command_Line"), "command_line", {}, ValueType::kString));
    TESSERA_RETURN_IF_ERROR(AddTerm(o, i.Take("Current_Directory"), "cwd", {}, ValueType::kString));
    if (pugi::xml_node path = i.Take("Path")) {
      // The image's full path: its directory and name.
      std::string text = Text(path);
      std::string_view condition = Attr(path, "condition");
      if (!condition.empty() && condition != "Equals") {
        return Unmappable(package_.PathOf(path),
                          "Path condition " + std::string(condition) +
                              " has no STIX 2.1 equivalent (files have a directory and a name)");
      }
      size_t cut = text.find_last_of("/\\");
      if (cut != std::string::npos && cut > 0) {
        TESSERA_RETURN_IF_ERROR(AddRawTerm(o, "image_ref.parent_directory_ref.path", {},
                                           text.substr(0, cut), Op::kEquals, ValueType::kString));
      }
      TESSERA_RETURN_IF_ERROR(AddRawTerm(o, "image_ref.name", {},
                                         cut == std::string::npos ? text : text.substr(cut + 1),
                                         Op::kEquals, ValueType::kString));
    }
    i.Leftovers(leftovers_);
  }
  return {};
}

core::Status Mapper::DnsRecord(Fields& p, CyObject* o) {
  if (pugi::xml_node domain = p.Take("Domain_Name")) {
    Fields d(domain, p.PathOf("Domain_Name"));
    TESSERA_RETURN_IF_ERROR(AddTerm(o, d.Take("Value"), "value", {"value"}, ValueType::kString,
                                    normalize::Kind::kDomain));
    d.Leftovers(leftovers_);
  }
  if (pugi::xml_node ip = p.Take("IP_Address")) {
    auto addr = AddressObject(ip, p.PathOf("IP_Address"), "");
    if (!addr.ok()) return addr.error();
    AddRef(o, CyRef::Kind::kList, {"resolves_to_refs"}, "resolves_to_refs[*].", std::move(*addr));
  }
  return {};
}

}  // namespace

core::Result<ObservableMapping> MapObservable(pugi::xml_node observable, const Package& package,
                                              const std::string& path, core::Json* leftovers) {
  ObservableMapping out;
  Mapper mapper(package, leftovers, &out.notes);
  auto pattern = mapper.Observable(observable, path, 0);
  if (!pattern.ok()) return pattern.error();
  out.pattern = std::move(*pattern);
  ScoBuilder builder(&out.scos, &out.notes);
  std::vector<CyObject>& objects = mapper.objects();
  std::vector<bool> main(objects.size(), false);
  for (size_t i : mapper.main_indexes()) main[i] = true;
  for (size_t i = 0; i < objects.size(); ++i) {
    out.exact = out.exact && AllExact(objects[i]) && objects[i].sco_allowed;
    std::vector<std::string> ids = builder.Build(objects[i]);
    if (main[i]) {
      for (std::string& id : ids) out.main_ids.push_back(std::move(id));
    }
  }
  return out;
}

}  // namespace tessera::formats::stix1
