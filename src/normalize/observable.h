// Observable: one canonical indicator value (an IP address, a domain, a hash, a
// wallet, ...) with the kind it is and the context normalization found. Every
// canonicalizer in this module returns Result<Observable>: the canonical value,
// or the reason the input is not one. Value type; not synchronized.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace tessera::normalize {

enum class Kind {
  kIpv4,             // 198.51.100.7
  kIpv6,             // 2001:db8::1 (RFC 5952)
  kIpv4Network,      // 198.51.100.0/24 (host bits cleared)
  kIpv6Network,      // 2001:db8::/32
  kDomain,           // example.com (A-labels, lower case, no trailing dot)
  kUrl,              // http://example.com/a (RFC 3986 §6)
  kEmail,            // user@example.com (domain normalized, local part kept)
  kMd5,
  kSha1,
  kSha256,
  kSha512,
  kSsdeep,
  kTlsh,
  kAsn,              // AS64500
  kCve,              // CVE-2021-44228
  kMac,              // 00:1a:2b:3c:4d:5e
  kFileName,         // invoice.pdf.exe
  kBitcoinAddress,   // legacy base58check, P2SH, SegWit bech32 / bech32m
  kEthereumAddress,  // 0x + 40 hex, EIP-55 checksum form
  kMoneroAddress,
  kIban,             // DE89370400440532013000
  kPhoneNumber,      // +4930123456 (E.164)
  kPaymentCard,      // never in clear: keyed hash, with BIN and last four as fields
  kSocialAccount,    // twitter:example_handle
};

// Stable lower-case names used on the command line and in JSON output:
// ipv4 ipv6 ipv4-cidr ipv6-cidr domain url email md5 sha1 sha256 sha512 ssdeep
// tlsh asn cve mac filename btc eth xmr iban phone payment-card social.
std::string_view KindName(Kind kind);
std::optional<Kind> KindFromName(std::string_view name);
// Every kind, in declaration order.
const std::vector<Kind>& AllKinds();

struct Observable {
  Kind kind = Kind::kDomain;
  std::string value;  // the canonical form
  // Kind-specific context, in a fixed order per kind, e.g. {"registrable_domain",
  // "example.co.uk"}, {"unicode", "bücher.de"}, {"bin", "411111"}. Keys are string
  // literals (static storage): a name per field, never built at run time.
  std::vector<std::pair<std::string_view, std::string>> fields;
  // What normalization changed that a user should know ("host bits were set and
  // are cleared", "leading zeros read as decimal", "trailing dot removed").
  std::vector<std::string> notes;

  // The value of a field, or nullptr.
  const std::string* Field(std::string_view name) const;
};

namespace detail {
// `text` without ASCII whitespace (space, \t \n \r \v \f) at either end; borrows
// from `text`. Every canonicalizer trims its input with it.
std::string_view TrimAsciiSpace(std::string_view text);

// Fills an Observable in place for canonicalizers run in loops: the strings an
// earlier value left in it are reused (they keep their capacity), so writing a
// value like the last one allocates nothing. Write the value with value(); add
// fields and notes in order; when the writer goes out of scope, fields and notes
// left over from before are dropped. Borrows `out`.
class ObservableWriter {
 public:
  ObservableWriter(Observable* out, Kind kind) : out_(out) { out->kind = kind; }
  ~ObservableWriter() {
    out_->fields.resize(fields_);
    out_->notes.resize(notes_);
  }
  ObservableWriter(const ObservableWriter&) = delete;
  ObservableWriter& operator=(const ObservableWriter&) = delete;

  std::string& value() { return out_->value; }
  // A new field `key` (a string literal); returns its value, empty, to fill (the
  // reference is good until the next Field).
  std::string& Field(std::string_view key) {
    if (fields_ == out_->fields.size()) out_->fields.emplace_back();
    auto& field = out_->fields[fields_++];
    field.first = key;
    field.second.clear();
    return field.second;
  }
  void Field(std::string_view key, std::string_view value) { Field(key).assign(value); }
  // A new note; returns it, empty, to fill (good until the next Note).
  std::string& Note() {
    if (notes_ == out_->notes.size()) out_->notes.emplace_back();
    std::string& note = out_->notes[notes_++];
    note.clear();
    return note;
  }
  void Note(std::string_view text) { Note().assign(text); }

 private:
  Observable* out_;
  size_t fields_ = 0;
  size_t notes_ = 0;
};

// The message of NotA(kind, reason), written into `*out` (whose capacity is reused).
void NotAMessage(Kind kind, std::string_view reason, std::string* out);
}  // namespace detail

// The error every canonicalizer returns for input that is not a value of its
// kind: code kValidation, message = the reason in plain words.
core::Error NotA(Kind kind, std::string reason);

}  // namespace tessera::normalize
