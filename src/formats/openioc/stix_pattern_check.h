// Test helper (header-only, tests only): a recursive-descent check that a STIX 2.1
// pattern follows the grammar of STIX 2.1 §9 for the forms the OpenIOC and IODEF
// readers write: observation expressions joined by AND/OR with parentheses,
// comparison expressions joined by AND/OR with parentheses, object paths with
// quoted and indexed components, NOT before an operator, and string, timestamp,
// integer and boolean literals. Returns "" when the pattern is well-formed, else
// what is wrong and where.
#pragma once

#include <cctype>
#include <string>
#include <string_view>
#include <utility>

namespace tessera::formats::testing_pattern {

class PatternChecker {
 public:
  explicit PatternChecker(std::string_view p) : p_(p) {}

  std::string Check() {
    if (!ObservationExpression()) return error_;
    Space();
    if (i_ != p_.size()) return Fail("trailing text");
    return "";
  }

 private:
  std::string Fail(std::string what) {
    if (error_.empty()) error_ = what + " at offset " + std::to_string(i_) + " in " + std::string(p_);
    return error_;
  }
  bool Bad(std::string what) {
    Fail(std::move(what));
    return false;
  }
  void Space() {
    while (i_ < p_.size() && p_[i_] == ' ') ++i_;
  }
  bool Word(std::string_view w) {
    Space();
    if (p_.substr(i_, w.size()) != w) return false;
    size_t end = i_ + w.size();
    if (end < p_.size() && (std::isalnum(static_cast<unsigned char>(p_[end])) || p_[end] == '_')) {
      return false;
    }
    i_ = end;
    return true;
  }
  bool Char(char c) {
    Space();
    if (i_ < p_.size() && p_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }

  bool ObservationExpression() {
    do {
      if (Char('(')) {
        if (!ObservationExpression()) return false;
        if (!Char(')')) return Bad("')' expected");
      } else if (Char('[')) {
        if (!ComparisonExpression()) return false;
        if (!Char(']')) return Bad("']' expected");
      } else {
        return Bad("'[' or '(' expected");
      }
    } while (Word("AND") || Word("OR"));
    return true;
  }

  bool ComparisonExpression() {
    do {
      if (Char('(')) {
        if (!ComparisonExpression()) return false;
        if (!Char(')')) return Bad("')' expected in comparison");
      } else if (!Comparison()) {
        return false;
      }
    } while (Word("AND") || Word("OR"));
    return true;
  }

  bool Identifier(bool type) {
    size_t b = i_;
    while (i_ < p_.size() && (std::islower(static_cast<unsigned char>(p_[i_])) ||
                              std::isdigit(static_cast<unsigned char>(p_[i_])) ||
                              (type ? p_[i_] == '-' : (p_[i_] == '_' || std::isupper(static_cast<unsigned char>(p_[i_])))))) {
      ++i_;
    }
    return i_ > b;
  }

  bool Quoted() {
    if (i_ >= p_.size() || p_[i_] != '\'') return false;
    for (++i_; i_ < p_.size(); ++i_) {
      if (p_[i_] == '\\') {
        if (i_ + 1 >= p_.size() || (p_[i_ + 1] != '\\' && p_[i_ + 1] != '\'')) {
          return Bad("bad escape in string literal");
        }
        ++i_;
      } else if (p_[i_] == '\'') {
        ++i_;
        return true;
      }
    }
    return Bad("unterminated string literal");
  }

  bool Comparison() {
    Space();
    if (!Identifier(true)) return Bad("object type expected");
    if (!Char(':')) return Bad("':' expected after the object type");
    if (!Identifier(false)) return Bad("property name expected");
    while (i_ < p_.size() && (p_[i_] == '.' || p_[i_] == '[')) {
      if (p_[i_] == '.') {
        ++i_;
        if (i_ >= p_.size()) return Bad("path component expected");
        if (!(p_[i_] == '\'' ? Quoted() : Identifier(false))) {
          return Bad("path component expected");
        }
      } else {
        ++i_;
        if (i_ >= p_.size()) return Bad("index expected");
        if (p_[i_] == '*') {
          ++i_;
        } else if (!Identifier(false)) {
          return Bad("index expected");
        }
        if (i_ >= p_.size() || p_[i_] != ']') return Bad("']' expected in path");
        ++i_;
      }
    }
    Word("NOT");
    Space();
    static constexpr std::string_view kOps[] = {"!=", "<=", ">=", "=", "<", ">"};
    bool op = false;
    for (std::string_view o : kOps) {
      if (p_.substr(i_, o.size()) == o) {
        i_ += o.size();
        op = true;
        break;
      }
    }
    if (!op) op = Word("LIKE") || Word("MATCHES") || Word("ISSUBSET") || Word("ISSUPERSET");
    if (!op) return Bad("comparison operator expected");
    Space();
    if (i_ < p_.size() && p_[i_] == '\'') return Quoted();
    if (p_.substr(i_, 2) == "t'") {
      ++i_;
      size_t b = i_;
      if (!Quoted()) return false;
      std::string_view ts = p_.substr(b + 1, i_ - b - 2);
      if (ts.size() < 20 || ts[4] != '-' || ts[10] != 'T' || ts.back() != 'Z') {
        return Bad("timestamp literal expected");
      }
      return true;
    }
    if (Word("true") || Word("false")) return true;
    size_t b = i_;
    if (i_ < p_.size() && p_[i_] == '-') ++i_;
    while (i_ < p_.size() && std::isdigit(static_cast<unsigned char>(p_[i_]))) ++i_;
    if (i_ == b) return Bad("literal expected");
    return true;
  }

  std::string_view p_;
  size_t i_ = 0;
  std::string error_;
};

inline std::string CheckPattern(std::string_view pattern) {
  return PatternChecker(pattern).Check();
}

}  // namespace tessera::formats::testing_pattern
