#include "normalize/url.h"

#include <gtest/gtest.h>

#include "normalize/observable_test_util.h"

#include <string>
#include <string_view>

namespace tessera::normalize {
namespace {

using testing::HasNote;
using testing::JoinFields;
using testing::Notes;

UrlOptions AssumeHttp() {
  UrlOptions o;
  o.assume_http_without_scheme = true;
  return o;
}

UrlOptions KeepFragment() {
  UrlOptions o;
  o.keep_fragment = true;
  return o;
}

struct Accepted {
  std::string_view input;
  std::string_view canonical;
  std::string_view fields;  // exact, in order; empty: not checked
  std::string_view note;    // a substring of some note; empty: not checked
  UrlOptions options = {};
};

constexpr std::string_view kExampleCom =
    "host=example.com,registrable_domain=example.com,scheme=http";

const Accepted kAccepted[] = {
    // RFC 3986 §6.2.2.1 case, §6.2.3 default port, §5.2.4 dot segments.
    {"http://EVIL.com:80/a/../b", "http://evil.com/b",
     "host=evil.com,registrable_domain=evil.com,scheme=http", "default port :80 removed"},
    {"https://example.com:443", "https://example.com/",
     "host=example.com,registrable_domain=example.com,scheme=https", ""},
    {"http://example.com", "http://example.com/", kExampleCom, ""},
    {"HtTp://ExAmPlE.cOm/PaTh", "http://example.com/PaTh", kExampleCom, ""},
    {"HTTP://WWW.EXAMPLE.CO.UK:80/A/../B?X=Y#Z", "http://www.example.co.uk/B?X=Y",
     "host=www.example.co.uk,registrable_domain=example.co.uk,scheme=http", "fragment removed"},
    {"http://example.com:8080", "http://example.com:8080/", kExampleCom, ""},
    {"http://example.com:0080/", "http://example.com/", kExampleCom, "default port"},
    {"http://example.com:08080/", "http://example.com:8080/", kExampleCom, ""},
    {"http://example.com:/", "http://example.com/", kExampleCom, "empty port removed"},
    {"ftp://ftp.example.com:21/pub", "ftp://ftp.example.com/pub",
     "host=ftp.example.com,registrable_domain=example.com,scheme=ftp", ""},
    {"wss://example.com:443/ws", "wss://example.com/ws", "", ""},
    {"ws://example.com:443/", "ws://example.com:443/", "", ""},
    {"https://example.com:80/", "https://example.com:80/", "", ""},
    {"HTTPS://Example.COM./", "https://example.com/", "", "host: trailing dot removed"},
    // Percent-encoding: §6.2.2.1 upper-case hex, §6.2.2.2 unreserved decoded.
    {"http://example.com/%7euser/%2fx", "http://example.com/~user/%2Fx", kExampleCom, ""},
    {"http://example.com/%41%42%43", "http://example.com/ABC", kExampleCom, ""},
    {"http://example.com/a%2fb%2Fc", "http://example.com/a%2Fb%2Fc", kExampleCom, ""},
    {"http://example.com/%7E", "http://example.com/~", kExampleCom, ""},
    {"http://example.com/%c3%a9", "http://example.com/%C3%A9", kExampleCom, ""},
    {"http://example.com/é", "http://example.com/%C3%A9", kExampleCom, ""},
    {"http://example.com/a b", "http://example.com/a%20b", kExampleCom, ""},
    {"http://example.com/a%20b", "http://example.com/a%20b", kExampleCom, ""},
    {"http://example.com/a+b", "http://example.com/a+b", kExampleCom, ""},
    {"http://example.com/a\tb", "http://example.com/a%09b", kExampleCom, ""},
    {"http://example.com/<script>", "http://example.com/%3Cscript%3E", kExampleCom, ""},
    {"http://example.com/a\"b{c}|d^e`", "http://example.com/a%22b%7Bc%7D%7Cd%5Ee%60", kExampleCom,
     ""},
    {"http://example.com/%zz", "http://example.com/%25zz", kExampleCom, "%25"},
    {"http://example.com/100%", "http://example.com/100%25", kExampleCom, "%25"},
    {"http://example.com/a%2", "http://example.com/a%252", kExampleCom, "%25"},
    // Decoding must not create a new escape: "%%34%31" is not "%41" (nor "A").
    {"http://example.com/%%34%31", "http://example.com/%2541", kExampleCom, "%25"},
    {"http://example.com/~user", "http://example.com/~user", kExampleCom, ""},
    {"http://example.com/a:b@c;d=e,f!$&'()*", "http://example.com/a:b@c;d=e,f!$&'()*", kExampleCom,
     ""},
    // Dot segments.
    {"http://example.com/a/./b/../../c", "http://example.com/c", kExampleCom,
     "dot segments removed"},
    {"http://example.com/../../a", "http://example.com/a", kExampleCom, ""},
    {"http://example.com/a/%2E%2E/b", "http://example.com/b", kExampleCom, ""},
    {"http://example.com/a/%2e/b", "http://example.com/a/b", kExampleCom, ""},
    {"http://example.com/a/b/..", "http://example.com/a/", kExampleCom, ""},
    {"http://example.com/a/./", "http://example.com/a/", kExampleCom, ""},
    {"http://example.com/.", "http://example.com/", kExampleCom, ""},
    {"http://example.com/a/b/../../../..", "http://example.com/", kExampleCom, ""},
    {"http://example.com/a//b", "http://example.com/a//b", kExampleCom, ""},
    {"http://example.com/a/.../b", "http://example.com/a/.../b", kExampleCom, ""},
    {"http://example.com/.hidden/..x", "http://example.com/.hidden/..x", kExampleCom, ""},
    // Query: only percent-normalized; fragment dropped unless asked for.
    {"http://example.com/?q=%7e%41", "http://example.com/?q=~A", kExampleCom, ""},
    {"http://example.com/search?q=a b&x=1", "http://example.com/search?q=a%20b&x=1", kExampleCom,
     ""},
    {"http://example.com/?a=1&b=%2f", "http://example.com/?a=1&b=%2F", kExampleCom, ""},
    {"http://example.com/?b=2&a=1", "http://example.com/?b=2&a=1", kExampleCom, ""},
    {"http://example.com?x", "http://example.com/?x", kExampleCom, ""},
    {"http://example.com?", "http://example.com/?", kExampleCom, ""},
    {"http://example.com/?", "http://example.com/?", kExampleCom, ""},
    {"http://example.com/p?a=/../b?c", "http://example.com/p?a=/../b?c", kExampleCom, ""},
    {"http://example.com/a#frag", "http://example.com/a", kExampleCom, "fragment removed"},
    {"http://example.com#x", "http://example.com/", kExampleCom, "fragment removed"},
    {"http://example.com/a?b=c#d?e", "http://example.com/a?b=c", kExampleCom, ""},
    {"http://example.com/a#frag", "http://example.com/a#frag", kExampleCom, "", KeepFragment()},
    {"http://example.com/a#b#c %7e", "http://example.com/a#b%23c%20~", kExampleCom, "",
     KeepFragment()},
    {"http://example.com/#", "http://example.com/#", kExampleCom, "", KeepFragment()},
    {"http://example.com/#", "http://example.com/", kExampleCom, "fragment removed"},
    // Hosts: IDN, IP literals, percent-encoded.
    {"http://例え.テスト/パス", "http://xn--r8jz45g.xn--zckzah/%E3%83%91%E3%82%B9",
     "host=xn--r8jz45g.xn--zckzah,registrable_domain=xn--r8jz45g.xn--zckzah,scheme=http", ""},
    {"https://Bücher.de/straße?q=ü#x", "https://xn--bcher-kva.de/stra%C3%9Fe?q=%C3%BC",
     "host=xn--bcher-kva.de,registrable_domain=xn--bcher-kva.de,scheme=https", ""},
    {"http://xn--bcher-kva.de/", "http://xn--bcher-kva.de/", "", ""},
    {"HTTP://[2001:DB8::1]:8080/", "http://[2001:db8::1]:8080/", "host=2001:db8::1,scheme=http",
     ""},
    {"http://[2001:db8:0:0:0:0:0:1]/", "http://[2001:db8::1]/", "host=2001:db8::1,scheme=http", ""},
    {"http://[::FFFF:192.0.2.1]/", "http://[::ffff:192.0.2.1]/",
     "host=::ffff:192.0.2.1,scheme=http", ""},
    {"http://[::1]:80", "http://[::1]/", "host=::1,scheme=http", ""},
    {"http://192.0.2.1/x", "http://192.0.2.1/x", "host=192.0.2.1,scheme=http", ""},
    {"http://1.2.3.4:80/", "http://1.2.3.4/", "host=1.2.3.4,scheme=http", ""},
    {"http://%65xample.com/", "http://example.com/", kExampleCom, "percent-encoding in the host"},
    {"http://123.example.com/", "http://123.example.com/",
     "host=123.example.com,registrable_domain=example.com,scheme=http", ""},
    // User information kept, with a note.
    {"http://user:pass@example.com/", "http://user:pass@example.com/", kExampleCom,
     "contains credentials"},
    {"http://user@example.com:8080/", "http://user@example.com:8080/", kExampleCom, "credentials"},
    {"https://user:p%40ss@example.com/", "https://user:p%40ss@example.com/", "", ""},
    {"http://a@b@example.com/", "http://a%40b@example.com/", kExampleCom, "credentials"},
    {"http://@example.com/", "http://example.com/", kExampleCom, "empty user information"},
    {"http://us%65r@example.com/", "http://user@example.com/", kExampleCom, ""},
    // Backslashes in special schemes read as '/' (WHATWG URL).
    {"http://example.com\\a\\b", "http://example.com/a/b", kExampleCom, "backslash"},
    {"http:\\\\example.com\\a", "http://example.com/a", kExampleCom, "backslash"},
    {"http://evil.com\\@good.com/", "http://evil.com/@good.com/",
     "host=evil.com,registrable_domain=evil.com,scheme=http", "backslash"},
    // Other hierarchical schemes: no default path, port kept.
    {"tcp://198.51.100.7:4444", "tcp://198.51.100.7:4444", "host=198.51.100.7,scheme=tcp", ""},
    {"stratum+tcp://Pool.Example.com:3333", "stratum+tcp://pool.example.com:3333",
     "host=pool.example.com,registrable_domain=example.com,scheme=stratum+tcp", ""},
    {"git+ssh://git@example.com/repo.git", "git+ssh://git@example.com/repo.git",
     "host=example.com,registrable_domain=example.com,scheme=git+ssh", "credentials"},
    {"Custom-Scheme.1://example.com", "custom-scheme.1://example.com",
     "host=example.com,registrable_domain=example.com,scheme=custom-scheme.1", ""},
    {"smb://fileserver.example.com/share/a/../b", "smb://fileserver.example.com/share/b", "", ""},
    {"file:///etc/passwd", "file:///etc/passwd", "host=,scheme=file", ""},
    {"file://server/share/x.exe", "file://server/share/x.exe", "host=server,scheme=file", ""},
    // No scheme: only with assume_http_without_scheme.
    {"example.com/path", "http://example.com/path", kExampleCom, "http:// assumed", AssumeHttp()},
    {"//example.com/x", "http://example.com/x", kExampleCom, "http:// assumed", AssumeHttp()},
    {"example.com:8080/x", "http://example.com:8080/x", kExampleCom, "", AssumeHttp()},
    {"example.com:80", "http://example.com/", kExampleCom, "", AssumeHttp()},
    {"Example.com", "http://example.com/", kExampleCom, "", AssumeHttp()},
    {"  http://example.com/  ", "http://example.com/", kExampleCom, ""},
};

struct Refused {
  std::string_view input;
  std::string_view error;
  UrlOptions options = {};
};

const Refused kRefused[] = {
    {"", "empty"},
    {"hxxp://evil.com/", "defanged"},
    {"hXXps://evil.com/", "defanged"},
    {"fxp://evil.com/", "defanged"},
    {"http://evil[.]com/", "host: character '['"},
    {"javascript:alert(1)", "no authority"},
    {"mailto:x@example.com", "no authority"},
    {"data:text/html;base64,PHNjcmlwdD4=", "no authority"},
    {"urn:isbn:0451450523", "no authority"},
    {"about:blank", "no authority"},
    {"http:example.com", "no \"//\""},
    {"https:/example.com", "no \"//\""},
    {"example.com/path", "no scheme"},
    {"example.com:8080/x", "no scheme"},
    {"//example.com/x", "no scheme"},
    {"1http://example.com", "no scheme"},
    {"http://", "no host"},
    {"http:///path", "no host"},
    {"http://:80/", "no host"},
    {"http://user@/", "no host"},
    {"http://ex ample.com/", "host: contains a space"},
    {"http://localhost/", "host: a single label"},
    {"http://user:pass@host/", "host: a single label"},
    {"http://*.example.com/", "host: a wildcard"},
    {"http://-example.com/", "host: label '-example' starts or ends with a hyphen"},
    {"http://xn--zz.com/", "host: label 'xn--zz'"},
    {"http://example.123/", "not a dotted-quad"},
    {"http://192.000.2.1/", "not a dotted-quad"},
    {"http://3232235777/", "not a dotted-quad"},
    {"http://0x7f.0.0.1/", "not a dotted-quad"},
    {"http://1.2.3/", "not a dotted-quad"},
    {"http://256.1.1.1/", "not a dotted-quad"},
    {"http://[fe80::1%25eth0]/", "zone"},
    {"http://[2001:db8::1/", "unclosed '['"},
    {"http://[2001:db8::1]x/", "after the ']'"},
    {"http://[v1.fe]/", "IPvFuture"},
    {"http://[1.2.3.4]/", "not an IPv6 address"},
    {"http://[]/", "empty IPv6 literal"},
    {"http://[2001:db8::g]/", "not an IPv6 address"},
    {"http://2001:db8::1/", "brackets"},
    {"http://example.com:80:80/", "a ':' in the host"},
    {"http://example.com:65536/", "out of range"},
    {"http://example.com:99999999999999999999/", "out of range"},
    {"http://example.com:8a/", "not a number"},
    {"http://example.com:-1/", "not a number"},
    {"http://%zz.com/", "not a %XX escape"},
    {"http://exa%00mple.com/", "host: byte 0x00"},
    {"http://exa%2Fmple.com/", "host: character '/'"},
    {"http://💩.la/", "host: IDNA2008"},
};

TEST(UrlTest, Accepted) {
  for (const Accepted& c : kAccepted) {
    SCOPED_TRACE(std::string(c.input));
    core::Result<Observable> r = CanonicalUrl(c.input, c.options);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->kind, Kind::kUrl);
    EXPECT_EQ(r->value, c.canonical);
    if (!c.fields.empty()) {
      EXPECT_EQ(JoinFields(*r), c.fields);
    }
    if (!c.note.empty()) {
      EXPECT_TRUE(HasNote(*r, c.note)) << c.note;
    }
    // Canonical forms are fixed points, and need no scheme assumed.
    UrlOptions strict = c.options;
    strict.assume_http_without_scheme = false;
    for (const UrlOptions& options : {c.options, strict}) {
      core::Result<Observable> again = CanonicalUrl(r->value, options);
      ASSERT_TRUE(again.ok()) << again.error().message;
      EXPECT_EQ(again->value, r->value);
      EXPECT_EQ(again->fields, r->fields);
    }
  }
}

TEST(UrlTest, Refused) {
  for (const Refused& c : kRefused) {
    SCOPED_TRACE(std::string(c.input));
    core::Result<Observable> r = CanonicalUrl(c.input, c.options);
    ASSERT_FALSE(r.ok()) << r->value;
    EXPECT_EQ(r.error().code, core::ErrorCode::kValidation);
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.rfind("not a valid URL: ", 0), 0u) << r.error().message;
  }
}

TEST(UrlTest, NoNotesForCanonicalInput) {
  core::Result<Observable> r = CanonicalUrl("https://www.example.com/a/b?c=d");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->value, "https://www.example.com/a/b?c=d");
  EXPECT_TRUE(r->notes.empty());
}

TEST(UrlTest, EquivalentSpellingsMeet) {
  // RFC 3986 §6.2.2's example, spelled three ways.
  const char* spellings[] = {
      "http://example.com/~smith/home.html",
      "HTTP://EXAMPLE.COM:80/%7Esmith/home.html",
      "http://Example.com/a/../%7esmith/./home.html#top",
  };
  for (const char* s : spellings) {
    core::Result<Observable> r = CanonicalUrl(s);
    ASSERT_TRUE(r.ok()) << s;
    EXPECT_EQ(r->value, "http://example.com/~smith/home.html") << s;
  }
}

}  // namespace
}  // namespace tessera::normalize
