// Result<T> and Error: the return type of every fallible function at a module's
// interface. Bad input is expected traffic, so it travels as a value, never as an
// exception. Shaped like std::expected<T, Error> (which Clang 14 cannot compile).
// Value types; not synchronized.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace tessera::core {

enum class ErrorCode {
  kInvalidArgument,  // the caller passed something malformed (bad flag, bad value)
  kParse,            // input is not well-formed (JSON syntax, timestamp syntax, ...)
  kValidation,       // input is well-formed but breaks a rule of the model
  kNotFound,         // a named thing (file, object) does not exist
  kIo,               // reading or writing failed
  kUnsupported,      // well-formed input we deliberately do not handle
  kLimit,            // a size, depth or count limit was exceeded
  kAlreadyExists,    // a name or id to be created is taken
  kPermissionDenied, // the caller may not do this (role, token refused)
  kInternal,         // a bug: an invariant that should be impossible to break
};

const char* ErrorCodeName(ErrorCode code);

// `location` says where: "file:line:col", "byte 1234", or a JSON pointer
// ("/objects/3/created"). Empty when there is no meaningful position.
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string location;

  // "location: message" (or just the message without a location).
  std::string ToString() const;
};

inline Error MakeError(ErrorCode code, std::string message, std::string location = {}) {
  return Error{code, std::move(message), std::move(location)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace tessera::core

// Evaluates `expr` (a Result); on error returns the error from the enclosing function.
#define TESSERA_RETURN_IF_ERROR(expr)                          \
  do {                                                         \
    auto tessera_status_ = (expr);                             \
    if (!tessera_status_.ok()) return tessera_status_.error(); \
  } while (0)
