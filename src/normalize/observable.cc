#include "normalize/observable.h"

#include <array>
#include <utility>

namespace tessera::normalize {
namespace {

struct KindRow {
  Kind kind;
  std::string_view name;
  std::string_view description;
};

constexpr std::array<KindRow, 24> kKinds = {{
    {Kind::kIpv4, "ipv4", "IPv4 address"},
    {Kind::kIpv6, "ipv6", "IPv6 address"},
    {Kind::kIpv4Network, "ipv4-cidr", "IPv4 network"},
    {Kind::kIpv6Network, "ipv6-cidr", "IPv6 network"},
    {Kind::kDomain, "domain", "domain name"},
    {Kind::kUrl, "url", "URL"},
    {Kind::kEmail, "email", "e-mail address"},
    {Kind::kMd5, "md5", "MD5 hash"},
    {Kind::kSha1, "sha1", "SHA-1 hash"},
    {Kind::kSha256, "sha256", "SHA-256 hash"},
    {Kind::kSha512, "sha512", "SHA-512 hash"},
    {Kind::kSsdeep, "ssdeep", "ssdeep fuzzy hash"},
    {Kind::kTlsh, "tlsh", "TLSH fuzzy hash"},
    {Kind::kAsn, "asn", "autonomous system number"},
    {Kind::kCve, "cve", "CVE identifier"},
    {Kind::kMac, "mac", "MAC address"},
    {Kind::kFileName, "filename", "file name"},
    {Kind::kBitcoinAddress, "btc", "Bitcoin address"},
    {Kind::kEthereumAddress, "eth", "Ethereum address"},
    {Kind::kMoneroAddress, "xmr", "Monero address"},
    {Kind::kIban, "iban", "IBAN"},
    {Kind::kPhoneNumber, "phone", "phone number"},
    {Kind::kPaymentCard, "payment-card", "payment card number"},
    {Kind::kSocialAccount, "social", "social-media account"},
}};

const KindRow& Row(Kind kind) { return kKinds[static_cast<size_t>(kind)]; }

}  // namespace

std::string_view KindName(Kind kind) { return Row(kind).name; }

std::optional<Kind> KindFromName(std::string_view name) {
  for (const KindRow& row : kKinds) {
    if (row.name == name) return row.kind;
  }
  return std::nullopt;
}

const std::vector<Kind>& AllKinds() {
  static const std::vector<Kind> kAll = [] {
    std::vector<Kind> all;
    for (const KindRow& row : kKinds) all.push_back(row.kind);
    return all;
  }();
  return kAll;
}

const std::string* Observable::Field(std::string_view name) const {
  for (const auto& field : fields) {
    if (field.first == name) return &field.second;
  }
  return nullptr;
}

namespace detail {

std::string_view TrimAsciiSpace(std::string_view text) {
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

void NotAMessage(Kind kind, std::string_view reason, std::string* out) {
  out->assign("not a valid ").append(Row(kind).description).append(": ").append(reason);
}

}  // namespace detail

core::Error NotA(Kind kind, std::string reason) {
  std::string message;
  detail::NotAMessage(kind, reason, &message);
  return core::MakeError(core::ErrorCode::kValidation, std::move(message));
}

}  // namespace tessera::normalize
