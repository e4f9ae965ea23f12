// Personal-data redaction: which properties of which object types are personal
// data (RedactionRules), and the keyed redaction of objects and of references to
// them. Values become HMAC tokens, so the same value always gives the same token
// under one key and entitled tools can still correlate. Rules are built once and
// then only read (safe to share); the functions are pure.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tessera::governance {

// One type's personal properties (top-level property names). With
// when_identity_class set (only meaningful for `identity`), the rule applies only
// to objects whose identity_class equals it.
struct RedactionRule {
  std::string type;
  std::vector<std::string> properties;
  std::string when_identity_class;  // "": always
};

// The rule set. A rules file is TOML, one table per rule:
//
//   [[personal]]
//   type = "email-addr"                      # required: an object type
//   properties = ["value", "display_name"]   # required: non-empty, top-level names
//   when_identity_class = "individual"       # optional
//
// Nothing else is accepted (unknown keys are errors, to catch typos). A file's
// rules replace the built-in ones; list the built-in types again to keep them.
class RedactionRules {
 public:
  // email-addr (value, display_name); user-account (user_id, account_login,
  // display_name; social-media handles are user-accounts too, see
  // docs/NORMALIZATION.md); identity with identity_class "individual" (name,
  // contact_information); Tessera's phone-number SCO (number).
  static RedactionRules Builtin();
  // Errors (kParse for TOML syntax, kInvalidArgument for a bad rule) carry
  // "file_name:line[:column]" as location.
  [[nodiscard]] static core::Result<RedactionRules> FromToml(std::string_view text,
                                                             std::string_view file_name);

  void Add(RedactionRule rule);

  // Whether some rule names this type (conditional rules included).
  bool IsPersonal(std::string_view type) const;
  // Whether ids of this type are redacted (by Redact and RedactRefs): the type
  // has an unconditional rule and is an SCO, i.e. a STIX 2.1 SCO or a type STIX
  // 2.1 does not define (Tessera's custom types are SCOs). SCO ids are derived
  // from their values (STIX 2.1 §2.9), so an id would give the value away.
  // Identity ids are random and stay (a reference cannot tell an individual's
  // identity from an organization's, so they could not be rewritten consistently).
  bool RedactsIds(std::string_view type) const;

  const std::vector<RedactionRule>& rules() const { return rules_; }

 private:
  std::vector<RedactionRule> rules_;
};

// The token a personal value becomes:
// "redacted:hmac-sha256:" + hex(HMAC-SHA-256(key, type + "|" + property + "|" + value)).
// Types and property names cannot contain '|', so the input is unambiguous.
std::string RedactedValue(std::string_view key, std::string_view type,
                          std::string_view property, std::string_view value);

// The id a personal SCO gets: "<type>--" + a UUID made of the first 16 bytes of
// HMAC-SHA-256(key, original id), with the version-4 and RFC 9562 variant bits
// set. Keyed pseudorandom bits are as good as random to anyone without the key,
// and version 4 is what STIX 2.1 §2.9 expects of ids that are not the
// deterministic UUIDv5 (a v5 id that is not would draw a validator warning).
// Precondition: `id` has the form "<type>--<uuid>".
std::string RedactedId(std::string_view key, std::string_view id);

// Redacts one object (a JSON object; for anything else the result is "", never
// the unredacted text):
// - each personal property (the rules matching the type and, for conditional
//   rules, the identity_class) becomes RedactedValue(); a string is taken as is,
//   a list of strings element by element, any other value by its RFC 8785 form;
// - an object of a type whose ids are redacted (RedactsIds) gets RedactedId().
// force_personal (the submitter said the object is personal data): every rule
// for the type applies whatever its condition; a type without a rule has every
// top-level string property redacted except id, type, spec_version, created,
// modified, object_marking_refs and *_ref/*_refs; and an SCO (a STIX 2.1 SCO,
// or an unknown type without `created`) gets a redacted id too. References to a
// forced SCO are not rewritten by RedactRefs unless its id is passed there.
// References inside the object are left to RedactRefs. An object with nothing
// to redact comes back byte for byte; otherwise compact, members in input order.
std::string Redact(std::string_view object_json, const RedactionRules& rules,
                   std::string_view key, bool force_personal);

// Rewrites every reference (a string member named *_ref, or a list member named
// *_refs, at any depth) to an id of a type whose ids are redacted, or to one of
// `also_ids`, to RedactedId(), so references stay consistent with Redact. Byte
// for byte unchanged when there is nothing to rewrite; "" when object_json is not
// a JSON object.
std::string RedactRefs(std::string_view object_json, const RedactionRules& rules,
                       std::string_view key, std::span<const std::string> also_ids = {});

}  // namespace tessera::governance
