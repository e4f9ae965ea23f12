// One observable as one line of JSON, the form `tessera normalize --to jsonl`
// writes: {"type":kind,"value":...,"id":"<stix type>--<uuid>",<field>:...,
// "notes":[...]} and a newline. Written straight into the caller's buffer, for
// loops over millions of observables. Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "normalize/observable.h"
#include "normalize/stix_mapping.h"

namespace tessera::normalize {

// Room WriteJsonLine needs for `observable` (an upper bound: every byte of its
// strings escaped to six).
size_t JsonLineCapacity(const Observable& observable, const StixIdParts& id);

// Writes the line, newline included, at `out`, which has room for
// JsonLineCapacity(observable, id) bytes; returns the end of what it wrote.
// Kind names, STIX types and field keys are plain identifiers, written as they
// are; strings are escaped exactly as core::AppendJsonString escapes them.
char* WriteJsonLine(const Observable& observable, const StixIdParts& id, char* out);

// The same line appended to `*out`.
void AppendJsonLine(const Observable& observable, const StixIdParts& id, std::string* out);

}  // namespace tessera::normalize
