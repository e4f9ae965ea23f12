#include "formats/xarf/mime.h"

#include <gtest/gtest.h>

namespace tessera::formats::xarf {
namespace {

TEST(Mime, HeadersAreUnfoldedAndPartsSplit) {
  std::string mail =
      "From: a@example.com\r\n"
      "Content-Type: multipart/mixed;\r\n"
      "\tboundary=\"XYZ\"; charset=utf-8\r\n"
      "\r\n"
      "preamble\r\n"
      "--XYZ\r\n"
      "Content-Type: text/plain\r\n"
      "\r\n"
      "first\r\n"
      "--XYZ\r\n"
      "Content-Type: text/plain; name=\"report.txt\"\r\n"
      "\r\n"
      "second\r\nline\r\n"
      "--XYZ--\r\n"
      "epilogue\r\n";
  ASSERT_TRUE(LooksLikeMail(mail));
  MimeMessage m = ParseMime(mail);
  ASSERT_NE(m.Header("content-type"), nullptr);
  EXPECT_EQ(*m.Header("Content-Type"), "multipart/mixed; boundary=\"XYZ\"; charset=utf-8");
  ASSERT_EQ(m.parts.size(), 2u);
  EXPECT_EQ(m.parts[0].body, "first");
  EXPECT_EQ(m.parts[1].body, "second\r\nline");
  ASSERT_NE(m.parts[1].Param("name"), nullptr);
  EXPECT_EQ(*m.parts[1].Param("name"), "report.txt");
  EXPECT_EQ(m.parts[1].line, 11u);
  EXPECT_TRUE(m.problems.empty());
}

TEST(Mime, NestedMultipartAndMissingClosingBoundary) {
  std::string mail =
      "Subject: x\n"
      "Content-Type: multipart/mixed; boundary=o\n"
      "\n"
      "--o\n"
      "Content-Type: multipart/alternative; boundary=i\n"
      "\n"
      "--i\n"
      "\n"
      "plain\n"
      "--i--\n"
      "--o\n"
      "Content-Type: application/octet-stream\n"
      "Content-Transfer-Encoding: base64\n"
      "\n"
      "AAEC\n";
  MimeMessage m = ParseMime(mail);
  ASSERT_EQ(m.parts.size(), 2u);
  EXPECT_EQ(m.parts[0].content_type, "text/plain");
  EXPECT_EQ(m.parts[0].body, "plain");
  EXPECT_EQ(m.parts[1].body, std::string("\x00\x01\x02", 3));
  ASSERT_EQ(m.problems.size(), 1u);
  EXPECT_NE(m.problems[0].find("closing boundary"), std::string::npos);
}

TEST(Mime, TransferEncodings) {
  EXPECT_EQ(DecodeQuotedPrintable("a=3Db=\r\nc=20d=\nE=zz"), "a=bc d" "E=zz");
  EXPECT_EQ(DecodeBase64("aGVs bG8=\n"), "hello");
  EXPECT_EQ(DecodeBase64("!!aGk"), "hi");
}

TEST(Mime, YamlReportIsNotMail) {
  EXPECT_FALSE(LooksLikeMail("Reported-From: a@example.com\nCategory: abuse\nDate: x\n"));
  EXPECT_FALSE(LooksLikeMail("just some text\nFrom: later\n"));
  EXPECT_TRUE(LooksLikeMail("Received: from x\nX-XARF: PLAIN\n\nbody"));
}

TEST(Mime, DeepNestingStops) {
  std::string mail = "Subject: deep\n";
  for (int i = 0; i < 20; ++i) {
    mail += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b" +
            std::to_string(i) + "\n";
  }
  mail += "\nleaf\n";
  MimeMessage m = ParseMime(mail);
  EXPECT_FALSE(m.parts.empty());
  bool deep = false;
  for (const std::string& p : m.problems) deep = deep || p.find("nested too deeply") != std::string::npos;
  EXPECT_TRUE(deep);
}

}  // namespace
}  // namespace tessera::formats::xarf
