// Cybercrime artifacts STIX 2.1 has no standard object for, each validated by its
// own checksum: cryptocurrency wallets (Bitcoin base58check / bech32 / bech32m,
// Ethereum EIP-55, Monero), IBANs (ISO 13616 mod-97), payment cards (Luhn; never
// kept in clear), phone numbers (E.164) and social-media accounts. Each maps to a
// custom SCO type defined by an extension-definition Tessera ships (stix_mapping.h).
// Stateless functions; thread-safe. Each ignores surrounding ASCII whitespace and
// refuses with NotA(kind, reason) (kValidation, a printable ASCII reason); the
// only other error is a missing card key.
#pragma once

#include <string_view>

#include "normalize/observable.h"

namespace tessera::normalize {

// Legacy P2PKH/P2SH (base58check, version byte checked) and SegWit (BIP 173
// bech32 for v0, BIP 350 bech32m for v1+), mainnet ("bc") and testnet ("tb");
// regtest ("bcrt") is refused: it names a private chain. Fields, in order:
// "currency" ("bitcoin"), "network" ("mainnet"/"testnet"), "address_type"
// ("p2pkh", "p2sh", "p2wpkh", "p2wsh", "p2tr", "segwit-vN"). Bech32 is lower-cased
// (all-upper input is valid, mixed case is not); base58 is case-sensitive and kept.
core::Result<Observable> CanonicalBitcoinAddress(std::string_view text);

// "0x" + 40 hex. The canonical value is the EIP-55 mixed-case checksum form; a
// mixed-case input whose checksum is wrong is refused (all-lower or all-upper
// input carries no checksum and is accepted, with a note). The prefix is
// required: 40 bare hex digits are as likely a SHA-1. Fields: "currency" ("ethereum").
core::Result<Observable> CanonicalEthereumAddress(std::string_view text);

// Standard (95 chars, prefix 4), subaddress (8) and integrated (106 chars)
// addresses, Monero base58 with the Keccak-256 checksum verified; mainnet,
// testnet and stagenet prefixes. The keys are not checked to be curve points.
// Fields, in order: "currency" ("monero"), "network" ("mainnet"/"testnet"/
// "stagenet"), "address_type" ("standard"/"integrated"/"subaddress"),
// "payment_id" (16 hex, integrated only).
core::Result<Observable> CanonicalMoneroAddress(std::string_view text);

// Spaces, tabs and hyphens removed, an "IBAN"/"IBAN:" label dropped, upper
// case; country code and its registry length checked (SWIFT IBAN registry),
// check digits 02..98 and ISO 7064 mod-97 == 1. Fields: "country".
core::Result<Observable> CanonicalIban(std::string_view text);

// 12-19 digits (single spaces or hyphens between groups), Luhn check, a known
// issuer prefix and that brand's lengths (an unknown prefix is refused). The
// value is HMAC-SHA-256(key, digits) in lower-case hex: the number never appears
// in clear, not even in error messages. Fields, in order: "bin" (first 6
// digits), "last4" (only for 15+ digit numbers, so enough digits stay hidden),
// "brand" (visa, mastercard, amex, discover, jcb, unionpay, diners, maestro).
// An empty key is refused (kInvalidArgument): without a key the hash could be
// reversed by enumerating the card space.
core::Result<Observable> CanonicalPaymentCard(std::string_view text, std::string_view hmac_key);

// E.164: "+" then country code and subscriber number, 8-15 digits (7 for Niue
// +683 and Tokelau +690), country code assigned by ITU-T; "00" international
// prefix and a "tel:" prefix (RFC 3966 parameters dropped) accepted; spaces,
// dots, hyphens and parentheses removed; a "(0)" trunk prefix is removed (kept
// for Italy and San Marino, whose numbers include it), with a note. +1 (NANP)
// must have 10 national digits. Numbers without a country code are refused (we
// do not guess a country). Fields: "country_code".
core::Result<Observable> CanonicalPhoneNumber(std::string_view text);

// "platform:handle" (platforms: twitter (alias x), telegram, instagram, facebook,
// github, tiktok, youtube, linkedin, reddit, mastodon), a profile URL with or
// without scheme, www./m. (https://twitter.com/handle, x.com, t.me, instagram.com,
// facebook.com/name or profile.php?id=N, github.com, tiktok.com/@h, youtube.com/@h,
// linkedin.com/in/h, reddit.com/user/h), Reddit's "u/name", or Mastodon's
// "@user@instance" -> canonical "platform:handle" with per-platform handle rules
// (characters, length, case folding: every supported platform's handles are
// case-insensitive, so they are lower-cased). Post URLs that name their account
// (twitter.com/h/status/N, t.me/h/N, tiktok.com/@h/video/N) are reduced to the
// account with a note; other non-profile URLs are refused. A bare "@handle" is
// refused ("no platform"). Fields: "platform", "handle" (Mastodon:
// "user@instance").
core::Result<Observable> CanonicalSocialAccount(std::string_view text);

}  // namespace tessera::normalize
